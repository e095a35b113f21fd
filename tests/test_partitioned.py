"""`khaldun recluster --dask`: the greedy pass per time partition on the workers, stitched at the edges.

The partitioned pass must give the whole pass's clusters, cluster for cluster and claim order within each,
also for a story whose claims straddle a partition boundary (the case below splits in two without the
stitching). In process for the pass itself; on a LocalCluster of two workers (started once per test that
needs it, as tests/test_corpus.py does) against SQLite and PostgreSQL (KHALDUN_TEST_PG_URL) for the store.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from khaldun.corpus import partitioned
from khaldun.corpus.clusters import WINDOW_DAYS, _items, _order_key, build_clusters
from khaldun.models import Actor, Claim, Document, Event, Evidence, Factuality, Materiel, Source, When

ALPHA = Actor(text="Alphaland", id="AAA", kind="state", country="AAA")
BETA = Actor(text="Betaland", id="BBB", kind="state", country="BBB")
FRONT = Actor(text="the Front", id="org/front", kind="armed_group", country="BBB")
RIVAL = Actor(text="the Rival", id="org/rival", kind="armed_group", country="BBB")
SIZE = 6  # claims per partition in these tests


def _claim(cid: str, day: str | None, actors: list[Actor], recipients: list[Actor], type_: str = "AID",
           tense: str = "past") -> Claim:
    return Claim(id=cid, event=Event(type=type_, trigger="sent"), actors=actors, recipients=recipients,
                 materiel=[Materiel(text="drones", category="uav")] if type_ == "AID" else [],
                 when=When(date=day, precision="day") if day else When(),
                 factuality=Factuality(tense=tense), evidence=Evidence(text=f"words of {cid}", start=0, end=5, sentence=0))


def _docs() -> list[Document]:
    """One delivery reported every second day for three weeks (one story across any cut of that stretch),
    a second one by another party, the party's denial, and a spread of unrelated single reports."""
    docs: list[Document] = []
    start = date(2022, 3, 1)
    for k in range(11):
        day = start + timedelta(days=2 * k)
        docs.append(Document(id=f"{k:064d}", source=Source(outlet=f"Wire {k % 4}", published=day.isoformat()),
                             text=f"delivery report {k} told by one wire in its own words", claims=[
                                 _claim(f"s{k}", day.isoformat(), [ALPHA], [FRONT]),
                                 _claim(f"t{k}", day.isoformat(), [BETA], [RIVAL])]))
    docs.append(Document(id="d" * 64, source=Source(outlet="Daily", published="2022-03-25"),
                         text="a denial of the deliveries in other words", claims=[
                             _claim("deny", "2022-03-24", [ALPHA], [], type_="REJECT")]))
    rng = random.Random(3)
    for k in range(24):  # unrelated: one state each, many days
        day = start + timedelta(days=rng.randrange(60))
        who = Actor(text=f"State {k}", id=f"S{k:02d}", kind="state", country=f"S{k:02d}")
        docs.append(Document(id=f"{k + 100:064d}", source=Source(outlet="Paper", published=day.isoformat()),
                             text=f"an unrelated item {k} of the day", claims=[
                                 _claim(f"u{k}", day.isoformat(), [who], [who], type_="ASSAULT"),
                                 _claim(f"v{k}", None, [ALPHA], [FRONT], type_="ASSAULT", tense="future")]))
    docs.append(Document(id="e" * 64, source=Source(outlet="Blog"), text="an undated post, no date at all",
                         claims=[_claim("x1", None, [ALPHA], [FRONT]), _claim("x2", None, [ALPHA], [FRONT])]))
    return docs


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def _sorted_items() -> list[Any]:
    docs = _docs()
    items = _items(docs, {})
    for it in items:
        it.key = (it.doc_id, it.claim_i)
    return sorted(items, key=_order_key)


def _shape(accs: list[Any]) -> list[tuple[str, ...]]:
    return sorted(tuple(it.claim_id for it in acc.items) for acc in accs)


def _run(part: list[Any], start: int) -> _Done:
    return _Done(partitioned.assign_task(part, start, WINDOW_DAYS))


def test_partitions_are_date_ranges_per_family_and_undated_claims_apart() -> None:
    items = _sorted_items()
    ranges = partitioned.partitions(items, SIZE)
    assert [x for a, b in ranges for x in range(a, b)] == list(range(len(items)))  # every claim once, in order
    for a, b in ranges:
        part = items[a:b]
        assert len({it.family for it in part}) == 1
        assert all(it.lo is None for it in part) or all(it.lo is not None for it in part)
        if a and items[a - 1].family == part[0].family and part[0].lo is not None:
            assert items[a - 1].lo < part[0].lo  # cut where the day changes
    assert sum(1 for a, _ in ranges if items[a].family == "AID") >= 3  # the AID stretch is cut


def test_the_partitioned_pass_is_the_whole_pass_across_a_partition_boundary() -> None:
    items = _sorted_items()
    whole = list(partitioned.sequential(list(items), WINDOW_DAYS))
    (story,) = [acc for acc in whole if any(it.claim_id == "s0" for it in acc.items)]
    assert {it.claim_id for it in story.items} == {f"s{k}" for k in range(11)}
    naive = list(partitioned.partitioned(list(items), WINDOW_DAYS, _run, size=SIZE, edges=False))
    # without the stitching the story is cut where the partitions are: the case the edges exist for
    assert _shape(naive) != _shape(whole)
    assert not any({it.claim_id for it in acc.items} == {f"s{k}" for k in range(11)} for acc in naive)
    stats = partitioned.PassStats()
    got = list(partitioned.partitioned(list(items), WINDOW_DAYS, _run, size=SIZE, stats=stats))
    assert _shape(got) == _shape(whole)  # the same clusters, each with its claims in the same order
    assert stats.edges >= 2 and 0 < stats.rerun < len(items)


def test_the_partitioned_pass_matches_on_random_corpora_with_tight_caps(monkeypatch) -> None:
    """Tiny candidate caps and frequent hand-outs, so the index windows and pops the equivalence test must
    respect come into play; any partition size."""
    from khaldun.corpus import clusters

    monkeypatch.setattr(clusters, "CANDIDATES_PER_KEY", 1)
    monkeypatch.setattr(partitioned, "POP_EVERY", 13)
    rng = random.Random(11)
    parties = [ALPHA, BETA, FRONT, RIVAL]
    for seed in range(3):
        docs = []
        for k in range(150):
            day = date(2022, 1, 1) + timedelta(days=rng.randrange(90))
            claims = [_claim(f"c{seed}-{k}-{j}", day.isoformat() if rng.random() < 0.7 else None,
                             [rng.choice(parties)], [rng.choice(parties)], type_=rng.choice(["AID", "ASSAULT"]),
                             tense=rng.choice(["past", "present", "future"])) for j in range(2)]
            pub = (day + timedelta(days=rng.randrange(3))).isoformat() if rng.random() < 0.95 else None
            docs.append(Document(id=f"{seed}{k:063d}", source=Source(outlet="Wire", published=pub),
                                 text=f"text {seed} {k}", claims=claims))
        items = sorted(_items(docs, {}), key=_order_key)
        whole = _shape(list(partitioned.sequential(list(items), WINDOW_DAYS)))
        for size in (5, 25, 80):
            assert _shape(list(partitioned.partitioned(list(items), WINDOW_DAYS, _run, size=size))) == whole


def _rows(s: Any) -> tuple[Any, ...]:
    """Everything `recluster` writes but the time it wrote it."""
    import sqlalchemy as sa

    with s.engine.connect() as conn:
        clusters = {r.id: (r.data, r.state, r.search) for r in
                    conn.execute(sa.text("SELECT id, data, state, search FROM clusters"))}
        members = sorted(conn.execute(sa.text("SELECT cluster_id, document_id, ordinal, denial FROM cluster_claims")))
        keys = sorted(conn.execute(sa.text("SELECT key, bucket, cluster_id FROM cluster_keys")))
        terms = sorted(conn.execute(sa.text("SELECT term, cluster_id FROM cluster_terms")))
        queued = conn.execute(sa.text("SELECT count(*) FROM cluster_queue")).scalar()
    return clusters, members, keys, terms, queued


def test_recluster_on_dask_partitions_by_time_and_writes_the_single_process_store(store_url: str,
                                                                                   monkeypatch) -> None:
    from khaldun.store import Store

    monkeypatch.setattr(partitioned, "PART_CLAIMS", SIZE)  # partitions are cut in this process
    docs = _docs()
    with Store.open(store_url) as s:
        s.add_documents(docs, cluster=False)
        local = s.recluster()
        one = _rows(s)
        ticks: dict[str, int] = {}
        got = s.recluster(dask="local:2", progress=lambda stage, n: ticks.__setitem__(stage, n))
        two = _rows(s)
        again = s.recluster(dask="local:2")  # idempotent: the same store once more
        three = _rows(s)
        clusters, _ = s.query_clusters(limit=None)
    assert got == local == again and local["denials_linked"] == 1
    assert ticks["partitions"] >= 6 and 0 < ticks["rerun"] < local["claims"]
    assert one == two == three and one[0] and one[4] == 0
    (story,) = [c for c in clusters if "s0" in c.claims]
    assert set(story.claims) - {"deny"} == {f"s{k}" for k in range(11)}  # one story across the cuts
    assert sum(len(c.contradictions) for c in clusters) == 1
    assert sorted(map(sorted, (c.claims for c in clusters))) == sorted(
        map(sorted, (c.claims for c in build_clusters(docs))))


def _item(ref: int, day: str, actors: list[Actor]) -> Any:
    from khaldun.corpus.clusters import claim_item

    d = date.fromisoformat(day)
    return claim_item(_claim(f"c{ref}", day, actors, [FRONT]), d, ref=ref, keep=False, doc_id=f"d{ref}",
                      key=(f"d{ref}", 0))


def test_states_are_equivalent_only_when_every_later_choice_must_agree(monkeypatch) -> None:
    """Each condition of the edge test on its own: the same open clusters (claims, order of creation), and
    each index list offering them alike, in whole and within the window a query reads."""
    from khaldun.corpus import clusters
    from khaldun.corpus.clusters import Assigner

    horizon = date(2022, 3, 1)
    a, b = _item(1, "2022-03-05", [ALPHA]), _item(2, "2022-03-06", [ALPHA])
    c = _item(3, "2022-03-06", [BETA])

    def pair(forced_d: list[int], forced_r: list[int], its: list[Any]) -> tuple[Assigner, Assigner]:
        d, r = Assigner(), Assigner()
        for it, fd, fr in zip(its, forced_d, forced_r, strict=True):
            d.add(it, fd)
            r.add(it, fr)
        return d, r

    d, r = pair([0, 0], [0, 0], [a, b])
    assert partitioned._equivalent(d, r, horizon) == {0: 0}
    d, r = pair([0, 0], [0, 1], [a, b])  # one cluster here, two there
    assert partitioned._equivalent(d, r, horizon) is None
    d, r = pair([0, 1], [1, 0], [a, c])  # the same clusters, created in the other order (ties differ)
    assert partitioned._equivalent(d, r, horizon) is None
    d, r = pair([0, 1], [0, 1], [a, b])
    assert partitioned._equivalent(d, r, horizon) == {0: 0, 1: 1}
    key = next(iter(d.index))
    r.index[key] = list(reversed(r.index[key]))  # a list offering them in the other order
    assert partitioned._equivalent(d, r, horizon) is None
    # dead entries before the open ones push one out of the window a query reads, here only
    monkeypatch.setattr(clusters, "CANDIDATES_PER_KEY", 1)
    d, r = pair([0, 1], [0, 1], [a, b])
    dead = _item(9, "2022-01-02", [ALPHA])
    for k in range(4):
        d.accs[10 + k] = clusters._Acc(family="AID")
        d.accs[10 + k].add(dead)
    d.index[key] = [0, 10, 11, 12, 13, 1]
    r.index[key] = [0, 1]
    assert partitioned._equivalent(d, r, horizon) is None
    d.index[key] = [10, 11, 0, 12, 13, 1]  # within the window: only open ones count
    r.index[key] = [0, 1]
    assert partitioned._equivalent(d, r, horizon) == {0: 0, 1: 1}
    d.index[key] = [0, 10, 11, 12, 1]  # the same window, but a pop would bring 0 back into it here only
    r.index[key] = [1]
    assert partitioned._equivalent(d, r, horizon) is None
