"""From articles to a corroborated record: syndication and primary sources (:mod:`.dedup`), clusters of
claims across documents (:mod:`.clusters`), embargo dossiers (:mod:`.dossier`) and exports
(:mod:`.exports`); `khaldun clusters`, `khaldun dossier` and `khaldun export` (:mod:`.cli`).

Every function takes plain :class:`khaldun.models.Document` objects, from the store or from
`khaldun analyze --format jsonl`.
"""

from __future__ import annotations

from .clusters import Cluster, Corpus, analyze_corpus, bench_clusters, build_clusters, filter_clusters
from .dedup import Syndication, find_syndication, primary_source

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
