"""From articles to a corroborated record: syndication and primary sources (:mod:`.dedup`), clusters of
claims across documents (:mod:`.clusters`), embargo dossiers (:mod:`.dossier`) and exports
(:mod:`.exports`); `khaldun clusters`, `khaldun dossier` and `khaldun export` (:mod:`.cli`).

Every function takes plain :class:`khaldun.models.Document` objects, from the store or from
`khaldun analyze --format jsonl`.
"""

from __future__ import annotations

import importlib
from typing import Any

# imported on first use (PEP 562): every `khaldun` command registers the corpus commands through
# khaldun.corpus.cli, and the cluster models cost a fifth of a second to import
_WHERE = {"Cluster": "clusters", "Corpus": "clusters", "analyze_corpus": "clusters", "bench_clusters": "clusters",
          "build_clusters": "clusters", "filter_clusters": "clusters", "Syndication": "dedup",
          "find_syndication": "dedup", "primary_source": "dedup"}

__all__ = [
    "Cluster",
    "Corpus",
    "Syndication",
    "analyze_corpus",
    "bench_clusters",
    "build_clusters",
    "filter_clusters",
    "find_syndication",
    "primary_source",
]


def __getattr__(name: str) -> Any:
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value
