"""python -m mtcheck.cli: the same as the mtcheck command."""

from . import main

main()
