"""Export all-MiniLM-L6-v2's encoder to ONNX, checked against torch; the only module that imports torch for it.

Run as ``python -m assistant.index.onnx_export --model-dir DIR --out FILE`` (what the ONNX cache runs in a child
process, so that a serving process never imports torch). The graph is the bare BERT encoder: input ids, attention
mask and token type ids in, ``token_embeddings`` (the last hidden state) out; pooling happens in the embedder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

OPSET = 17  # native LayerNormalization; torch 2.13's legacy exporter goes up to 20, onnxruntime 1.32 further
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "token_embeddings"
# Part of the cached file's fingerprint: change it whenever the recipe changes, so older exports are not reused.
EXPORT_RECIPE = f"bert-last-hidden-state;opset={OPSET};attn=eager;inputs={','.join(INPUT_NAMES)};v1"
MAX_ERROR = 1e-3  # largest |onnx - torch| per component accepted by the check (observed about 2e-6)


def export_onnx(model_dir: Path, out_path: Path) -> None:
    """Write the encoder of the model in `model_dir` to `out_path` (atomically), after checking it against torch."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    model_dir, out_path = Path(model_dir), Path(out_path)
    hf_logging.disable_progress_bar()
    # Eager attention traces to plain MatMul/Softmax; SDPA adds IsNaN/Where guards per layer for no benefit.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        """BertModel called by keyword (positional arguments clash with use_cache), last_hidden_state only."""

        def __init__(self, bert: torch.nn.Module):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    # Traced with a padded row, so the attention-mask path is what the graph records.
    input_ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0, 0]])
    attention_mask = (input_ids != 0).to(torch.long)
    axes = {0: "batch", 1: "sequence"}
    # .eval() on the wrapper too: the exporter restores the wrapper's (training) mode recursively afterwards,
    # which would switch dropout on in `model` and fail the check below.
    encoder = Encoder(model).eval()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # Known harmless warnings of the legacy exporter on transformers 5: shape tests frozen by the tracer
            # (the mask length always equals the sequence length; BERT is never causal) and arange-based indexing.
            warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
            warnings.filterwarnings("ignore", message=".*legacy TorchScript-based ONNX export.*")
            warnings.filterwarnings("ignore", message=".*aten::index operator of advanced indexing.*")
            torch.onnx.export(encoder, (input_ids, attention_mask, torch.zeros_like(input_ids)), str(tmp),
                              dynamo=False, opset_version=OPSET, input_names=list(INPUT_NAMES),
                              output_names=[OUTPUT_NAME], do_constant_folding=True,
                              dynamic_axes={name: axes for name in (*INPUT_NAMES, OUTPUT_NAME)})
        verify_export(tmp, model)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def verify_export(onnx_path: Path, model) -> None:
    """Raise RuntimeError if the graph disagrees with the torch model on shapes other than the traced one."""
    import numpy as np
    import onnxruntime as ort
    import torch

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    for batch, seq in ((1, 3), (3, 40), (2, 256)):
        ids = rng.integers(1000, 30000, size=(batch, seq), dtype=np.int64)
        ids[:, 0], ids[:, -1] = 101, 102
        mask = np.ones_like(ids)
        if batch > 1:  # one padded row
            mask[-1, seq // 2:] = 0
            ids[-1, seq // 2:] = 0
        types = np.zeros_like(ids)
        got = session.run([OUTPUT_NAME], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        with torch.no_grad():
            want = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                         token_type_ids=torch.from_numpy(types)).last_hidden_state.numpy()
        valid = mask.astype(bool)
        err = float(np.abs(got[valid] - want[valid]).max())
        if err > MAX_ERROR:
            raise RuntimeError(f"ONNX export check failed: max |onnx - torch| = {err:.3g} at batch={batch}, seq={seq}")


def main(argv: list[str] | None = None) -> int:
    """Export `--model-dir` to `--out`; prints one line on success, the reason on failure (exit 1)."""
    p = argparse.ArgumentParser(prog="python -m assistant.index.onnx_export", description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", type=Path, required=True, help="the all-MiniLM-L6-v2 folder")
    p.add_argument("--out", type=Path, required=True, help="the .onnx file to write")
    args = p.parse_args(argv)
    from assistant.offline import enforce_offline

    enforce_offline()
    started = time.perf_counter()
    try:
        export_onnx(args.model_dir, args.out)
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        print(f"error: cannot export {args.model_dir} to ONNX: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
