"""The torch-free default path: all-MiniLM-L6-v2 on ONNX Runtime against sentence-transformers."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from mtcheck import CheckConfig, check
from mtcheck.embed import DEFAULT_ENGLISH, SentenceTransformerEmbedder, default_english_model_path, get_embedder
from mtcheck.onnx_embed import OnnxEmbedder

from .conftest import ROOT, pair_paths

pytestmark = pytest.mark.model

SENTENCES = [
    "Kim Jong Un arrives in Russia for talks with Vladimir Putin.",
    "The health care system will not hesitate to act, a spokesman said on Monday.",
    "Short.",
    "“Quotes”, dashes — and an apostrophe’s curl, 31 MiG-31 jets, 2.5% and Zürich.",
]


@pytest.fixture(scope="module")
def onnx() -> OnnxEmbedder:
    return OnnxEmbedder(default_english_model_path())


@pytest.fixture(scope="module")
def torch_model() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(default_english_model_path())


def test_vectors_match_sentence_transformers(onnx, torch_model):
    ours, theirs = onnx.encode(SENTENCES), torch_model.encode(SENTENCES)
    assert ours.shape == theirs.shape == (4, 384)
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-6)


def test_a_vector_does_not_depend_on_its_batch(onnx):
    """Bit for bit: the persistent cache serves stored vectors as if freshly computed."""
    alone = np.stack([onnx.encode([s])[0] for s in SENTENCES])
    together = onnx.encode(SENTENCES)
    reversed_with_others = onnx.encode([*SENTENCES[::-1], "An unrelated, much longer sentence " * 5])[:4][::-1]
    assert np.array_equal(alone, together)
    assert np.array_equal(alone, reversed_with_others)


def test_word_pieces_and_windows_match_sentence_transformers(onnx, torch_model):
    assert onnx.window == torch_model.window == 256
    assert onnx.count_tokens(SENTENCES) == torch_model.count_tokens(SENTENCES)
    assert [onnx.word_pieces(w) for w in ("train", "cosmodrome", "Zürich")] == [
        torch_model.word_pieces(w) for w in ("train", "cosmodrome", "Zürich")
    ]
    ours, theirs = onnx.encode_tokens(SENTENCES), torch_model.encode_tokens(SENTENCES)
    for a, b in zip(ours, theirs):
        assert np.array_equal(a.offsets, b.offsets)
        assert np.abs(a.vectors - b.vectors).max() < 1e-4
        assert np.abs(a.sentence - b.sentence).max() < 1e-5


def test_a_text_longer_than_the_window_is_read_whole(onnx, torch_model):
    long = " ".join(SENTENCES * 30)  # about 1,000 word pieces
    assert onnx.count_tokens([long])[0] > 3 * onnx.window
    ours, theirs = onnx.encode([long])[0], torch_model.encode([long])[0]
    assert float(ours @ theirs) > 0.999
    # the last window counts: changing only the text's end moves its vector
    changed = onnx.encode([long + " Completely different closing words about football."])[0]
    assert not np.array_equal(ours, changed)


def test_default_path_never_imports_torch(tmp_path):
    src, cand = pair_paths("kim-support-control")
    out = tmp_path / "report.json"
    code = (
        "import sys, mtcheck.cli.app as app\n"
        f"code = app.run(['check', {str(src)!r}, {str(cand)!r}, '-f', 'json', '-o', {str(out)!r}, '--no-cache'])\n"
        "assert code == 0, code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'sentence_transformers', 'transformers')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert "@onnx-fp32+sha256:" in json.loads(out.read_text())["signature"]


def test_both_runtimes_give_the_same_report_but_for_the_signature():
    src, cand = (p.read_text(encoding="utf-8") for p in pair_paths("kim-arrives"))
    reports = [check(src, cand, CheckConfig(runtime=runtime)) for runtime in ("onnx", "torch")]
    assert "model:all-MiniLM-L6-v2@onnx-fp32+sha256:" in reports[0].signature
    assert "model:all-MiniLM-L6-v2@torch+sha256:" in reports[1].signature
    onnx_report, torch_report = reports
    assert [(b.source, b.candidate) for b in onnx_report.beads] == [(b.source, b.candidate) for b in torch_report.beads]
    assert [(f.candidate, f.kind, f.severity) for f in onnx_report.flags] == [
        (f.candidate, f.kind, f.severity) for f in torch_report.flags
    ]
    assert onnx_report.summary.mqm_estimate == pytest.approx(torch_report.summary.mqm_estimate, abs=1e-3)


def test_get_embedder_picks_the_runtime():
    assert type(get_embedder(DEFAULT_ENGLISH).inner).__name__ == "OnnxEmbedder"
    assert type(get_embedder(DEFAULT_ENGLISH, runtime="torch").inner).__name__ == "SentenceTransformerEmbedder"


def test_each_runtime_repeats_its_report_byte_for_byte():
    from mtcheck.report import render

    src, cand = (p.read_text(encoding="utf-8") for p in pair_paths("kim-arrives"))
    for runtime in ("onnx", "torch"):
        first = render(check(src, cand, CheckConfig(runtime=runtime)), "json")
        get_embedder(DEFAULT_ENGLISH, runtime=runtime).clear()  # computed afresh, not remembered
        assert render(check(src, cand, CheckConfig(runtime=runtime)), "json") == first
