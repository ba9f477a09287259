"""Alignment quality on manually aligned text: mtcheck's beads against MAC-Dev's gold beads.

    .venv/bin/python bench/eval_align.py                 # reads ../shared/data/align-dev/
    .venv/bin/python bench/eval_align.py --data DIR --keep OUT_DIR

Each of the six Chinese-English chapters is checked as lists of sentences (the files are already
split), exactly as a user of ``mtcheck.check`` would, with flagging off (flags do not move beads).
The beads are written in the gold format and scored by the data set's own ``score_align.py``
(strict and lax P/R/F1, Sennrich & Volk 2010), per chapter and overall, beside Bertalign's output on the
same chapters scored the same way.
The data is not in the repository (copyrighted excerpts); see its README.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "align-dev"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _score(data: Path, test_dir: Path, gold_dir: Path | None = None) -> str:
    """The data set's scorer on a folder of bead files: its last line (strict and lax P/R/F1)."""
    result = subprocess.run(
        [sys.executable, str(data / "score_align.py"), str(gold_dir or data / "gold"), str(test_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def _score_chapter(data: Path, test_dir: Path, chapter: str) -> str:
    """The scorer's figures for one chapter (it scores whole folders: give it one file each)."""
    with tempfile.TemporaryDirectory(prefix="mtcheck-align-chapter-") as tmp:
        gold, test = Path(tmp) / "gold", Path(tmp) / "test"
        gold.mkdir()
        test.mkdir()
        shutil.copy(data / "gold" / chapter, gold / chapter)
        shutil.copy(test_dir / chapter, test / chapter)
        return _score(data, test, gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the align-dev folder")
    parser.add_argument("--keep", type=Path, help="write mtcheck's beads here instead of a temporary folder")
    args = parser.parse_args()
    if not (args.data / "gold").is_dir():
        sys.exit(f"no align-dev data at {args.data}; pass --data")

    from mtcheck import CheckConfig, check

    config = CheckConfig(flag_spans=False)
    out = args.keep or Path(tempfile.mkdtemp(prefix="mtcheck-align-"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for chapter in sorted(p.name for p in (args.data / "gold").iterdir()):
        zh, en = _lines(args.data / "zh" / chapter), _lines(args.data / "en" / chapter)
        report = check(zh, en, config)
        beads = [f"{list(b.source)}:{list(b.candidate)}".replace(" ", "") for b in report.beads]
        (out / chapter).write_text("\n".join(beads) + "\n", encoding="utf-8")
        print(f"{chapter}: {len(zh)} zh, {len(en)} en sentences, {len(beads)} beads, model {report.model}")
    elapsed = time.perf_counter() - started
    for chapter in sorted(p.name for p in (args.data / "gold").iterdir()):
        print(f"{chapter} mtcheck    {_score_chapter(args.data, out, chapter)}")
        print(f"{chapter} bertalign  {_score_chapter(args.data, args.data / 'bertalign', chapter)}")
    print(f"mtcheck    {_score(args.data, out)}  ({elapsed:.1f} s)")
    print(f"bertalign  {_score(args.data, args.data / 'bertalign')}  (LaBSE, its published output)")
    _embedding_cost(args.data, report.model)


def _embedding_cost(data: Path, model: str) -> None:
    """Seconds to embed the chapters' sentences, and the runs the aligner reads on top of them."""
    from mtcheck.embed import embed_runs, get_embedder
    from mtcheck.segment import document_from_sentences, standalone

    embedder = get_embedder(model)
    embedder.encode(["warm up"])
    forget = getattr(embedder, "clear", lambda: None)  # the checks above filled its cache
    docs = [
        document_from_sentences(_lines(data / side / chapter))
        for chapter in sorted(p.name for p in (data / "gold").iterdir())
        for side in ("zh", "en")
    ]
    forget()
    start = time.perf_counter()
    for doc in docs:
        embedder.encode(doc.texts)
    sentences = time.perf_counter() - start
    forget()
    start = time.perf_counter()
    for doc in docs:
        embed_runs(embedder, [(doc.texts, standalone(doc))], 4)
    runs = time.perf_counter() - start
    print(
        f"embedding ({model}): sentences {sentences:.1f} s, runs of 2-4 sentences {runs:.1f} s ({runs / sentences:.1f}x)"
    )


if __name__ == "__main__":
    main()
