"""python -m mtcheck: the same as the mtcheck command."""

from .cli import main

main()
