"""khaldun.corpus: syndication, primary sources, clusters, dossiers and exports.

The test corpus (tests/corpus/articles.jsonl, fictional, written for these tests) is analysed once per
module; tests/corpus/registry.yaml adds its invented outlets as media, as a user would with
`khaldun analyze --registry`.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from khaldun.corpus.clusters import (
    Cluster,
    analyze_corpus,
    bench_clusters,
    build_clusters,
    event_family,
    filter_clusters,
)
from khaldun.corpus.dedup import (
    find_syndication,
    jaccard,
    merge_sources,
    primary_source,
    shingles,
)
from khaldun.corpus.dossier import build_dossier, dossier_html, dossier_markdown, resolve_regime
from khaldun.corpus.exports import (
    ACLED_COLUMNS,
    ACLED_EXTRA_COLUMNS,
    actor_graph,
    validate_ftm,
    write_export,
)
from khaldun.models import (
    Actor,
    Attribution,
    Claim,
    Document,
    Event,
    Evidence,
    Factuality,
    Finding,
    Materiel,
    Place,
    Source,
    Via,
    When,
)

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus" / "articles.jsonl"
REGISTRY = HERE / "corpus" / "registry.yaml"
ACLED_EVAL = HERE.parent.parent / "shared" / "eval" / "acled_2020"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def docs(articles: list[dict]) -> list[Document]:
    from khaldun.actors import ActorRegistry
    from khaldun.pipeline import Pipeline

    pipe = Pipeline(registry=ActorRegistry.default().with_file(REGISTRY))
    out = list(pipe.analyze_many(articles))
    assert not pipe.errors
    return out


@pytest.fixture(scope="module")
def key_of(articles: list[dict]) -> dict[str, str]:
    """url -> the article's key in the corpus file (e1-wire, e2-eyewitness, ...)."""
    return {a["url"]: a["id"] for a in articles}


@pytest.fixture(scope="module")
def corpus(docs: list[Document]):
    return analyze_corpus(docs)


def _keys(c: Cluster, key_of: dict[str, str]) -> set[str]:
    return {key_of[r.url] for s in c.sources for r in s.reports if r.url}


def _cluster(corpus, key_of: dict[str, str], article: str, family: str) -> Cluster:
    """The cluster of the given family that holds a report of the given article."""
    hits = [c for c in corpus.clusters if c.family == family and article in _keys(c, key_of)]
    assert len(hits) == 1, f"{article}/{family}: {len(hits)} clusters"
    return hits[0]


# --------------------------------------------------------------------------- the corpus file


def test_corpus_file_shape(articles: list[dict]) -> None:
    assert len(articles) >= 40
    assert len({a["outlet"] for a in articles}) >= 10
    for a in articles:
        assert {"text", "title", "outlet", "published", "url"} <= set(a)
        date.fromisoformat(a["published"])


# --------------------------------------------------------------------------- syndication


def test_wire_copies_form_syndication_groups(corpus, key_of) -> None:
    synd = corpus.syndication
    groups = [{key_of[corpus.documents[i].source.url] for i in g} for g in synd.syndicated()]
    assert {"e1-wire", "e1-copy-harbor", "e1-copy-courier", "e1-copy-ledger", "e1-copy-post"} in groups
    assert {"e3-levant", "e3-copy-dispatch", "e3-copy-nile"} in groups
    assert len(groups) == 2  # rewrites of one TV interview or one spokesman are not copies
    for g in synd.syndicated():
        origin = key_of[corpus.documents[synd.origin[synd.group_of[g[0]]]].source.url]
        assert origin in ("e1-wire", "e3-levant")


def test_wire_copies_count_as_one_source(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e1-wire", "AID")
    wire = [s for s in c.sources if {"Mediterranean Wire", "Harbor Times"} <= set(s.outlets)]
    assert len(wire) == 1
    assert set(wire[0].outlets) == {
        "Mediterranean Wire",
        "Harbor Times",
        "Desert Courier",
        "Northern Ledger",
        "Capital Post",
    }
    assert all(r.copy_of == "Mediterranean Wire" for r in wire[0].reports if r.outlet != "Mediterranean Wire")


def test_quote_chain_collapses_to_the_speaker(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e1-chain-coastal", "AID")
    src = next(s for s in c.sources if any(key_of[r.url] == "e1-chain-coastal" for r in s.reports))
    assert {"e1-chain-coastal", "e1-chain-dispatch"} <= {key_of[r.url] for r in src.reports}
    assert src.kind == "speaker" and "Bukhamada" in src.label
    chain = next(r.chain for r in src.reports if key_of[r.url] == "e1-chain-coastal")
    assert chain.startswith("Coastal Herald") and "Levant Wire" in chain and "Nour TV" in chain
    assert "Bukhamada" in chain


# --------------------------------------------------------------------------- clusters


def test_embargoed_transfer_cluster(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e1-wire", "AID")
    keys = _keys(c, key_of)
    assert {
        "e1-wire",
        "e1-copy-courier",
        "e1-levant",
        "e1-chain-coastal",
        "e1-chain-dispatch",
        "e1-denial",
    } <= keys
    assert not keys & {"e6-wire", "e6-gulf", "e2-bulletin"}
    assert [a.id for a in c.actors][0] == "ARE"
    assert [a.id for a in c.recipients] == ["org/lna"]
    assert {m.category for m in c.materiel} == {"air_defence"}
    assert c.when.earliest == "2020-05-08" and c.first_seen == "2020-05-10"
    assert c.location is not None and c.location.country == "LBY"
    assert c.outlets == len(c.outlet_names) == 9
    assert c.reports >= 9
    assert c.embargo and c.embargo[0].status == "potential_violation"
    assert c.polarity == "positive"


def test_denial_is_a_contradiction(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e1-denial", "AID")
    assert c.contradictions
    denial_claims = {
        cl.id for d in corpus.documents if key_of[d.source.url] == "e1-denial" for cl in d.claims
    }
    assert {x.claim for x in c.contradictions} <= denial_claims
    assert any("denied" in x.why and "Gulf Monitor" in x.why for x in c.contradictions)
    against = [s for s in c.sources if not s.supports]
    assert against and all(s.outlets == ["Gulf Monitor"] for s in against)
    # a denial is not corroboration
    assert all(s.supports for s in c.sources if "Mediterranean Wire" in s.outlets)


def test_spokesman_relayed_by_five_outlets_is_one_source(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e2-bulletin", "AID")
    assert _keys(c, key_of) == {
        "e2-bulletin",
        "e2-atlas",
        "e2-meridian",
        "e2-redsea",
        "e2-post",
        "e2-eyewitness",
    }
    assert c.outlets == 6
    assert c.independent_sources == 2
    spokes = [s for s in c.sources if len(s.outlets) == 5]
    assert len(spokes) == 1 and spokes[0].kind == "speaker" and spokes[0].supports
    eye = [s for s in c.sources if s is not spokes[0]]
    assert len(eye) == 1 and eye[0].outlets == ["Harbor Times"] and eye[0].kind == "outlet"
    assert [a.id for a in c.actors] == ["TUR"] and [a.id for a in c.recipients] == ["org/gna"]
    assert c.embargo and c.embargo[0].status == "possibly_exempt"


def test_gna_spokesman_and_his_organisation_are_one_source(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e1-wire", "AID")
    assert c.independent_sources == 2  # the wire's diplomats and the GNA spokesman


def test_wire_plus_own_statement_on_mitiga(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e3-levant", "ASSAULT")
    assert _keys(c, key_of) == {"e3-levant", "e3-copy-dispatch", "e3-copy-nile", "e3-gna"}
    assert c.independent_sources == 2  # the Levant Wire story (3 copies) and the GNA's statement
    assert c.location is not None and c.location.name and "Mitiga" in c.location.name


def test_events_that_must_stay_apart(corpus, key_of) -> None:
    e1 = _cluster(corpus, key_of, "e1-wire", "AID")
    e6 = _cluster(corpus, key_of, "e6-wire", "AID")
    assert e6.id != e1.id and _keys(e6, key_of) == {"e6-wire", "e6-gulf"}  # September, armoured vehicles
    # the Turkey-GNA agreement of November 2019 (however it is typed) stays apart from the 2020 drones
    e9 = [c for c in corpus.clusters if _keys(c, key_of) & {"e9-atlas", "e9-courier"}]
    assert e9 and all(not _keys(c, key_of) & {"e2-bulletin", "e2-atlas", "e2-post"} for c in e9)
    assert all((c.when.earliest or "").startswith("2019-11") for c in e9)
    e3 = _cluster(corpus, key_of, "e3-levant", "ASSAULT")
    e4 = _cluster(corpus, key_of, "e4-courier", "ASSAULT")  # al-Watiya, 140 km and a week away
    assert e4.id != e3.id and _keys(e4, key_of) == {"e4-courier", "e4-dispatch"}


def test_russian_jets_denied(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e5-ledger", "AID")
    assert {"e5-ledger", "e5-meridian", "e5-atlas", "e5-denial"} <= _keys(c, key_of)
    denial = {cl.id for d in corpus.documents if key_of[d.source.url] == "e5-denial" for cl in d.claims}
    assert c.contradictions and {x.claim for x in c.contradictions} <= denial
    assert all(s.supports is False for s in c.sources if s.outlets == ["Nile Gazette"])
    assert c.embargo[0].status == "potential_violation"


def test_filters(corpus, key_of) -> None:
    cl = corpus.clusters
    are = filter_clusters(cl, actor="ARE", type="AID")
    assert {_cluster(corpus, key_of, "e1-wire", "AID").id, _cluster(corpus, key_of, "e6-wire", "AID").id} <= {
        c.id for c in are
    }
    assert all(c.family == "AID" for c in are)
    lna = filter_clusters(cl, actor="lna", type="AID")
    assert all(any(a.id == "org/lna" for a in c.actors + c.recipients) for c in lna)
    may = filter_clusters(cl, start=date(2020, 5, 1), end=date(2020, 5, 31), type="AID")
    assert _cluster(corpus, key_of, "e6-wire", "AID").id not in {c.id for c in may}
    strong = filter_clusters(cl, min_sources=2, type="AID")
    assert strong and all(c.independent_sources >= 2 for c in strong)
    assert _cluster(corpus, key_of, "e2-bulletin", "AID").id in {c.id for c in strong}
    assert len(strong) < len(filter_clusters(cl, type="AID"))
    viol = filter_clusters(cl, embargo="potential_violation", regime="libya")
    assert viol and all(any(f.status == "potential_violation" for f in c.embargo) for c in viol)
    somalia = filter_clusters(cl, place="SOM")
    assert somalia and all(c.location and c.location.country == "SOM" for c in somalia)
    assert filter_clusters(cl, place="Afgooye")


# --------------------------------------------------------------------------- dossier


def test_dossier_lists_the_embargoed_transfer(corpus, key_of) -> None:
    d = build_dossier(
        corpus.clusters, "libya", date(2020, 1, 1), date(2020, 12, 31), documents=len(corpus.documents)
    )
    assert d.regime == "UN arms embargo on Libya" and d.instrument.startswith("UNSCR 1970")
    e1 = _cluster(corpus, key_of, "e1-wire", "AID")
    entry = next(e for e in d.entries if e.cluster.id == e1.id)
    assert entry.status == "potential_violation" and "not the recognised government" in entry.reason
    assert [a.id for a in entry.suppliers] == ["ARE"] and [a.id for a in entry.recipients] == ["org/lna"]
    assert entry.contested
    assert d.entries[0].status == "potential_violation"  # gravest first
    assert {e.status for e in d.entries} <= {"potential_violation", "possibly_exempt", "not_covered"}
    # the 2019 agreement falls outside the period; only transfers with a Libya finding are listed
    assert all(e.cluster.family == "AID" for e in d.entries)
    md = dossier_markdown(d)
    assert "potential_violation" in md and "Mediterranean Wire" in md and "Nour TV" in md
    assert "Contradictions" in md and "denied" in md
    page = dossier_html(d)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert "potential_violation" in page and "Idris Bukhamada" in page
    assert "Haftar&#x27;s" in page  # text is escaped


def test_dossier_html_escapes_hostile_text(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e1-wire", "AID")
    bad = c.model_copy(deep=True)
    bad.sources[0].reports[0].evidence = "<script>alert(1)</script>"
    bad.sources[0].reports[0].url = "javascript:alert(1)"
    d = build_dossier([bad], "LBY")
    page = dossier_html(d)
    assert "<script>" not in page and "&lt;script&gt;" in page and "javascript:" not in page
    assert "\\<script\\>" in dossier_markdown(d)


def test_resolve_regime() -> None:
    assert resolve_regime("libya").id == "libya"
    assert resolve_regime("LBY").id == "libya"
    assert resolve_regime("somalia").id == "somalia"
    with pytest.raises(ValueError):
        resolve_regime("atlantis")


# --------------------------------------------------------------------------- exports


def test_exports_validate(corpus, tmp_path: Path) -> None:
    import networkx as nx
    import pyarrow.parquet as pq
    from followthemoney import model

    man = write_export(corpus, tmp_path, query={"test": True})
    names = {f["name"] for f in man["files"]}
    assert {
        "clusters.jsonl",
        "documents.jsonl",
        "acled.csv",
        "plover.jsonl",
        "ftm.jsonl",
        "actors.gexf",
        "actors.graphml",
        "documents.parquet",
        "claims.parquet",
        "clusters.parquet",
        "sources.parquet",
    } == names
    saved = json.loads((tmp_path / "manifest.json").read_text())
    assert saved["query"] == {"test": True} and saved["counts"]["clusters"] == len(corpus.clusters)
    assert saved["counts"]["documents"] == len(corpus.documents) and saved["khaldun"] and saved["created"]
    # native JSONL round-trips through the models
    rows = (tmp_path / "clusters.jsonl").read_text().splitlines()
    assert [Cluster.model_validate_json(r).id for r in rows] == [c.id for c in corpus.clusters]
    # ACLED: the 31 columns in ACLED's order, then x_* columns
    with (tmp_path / "acled.csv").open(newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        body = list(reader)
    assert header == list(ACLED_COLUMNS) + list(ACLED_EXTRA_COLUMNS)
    assert len(ACLED_COLUMNS) == 31 and all(h.startswith("x_") for h in header[31:])
    assert len(body) == len(corpus.clusters) and all(len(r) == len(header) for r in body)
    transfer = next(r for r in body if r[header.index("x_embargo_status")] == "potential_violation")
    assert transfer[header.index("event_type")] == "Strategic developments"
    assert transfer[header.index("iso3")] == "LBY" and transfer[header.index("iso")] == "434"
    # PLOVER: one record per claim
    plover = [json.loads(x) for x in (tmp_path / "plover.jsonl").read_text().splitlines()]
    assert len(plover) == sum(len(d.claims) for d in corpus.documents)
    assert all(p["event"] and "source" in p and "target" in p for p in plover)
    # FollowTheMoney: every entity valid under the model, proof links resolve to Articles
    ents = [json.loads(x) for x in (tmp_path / "ftm.jsonl").read_text().splitlines()]
    assert validate_ftm(ents) == []
    schemata = {e["schema"] for e in ents}
    assert {"Article", "Event", "Documentation", "PublicBody", "Organization", "UnknownLink"} <= schemata
    ids = {e["id"]: e for e in ents}
    for e in ents:
        proxy = model.get_proxy(e)
        assert proxy.schema.name == e["schema"]
        for p in e["properties"].get("proof", []):
            assert ids[p]["schema"] == "Article"
    # networkx reads both graph files back
    for fname, reader_fn in (("actors.gexf", nx.read_gexf), ("actors.graphml", nx.read_graphml)):
        g = reader_fn(tmp_path / fname)
        ref = actor_graph(corpus.clusters)
        assert g.number_of_nodes() == ref.number_of_nodes() and g.number_of_edges() == ref.number_of_edges()
    g = nx.read_graphml(tmp_path / "actors.graphml")
    assert g.has_edge("ARE", "org/lna")
    # Parquet tables
    assert pq.read_table(tmp_path / "claims.parquet").num_rows == sum(len(d.claims) for d in corpus.documents)
    assert pq.read_table(tmp_path / "clusters.parquet").num_rows == len(corpus.clusters)


@pytest.mark.skipif(not ACLED_EVAL.exists(), reason="../shared/eval/acled_2020 not present")
def test_acled_columns_match_acled_header() -> None:
    path = next(ACLED_EVAL.glob("*.csv"))
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert list(ACLED_COLUMNS) == header


def test_ftm_validation_catches_errors() -> None:
    ents = [
        {
            "id": "a",
            "schema": "Event",
            "properties": {"name": ["x"], "proof": ["missing"], "nonsense": ["1"]},
        },
        {"id": "b", "schema": "Documentation", "properties": {"entity": ["a"]}},
        {"id": "c", "schema": "Thing", "properties": {}},
    ]
    errs = validate_ftm(ents)
    assert any("not in the stream" in e for e in errs)
    assert any("nonsense" in e for e in errs)
    assert any("needs 'document'" in e for e in errs)
    assert any("abstract" in e for e in errs)


def test_filtered_export_keeps_only_their_documents(corpus, tmp_path: Path) -> None:
    chosen = filter_clusters(corpus.clusters, type="AID", regime="libya", embargo="any")
    man = write_export(corpus, tmp_path, ["jsonl", "ftm", "parquet"], clusters=chosen, query={"type": "AID"})
    assert man["counts"]["clusters"] == len(chosen)
    assert 0 < man["counts"]["documents"] < len(corpus.documents)
    ents = [json.loads(x) for x in (tmp_path / "ftm.jsonl").read_text().splitlines()]
    assert validate_ftm(ents) == []


# --------------------------------------------------------------------------- units on hand-made claims


def _claim(
    cid: str,
    type_: str = "AID",
    actors: list[Actor] | None = None,
    recipients: list[Actor] | None = None,
    day: str | None = None,
    materiel: list[str] | None = None,
    place: Place | None = None,
    speaker: Actor | None = None,
    via: list[Via] | None = None,
    polarity: str = "positive",
    role: str | None = None,
) -> Claim:
    return Claim(
        id=cid,
        event=Event(type=type_, trigger="x"),
        actors=actors or [],
        recipients=recipients or [],
        materiel=[Materiel(text=m, category=m) for m in (materiel or [])],
        location=place,
        when=When(date=day, precision="day" if day else None),
        factuality=Factuality(polarity=polarity),  # type: ignore[arg-type]
        attribution=Attribution(speaker=speaker, via=via or [], speaker_role=role),
        evidence=Evidence(text=f"evidence {cid}", start=0, end=5, sentence=0),
    )


def _doc(did: str, claims: list[Claim], outlet: str, published: str, text: str | None = None) -> Document:
    return Document(
        id=did,
        source=Source(outlet=outlet, published=published),
        claims=claims,
        text=text or f"a story numbered {did} about nothing in particular at all today",
    )


TUR = Actor(text="Turkey", id="TUR", kind="state", country="TUR")
ARE = Actor(text="UAE", id="ARE", kind="state", country="ARE")
LBY = Actor(text="Libya", id="LBY", kind="state", country="LBY")
LNA = Actor(text="LNA", id="org/lna", kind="armed_group", country="LBY", sector="MIL")
GNA = Actor(text="GNA", id="org/gna", kind="organization", country="LBY", sector="GOV")


def test_shingles_and_jaccard() -> None:
    a = shingles("One two three four five six seven")
    assert len(a) == 3 and "one two three four five" in a
    assert shingles("too short") == {"too short"}
    assert jaccard(a, a) == 1.0 and jaccard(a, shingles("nothing alike at all here")) == 0.0


def test_find_syndication_edited_copy_and_not_a_rewrite() -> None:
    base = (
        "The United Arab Emirates delivered air defence systems to the Libyan National Army at an air base "
        "in the east of the country on Friday, two diplomats told the agency. Six cargo flights landed at "
        "the base during the past week, according to flight tracking data reviewed by the agency. The "
        "systems were meant to protect the base from drones, the diplomats said."
    )
    copy = base.replace("Six cargo", "At least six cargo") + " (Wire)"
    rewrite = (
        "Diplomats say Abu Dhabi flew air defences to Haftar's army last week; the shipments were "
        "tracked on six flights."
    )
    docs = [
        _doc("a", [], "Wire", "2020-05-10", base),
        _doc("b", [], "Paper", "2020-05-10", copy),
        _doc("c", [], "Other", "2020-05-09", rewrite),
        _doc("a", [], "Mirror", "2020-05-11", base),
    ]
    synd = find_syndication(docs)
    assert synd.group_of[0] == synd.group_of[1] == synd.group_of[3] != synd.group_of[2]
    assert synd.origin_outlet(1) == "Wire"  # earliest; tie broken by the outlet the copies name


def test_primary_source_rules() -> None:
    docs = [_doc("a", [], "Wire", "2020-05-10"), _doc("b", [], "Paper", "2020-05-11")]
    synd = find_syndication(docs)
    named = _claim("1", speaker=Actor(text="Idris Bukhamada", kind="person"))
    assert primary_source(named, 1, synd).key == "person:idris bukhamada"
    resolved = _claim("2", speaker=GNA)
    assert primary_source(resolved, 1, synd).key == "actor:org/gna"
    anon = _claim(
        "3",
        speaker=Actor(text="two Western diplomats", kind="person"),
        via=[Via(name="Nour TV", kind="interview"), Via(name="Wire", kind="outlet")],
    )
    p = primary_source(anon, 1, synd)
    assert p.key == "outlet:nour tv" and p.kind == "venue"
    own = _claim("4")
    assert primary_source(own, 1, synd).key == "outlet:paper"
    relayed = _claim("6", speaker=Actor(text="The Paper", id="media/paper", kind="media"))
    assert primary_source(relayed, 0, synd).key == "outlet:paper"  # meets Paper's own reporting
    generic = _claim("5", via=[Via(name="statement", kind="statement")])
    assert primary_source(generic, 0, synd).key == "outlet:wire"


def test_merge_sources_rules() -> None:
    c = _claim("x")
    uf = merge_sources([("person:idris bukhamada", c, None), ("person:bukhamada", c, None)])
    assert uf.find("person:bukhamada") == uf.find("person:idris bukhamada")
    # two longer names extend "bukhamada": ambiguous, nothing merges
    uf = merge_sources(
        [
            ("person:idris bukhamada", c, None),
            ("person:bukhamada", c, None),
            ("person:ali bukhamada", c, None),
        ]
    )
    assert (
        len({uf.find("person:bukhamada"), uf.find("person:idris bukhamada"), uf.find("person:ali bukhamada")})
        == 3
    )
    usa = Actor(text="United States", id="USA", kind="state", country="USA")
    africom = Actor(text="AFRICOM", id="org/africom", kind="organization", country="USA", sector="MIL")
    uf = merge_sources(
        [
            ("actor:USA", _claim("1", speaker=usa), None),
            ("actor:org/africom", _claim("2", speaker=africom), None),
        ]
    )
    assert uf.find("actor:USA") == uf.find("actor:org/africom")


def test_merge_sources_joins_speakers_of_one_unresolved_body() -> None:
    """A spokesman of a body no registry knows ("alliance spokesman Major X") is the voice of the one speaker
    named as that body ("the Zembla-led alliance said"); two such bodies with one head noun join nobody."""
    zembla = Actor(text="Zembla-led alliance", id="ZMB", kind="state", country="ZMB")
    borduria = Actor(text="Borduria-led alliance", id="BRD", kind="state", country="BRD")

    def spoke(cid: str, name: str, body: str, role: str = "spokesman") -> Claim:
        c = _claim(cid, speaker=Actor(text=name, kind="person"), role=role)
        c.attribution.speaker_affiliation = Actor(text=body, kind="organization")
        return c

    items = [
        ("actor:ZMB", _claim("1", speaker=zembla), None),
        ("person:tomas verlaine", spoke("2", "Tomas Verlaine", "alliance"), None),
        ("person:ines roca", spoke("3", "Ines Roca", "the alliance"), None),
    ]
    uf = merge_sources(items)
    assert len({uf.find(k) for k, _, _ in items}) == 1
    # a witness tied to the alliance speaks for nobody: not merged
    uf = merge_sources([items[0], ("person:ana kurz", spoke("4", "Ana Kurz", "alliance", role="witness"), None)])
    assert uf.find("person:ana kurz") != uf.find("actor:ZMB")
    # two alliances named as speakers: the spokesman's is unknown, nothing merges
    two = [*items[:2], ("actor:BRD", _claim("5", speaker=borduria), None)]
    uf = merge_sources(two)
    assert len({uf.find(k) for k, _, _ in two}) == 3


def test_clustering_rules_on_hand_made_claims() -> None:
    docs = [
        _doc(
            "d1",
            [_claim("a", actors=[TUR], recipients=[GNA], day="2020-05-15", materiel=["uav"])],
            "A",
            "2020-05-16",
        ),
        # the same transfer, recipient named only as the state: joins
        _doc("d2", [_claim("b", actors=[TUR], recipients=[LBY], day="2020-05-17")], "B", "2020-05-18"),
        # undated, published two days later: joins
        _doc("d3", [_claim("c", actors=[TUR], recipients=[GNA])], "C", "2020-05-19"),
        # 40 days later: another event
        _doc(
            "d4",
            [_claim("d", actors=[TUR], recipients=[GNA], day="2020-06-25", materiel=["uav"])],
            "D",
            "2020-06-26",
        ),
        # another recipient of the same country, both resolved: vetoed
        _doc("d5", [_claim("e", actors=[TUR], recipients=[LNA], day="2020-05-15")], "E", "2020-05-16"),
        # other materiel: vetoed
        _doc(
            "d6",
            [_claim("f", actors=[TUR], recipients=[GNA], day="2020-05-15", materiel=["ships"])],
            "F",
            "2020-05-16",
        ),
        # an arms deal (AGREE with materiel) is in the AID family
        _doc(
            "d7",
            [_claim("g", "AGREE", actors=[TUR, GNA], day="2020-05-14", materiel=["uav"])],
            "G",
            "2020-05-15",
        ),
        # a denial joins as a contradiction
        _doc(
            "d8",
            [_claim("h", actors=[TUR], recipients=[GNA], polarity="negative", speaker=TUR)],
            "H",
            "2020-05-18",
        ),
    ]
    cl = build_clusters(docs)
    where = {cid: c.id for c in cl for cid in c.claims}
    assert where["a"] == where["b"] == where["c"] == where["g"] == where["h"]
    assert len({where["a"], where["d"], where["e"], where["f"]}) == 4
    main = next(c for c in cl if "a" in c.claims)
    assert [x.claim for x in main.contradictions] == ["h"]
    assert main.when.earliest == "2020-05-14" and main.when.latest == "2020-05-17"
    assert main.independent_sources == 4  # four outlets in their own voice; the denial does not count
    assert event_family(docs[6].claims[0]) == "AID"


def test_unresolved_actors_of_one_country_do_not_anchor_a_cluster() -> None:
    army = Actor(text="the army", kind="unknown", country="LBY", sector="MIL")
    fighters = Actor(text="fighters", kind="unknown", country="LBY")
    docs = [
        _doc("1", [_claim("a", "THREATEN", actors=[army])], "A", "2020-05-16"),
        _doc("2", [_claim("b", "THREATEN", actors=[fighters])], "B", "2020-05-17"),
        _doc("3", [_claim("c", "THREATEN", actors=[fighters, LNA])], "C", "2020-05-17"),
    ]
    where = {cid: c.id for c in build_clusters(docs) for cid in c.claims}
    assert where["a"] != where["b"]  # same country, no registry id: no evidence of one event
    assert where["c"] in (where["a"], where["b"])  # a resolved actor of that country anchors


def test_located_events_far_apart_are_two_clusters() -> None:
    mitiga = Place(text="Mitiga", kind="airport", country="LBY", lat=32.89, lon=13.28)
    tripoli = Place(text="Tripoli", kind="city", country="LBY", lat=32.89, lon=13.19)
    watiya = Place(text="al-Watiya", kind="base", country="LBY", lat=32.47, lon=11.90)
    docs = [
        _doc("1", [_claim("a", "ASSAULT", actors=[LNA], day="2020-05-09", place=mitiga)], "A", "2020-05-09"),
        _doc("2", [_claim("b", "ASSAULT", actors=[LNA], day="2020-05-10", place=tripoli)], "B", "2020-05-10"),
        _doc("3", [_claim("c", "ASSAULT", actors=[LNA], day="2020-05-10", place=watiya)], "C", "2020-05-10"),
    ]
    where = {cid: c.id for c in build_clusters(docs) for cid in c.claims}
    assert where["a"] == where["b"] != where["c"]


def test_bench_clusters_runs() -> None:
    r = bench_clusters(2000)
    assert r["claims"] == 2000 and r["clusters"] > 0 and r["claims_per_s"] > 100


# --------------------------------------------------------------------------- command line


def test_cli_commands(docs: list[Document], tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from khaldun.corpus.cli import register

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(d.model_dump_json() + "\n" for d in docs), encoding="utf-8")
    run = CliRunner().invoke
    r = run(app, ["clusters", "--from-jsonl", str(src), "--type", "AID", "--min-sources", "2"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["counts"]["documents"] == len(docs)
    assert out["clusters"] and all(c["independent_sources"] >= 2 for c in out["clusters"])
    r = run(app, ["clusters", "--from-jsonl", str(src), "--format", "text", "--actor", "ARE"])
    assert r.exit_code == 0 and "United Arab Emirates" in r.stdout
    r = run(
        app,
        [
            "dossier",
            "--embargo",
            "libya",
            "--from",
            "2020-01-01",
            "--to",
            "2020-12-31",
            "--from-jsonl",
            str(src),
        ],
    )
    assert r.exit_code == 0 and r.stdout.startswith("# Alleged transfers under the UN arms embargo on Libya")
    page = tmp_path / "d.html"
    r = run(app, ["dossier", "--embargo", "libya", "--html", "-o", str(page), "--from-jsonl", str(src)])
    assert r.exit_code == 0 and page.read_text().startswith("<!DOCTYPE html>")
    r = run(
        app, ["export", "--from-jsonl", str(src), "--out", str(tmp_path / "x"), "-f", "acled", "-f", "gexf"]
    )
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["acled.csv", "actors.gexf", "manifest.json"]
    assert run(app, ["dossier", "--embargo", "atlantis", "--from-jsonl", str(src)]).exit_code == 2
    assert run(app, ["clusters", "--from-jsonl", str(src), "--from", "May 2020"]).exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "not a document"}\n')
    assert run(app, ["clusters", "--from-jsonl", str(bad)]).exit_code == 2
    assert (
        run(app, ["export", "--from-jsonl", str(src), "--out", str(tmp_path / "y"), "-f", "xml"]).exit_code
        == 2
    )


def test_cli_reads_the_store(docs: list[Document], tmp_path: Path) -> None:
    store_mod = pytest.importorskip("khaldun.store")
    import typer
    from typer.testing import CliRunner

    from khaldun.corpus.cli import register

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    with store_mod.Store.open(url) as store:
        store.add_documents(docs)
    r = CliRunner().invoke(app, ["clusters", "--db", url, "--type", "AID", "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    got = [json.loads(x) for x in r.stdout.splitlines()]
    assert any(c["outlets"] == 6 and c["independent_sources"] == 2 for c in got)  # Turkey's drones
    # the wire story, word for word, in one more outlet: one more outlet, no new text, no new source
    wire = next(d for d in docs if d.source.url and d.source.url.endswith("e1-wire"))
    copy = wire.model_copy(update={"source": Source(outlet="Sahel Monitor", url="https://sahel.example/drones",
                                                    published=wire.source.published, language="en")})
    with store_mod.Store.open(url) as store:
        assert store.add_documents([copy]) == (0, 1)
        counts = store.counts()
    assert counts["documents"] == len({d.id for d in docs}) and counts["document_appearances"] == len(docs) + 1
    r = CliRunner().invoke(app, ["clusters", "--db", url, "--type", "AID", "--format", "jsonl"])
    before = {c["id"]: c for c in got}
    after = {c["id"]: c for c in map(json.loads, r.stdout.splitlines())}
    assert set(after) == set(before)
    carried = [i for i, c in after.items() if "Sahel Monitor" in c["outlet_names"]]
    assert carried
    for i in after:
        b, a = before[i], after[i]
        assert a["independent_sources"] == b["independent_sources"]
        assert a["outlets"] == b["outlets"] + (i in carried) and a["reports"] >= b["reports"] + (i in carried)
    missing = CliRunner().invoke(app, ["clusters", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert missing.exit_code == 2


# --------------------------------------------------------------------------- one text, several outlets


LIBYA_FINDING = Finding(regime="UN arms embargo on Libya", instrument="UNSCR 1970 (2011)", in_force=True,
                        status="potential_violation", reason="a transfer of arms to Libya")


def _appearance_docs() -> tuple[Document, Document, Document]:
    """A wire story, the same text as a second outlet ran it, and an outlet's own report of the event."""
    drones = _claim("w1", actors=[TUR], recipients=[GNA], day="2020-05-08", materiel=["uav"])
    wire = _doc("a" * 64, [drones.model_copy(update={"embargo": [LIBYA_FINDING]})], "Mediterranean Wire",
                "2020-05-08", text="Turkey delivered armed drones to the Government of National Accord in "
                "Tripoli on Friday, according to flight records seen by the wire service.")
    wire.source.url = "https://wire.example/drones"
    harbor = wire.model_copy(update={"source": Source(outlet="Harbor Times", url="https://harbor.example/b",
                                                      published="2020-05-09")})
    own = _claim("c1", actors=[TUR], recipients=[GNA], day="2020-05-08", materiel=["uav"],
                 speaker=Actor(text="Idris Bukhamada", name="Idris Bukhamada", kind="person"))
    courier = _doc("c" * 64, [own.model_copy(update={"embargo": [LIBYA_FINDING]})], "Desert Courier",
                   "2020-05-10", text="A militia commander, Idris Bukhamada, told this newspaper that Turkish "
                   "drones had landed near the capital over the weekend.")
    courier.source.url = "https://courier.example/c"
    return wire, harbor, courier


def test_one_text_from_two_outlets_in_the_store_is_two_outlets_one_source(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from khaldun.corpus.cli import load_documents, register
    from khaldun.store import Store

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    wire, harbor, courier = _appearance_docs()
    url = f"sqlite:///{tmp_path / 'k.db'}"
    with Store.open(url) as store:
        assert store.add_documents([wire, harbor]) == (1, 1)
        c = store.counts()
        assert (c["documents"], c["document_appearances"]) == (1, 2)  # one text, two appearances
    r = CliRunner().invoke(app, ["clusters", "--db", url, "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["counts"]["documents"], out["counts"]["texts"], out["counts"]["syndicated_groups"]) == (2, 1, 1)
    (cl,) = out["clusters"]
    assert (cl["outlets"], cl["independent_sources"], cl["reports"], cl["texts"]) == (2, 1, 2, 1)
    assert cl["outlet_names"] == ["Mediterranean Wire", "Harbor Times"]
    (src,) = cl["sources"]
    assert src["label"] == "Mediterranean Wire" and src["outlets"] == ["Mediterranean Wire", "Harbor Times"]
    assert [(x["outlet"], x["url"], x["published"], x["copy_of"], x["same_text"]) for x in src["reports"]] == [
        ("Mediterranean Wire", "https://wire.example/drones", "2020-05-08", None, False),
        ("Harbor Times", "https://harbor.example/b", "2020-05-09", "Mediterranean Wire", True)]

    with Store.open(url) as store:  # an independent report of the same delivery
        assert store.add_documents([courier, harbor]) == (1, 1)
    docs = load_documents(url, None)
    assert sorted((d.id[:1], d.source.outlet) for d in docs) == [
        ("a", "Harbor Times"), ("a", "Mediterranean Wire"), ("c", "Desert Courier")]
    corpus = analyze_corpus(docs)
    (cl2,) = corpus.clusters
    assert (cl2.outlets, cl2.independent_sources, cl2.reports, cl2.documents, cl2.texts) == (3, 2, 3, 3, 2)

    # the dossier lists every appearance under its source, and says which are the same text
    d = build_dossier(corpus.clusters, "libya", documents=len(corpus.documents))
    (entry,) = d.entries
    md = dossier_markdown(d)
    assert "3 report(s) in 3 outlet(s); 2 independent source(s); 3 article(s) carrying 2 distinct text(s)" in md
    assert "2 report(s) in 2 outlet(s): Mediterranean Wire, Harbor Times" in md
    assert "Harbor Times, 2020-05-09, word-for-word copy of Mediterranean Wire" in md
    assert "(https://harbor.example/b)" in md and "(https://wire.example/drones)" in md
    page = dossier_html(d)
    assert 'href="https://harbor.example/b"' in page and "word-for-word copy of Mediterranean Wire" in page

    # JSONL export: one contract Document per appearance, and it reads back to the same clusters
    man = write_export(corpus, tmp_path / "x", ["jsonl", "ftm", "parquet"])
    assert (man["counts"]["documents"], man["counts"]["texts"]) == (3, 2)
    lines = [json.loads(x) for x in (tmp_path / "x" / "documents.jsonl").read_text().splitlines()]
    assert sorted((x["id"][:1], x["source"]["outlet"], x["source"]["url"], x["source"]["published"])
                  for x in lines) == [
        ("a", "Harbor Times", "https://harbor.example/b", "2020-05-09"),
        ("a", "Mediterranean Wire", "https://wire.example/drones", "2020-05-08"),
        ("c", "Desert Courier", "https://courier.example/c", "2020-05-10")]
    ents = [json.loads(x) for x in (tmp_path / "x" / "ftm.jsonl").read_text().splitlines()]
    assert validate_ftm(ents) == [] and sum(e["schema"] == "Article" for e in ents) == 3
    r = CliRunner().invoke(app, ["clusters", "--from-jsonl", str(tmp_path / "x" / "documents.jsonl"),
                                 "--format", "jsonl"])
    (back,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert (back["outlets"], back["independent_sources"]) == (3, 2)


# --------------------------------------------------------------------------- hand counts, stored clusters


HAND = HERE / "corpus" / "hand_counts.tsv"


def _hand_rows() -> list[dict[str, str]]:
    lines = [ln for ln in HAND.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    head = lines[0].split("\t")
    return [dict(zip(head, ln.split("\t"), strict=True)) for ln in lines[1:]]


def _claims_of(docs: list[Document], key_of: dict[str, str], article: str) -> set[str]:
    return {c.id for d in docs if key_of.get(d.source.url or "") == article for c in d.claims}


def _check_hand_counts(clusters: list[Cluster], docs: list[Document], key_of: dict[str, str]) -> list[str]:
    """Differences between the clusters and the hand counts (rows marked ``miss`` must still differ)."""
    out = []
    for row in _hand_rows():
        hits = [c for c in clusters if c.family == row["family"] and row["article"] in _keys(c, key_of)]
        assert len(hits) == 1, f"{row['article']}/{row['family']}: {len(hits)} clusters"
        c = hits[0]
        ok = c.independent_sources == int(row["independent_sources"])
        if row["expect"] == "ok" and not ok:
            out.append(f"{row['article']}: {c.independent_sources} independent sources, hand count "
                       f"{row['independent_sources']} ({[s.label for s in c.sources if s.supports]})")
        if row["expect"].startswith("miss") and ok:
            out.append(f"{row['article']}: now matches its hand count: mark it ok")
        said = {x.claim for x in c.contradictions}
        for denial in [] if row["denials"] == "-" else row["denials"].split(","):
            if not said & _claims_of(docs, key_of, denial):
                out.append(f"{row['article']}: no contradiction from the denial {denial}")
    return out


def test_independent_sources_and_denials_match_the_hand_counts(corpus, docs, key_of) -> None:
    assert _hand_rows() and _check_hand_counts(corpus.clusters, docs, key_of) == []


def test_a_relay_of_an_outlet_is_that_outlets_source(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e12-relay", "ASSAULT")
    (group,) = [s for s in c.sources if "e12-relay" in {key_of[r.url] for r in s.reports if r.url}]
    assert {key_of[r.url] for r in group.reports if r.url} == {"e12-levant", "e12-relay"}
    assert group.kind == "speaker" and "Bermandoa" in group.label


def test_a_partys_reject_is_a_contradiction(corpus, key_of) -> None:
    c = _cluster(corpus, key_of, "e13-wire", "AID")
    (x,) = c.contradictions
    assert "rejected" in x.why and "Egypt" in x.why and c.polarity == "positive"
    assert c.independent_sources == 1  # the denial is not a supporting source


def test_documents_say_when_they_gave_no_claim(docs) -> None:
    assert any(not d.claims for d in docs) and any(d.claims for d in docs)
    for d in docs:
        assert ("no claim found" in d.warnings) == (not d.claims)
        assert not any("publication date" in w for w in d.warnings)  # every corpus article is dated


def test_no_cluster_spans_more_than_a_year_and_undated_claims_stay_apart() -> None:
    # the same supplier and recipient, month-precise, each month for four years: chained by 14-day gaps before
    claims = []
    for k in range(48):
        y, m = 2020 + k // 12, k % 12 + 1
        c = _claim(f"m{k}", actors=[TUR], recipients=[GNA], day=f"{y}-{m:02d}-01")
        c.when = When(date=f"{y}-{m:02d}-01", precision="month")
        claims.append(_doc(f"{k:064d}", [c], f"Outlet {k % 5}", f"{y}-{m:02d}-20"))
    clusters = build_clusters(claims)
    for c in clusters:
        days = [date.fromisoformat(d.source.published) for d in claims if d.claims[0].id in c.claims]
        assert (max(days) - min(days)).days <= 366
    assert len(clusters) >= 4
    # a claim with no date in a document with no date joins no dated cluster
    dated = _doc("d" * 64, [_claim("a1", actors=[TUR], recipients=[GNA], day="2020-05-08")], "Wire", "2020-05-08")
    undated = Document(id="u" * 64, source=Source(outlet="Blog"), text="an undated post about the delivery",
                       claims=[_claim("u1", actors=[TUR], recipients=[GNA])])
    assert len(build_clusters([dated, undated])) == 2
    # with a publication date that fits, it joins
    fits = _doc("f" * 64, [_claim("f1", actors=[TUR], recipients=[GNA])], "Blog", "2020-05-10")
    (one,) = build_clusters([dated, fits])
    assert set(one.claims) == {"a1", "f1"}


def _sig(clusters: list[Cluster]) -> list[tuple]:
    return sorted((c.family, tuple(sorted(c.claims)), c.independent_sources, c.outlets, c.reports,
                   tuple(sorted(x.claim for x in c.contradictions))) for c in clusters)


def test_stored_clusters_are_the_in_memory_clusters(docs, corpus, key_of, store_url: str) -> None:
    from khaldun.store import Store

    half = len(docs) // 2
    with Store.open(store_url) as s:
        s.add_documents(docs[:half])  # clustered at once, incrementally, in two batches
        s.add_documents(docs[half:])
        assert s.counts()["cluster_queue"] == 0
        inc, total = s.query_clusters(limit=None)
        assert total == len(inc) == len(corpus.clusters)
        assert _check_hand_counts(inc, docs, key_of) == []
        got = s.recluster()
        assert got["claims"] == sum(len(d.claims) for d in docs) and got["denials_linked"] >= 1
        rebuilt, _ = s.query_clusters(limit=None)
    assert _sig(rebuilt) == _sig(corpus.clusters)
    assert _sig(inc) == _sig(corpus.clusters)  # in date order or not, this corpus clusters the same
    assert {c.id for c in rebuilt} == {c.id for c in corpus.clusters}


def _stored_rows(url: str) -> tuple[dict, set, set, set]:
    """Everything `recluster` writes but the time it wrote it."""
    import sqlalchemy as sa

    from khaldun.store import Store

    with Store.open(url, create=False) as s, s.engine.connect() as conn:
        clusters = {r.id: (r.data, r.state, r.independent_sources, r.contradictions, r.search, r.day_lo)
                    for r in conn.execute(sa.text("SELECT * FROM clusters"))}
        members = set(conn.execute(sa.text("SELECT cluster_id, document_id, ordinal, denial FROM cluster_claims")))
        keys = set(conn.execute(sa.text("SELECT key, bucket, cluster_id FROM cluster_keys")))
        terms = set(conn.execute(sa.text("SELECT term, cluster_id FROM cluster_terms")))
    return clusters, members, keys, terms


def test_recluster_on_a_local_dask_cluster_is_the_single_process_recluster(docs, corpus, key_of, tmp_path: Path,
                                                                         monkeypatch) -> None:
    from khaldun.corpus import stored
    from khaldun.store import Store

    monkeypatch.setattr(stored, "FLUSH_CLUSTERS", 4)  # many batches: many tasks
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    for url in (one, two):
        with Store.open(url) as s:
            s.add_documents(docs, cluster=False)
    with Store.open(one) as s:
        local = s.recluster()
        rebuilt, _ = s.query_clusters(limit=None)
    with Store.open(two) as s:
        assert s.recluster(dask="local:2") == local
        assert s.counts()["cluster_queue"] == 0
    assert local["denials_linked"] >= 1 and local["clusters"] == len(corpus.clusters)
    assert _sig(rebuilt) == _sig(corpus.clusters) and _check_hand_counts(rebuilt, docs, key_of) == []
    a, b = _stored_rows(one), _stored_rows(two)
    assert a[0] and a[1] and a[2] and a[3]
    assert a == b


def test_recluster_rewrites_a_cluster_denied_in_many_batches_once(tmp_path: Path, monkeypatch) -> None:
    from khaldun.corpus import stored
    from khaldun.store import Store

    docs = [_doc(f"{k:064d}", [_claim(f"a{k}", actors=[ARE], recipients=[LNA], day="2021-04-03")],
                 f"Wire {k}", "2021-04-04", text=f"report number {k} of a delivery told in its own words")
            for k in range(2)]
    docs += [_doc(f"{k + 10:064d}", [_claim(f"r{k}", "REJECT", actors=[ARE], day=f"2021-04-{10 + k}")],
                  f"Paper {k}", f"2021-04-{10 + k}", text=f"denial number {k} of the story in other words")
             for k in range(3)]
    (aid,) = [c for c in build_clusters(docs) if c.family == "AID"]
    assert len(aid.contradictions) == 3
    monkeypatch.setattr(stored, "QUEUE_BATCH", 1)  # every denial in a batch of its own
    built: list[str] = []
    real = stored.materialize

    def counting(conn, members):  # type: ignore[no-untyped-def]
        built.extend(members)
        return real(conn, members)

    monkeypatch.setattr(stored, "materialize", counting)
    with Store.open(str(tmp_path / "k.db")) as s:
        s.add_documents(docs, cluster=False)
        got = s.recluster()
        rebuilt, _ = s.query_clusters(limit=None)
    assert got["denials_linked"] == 3
    assert _sig(rebuilt) == _sig(build_clusters(docs))
    assert built.count(aid.id) == 2  # written once, then once more with its three denials (not once per batch)


def test_recluster_refuses_a_bad_dask_address_in_one_line(docs, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khaldun.cli import app
    from khaldun.store import Store

    url = str(tmp_path / "k.db")
    with Store.open(url) as s:
        s.add_documents(docs[:3])
    r = CliRunner().invoke(app, ["recluster", "--db", url, "--dask", "local:0"])
    assert r.exit_code == 2 and "local:0" in r.output and "Traceback" not in r.output


def test_store_cluster_and_claim_queries(docs, corpus, key_of, store_url: str) -> None:
    from khaldun.store import Store

    with Store.open(store_url) as s:
        s.add_documents(docs)
        mem = corpus.clusters
        for kw, filt in [
            (dict(actor="ARE"), dict(actor="ARE")),
            (dict(actor="org/lna"), dict(actor="org/lna")),
            (dict(actor="lna"), dict(actor="lna")),
            (dict(actor="haftar"), dict(actor="haftar")),
            (dict(type="AID", date_from="2020-05-01", date_to="2020-05-31"),
             dict(type="AID", start=date(2020, 5, 1), end=date(2020, 5, 31))),
            (dict(embargo_status="potential_violation", regime="libya"),
             dict(embargo="potential_violation", regime="libya")),
            (dict(embargo_status="none"), dict(embargo="none")),
            (dict(min_sources=2), dict(min_sources=2)),
            (dict(place="LBY", type="ASSAULT"), dict(place="LBY", type="ASSAULT")),
        ]:
            page, total = s.query_clusters(**kw, limit=None)
            want = filter_clusters(mem, **filt)
            assert want, kw
            assert sorted(c.id for c in page) == sorted(c.id for c in want) and total == len(want), kw
        first, total = s.query_clusters(limit=3)
        second, _ = s.query_clusters(limit=3, offset=3)
        assert total == len(mem) and len(first) == 3 and not {c.id for c in first} & {c.id for c in second}
        assert [c.independent_sources for c in first] == sorted((c.independent_sources for c in mem), reverse=True)[:3]
        c = _cluster(corpus, key_of, "e1-wire", "AID")
        assert s.get_cluster(c.id) == c and s.get_cluster("cl-none") is None
        denial = next(iter(_claims_of(docs, key_of, "e13-reject")))
        assert _cluster(corpus, key_of, "e13-wire", "AID").id in s.clusters_of_claim(denial)
        claims, n = s.query_claims(actor="ARE", type="AID", limit=2)
        assert n >= 3 and len(claims) == 2 and all(x.claim.event.type == "AID" for x in claims)
        assert s.query_claims(q="Pantsir", limit=None)[1] >= 5
        assert s.query_claims(q="100%_", limit=None)[1] == 0  # wildcards are literal
        with pytest.raises(ValueError):
            s.query_clusters(date_from="May 2020")


def _old_term_rows(c, row):
    """What a schema-version-4 writer stored per term: the term and its cluster, no sort keys."""
    from khaldun.corpus.stored import cluster_row_terms

    return [dict(term=t, cluster_id=row["id"]) for t in sorted(cluster_row_terms(c))]


def _filtered_queries(corpus) -> list[dict]:
    speaker = next(s.id for c in corpus.clusters for s in c.speakers if s.id)
    return [
        dict(actor="ARE"), dict(actor="org/lna"), dict(actor="haftar"), dict(speaker=speaker),
        dict(embargo_status="potential_violation", regime="libya"), dict(embargo_status="potential_violation"),
        dict(embargo_status="any", regime="libya"), dict(regime="libya"), dict(embargo_status="none"),
        dict(actor="ARE", type="AID", date_from="2020-05-01", date_to="2020-06-30"),
        dict(actor="org/lna", min_sources=2), dict(place="LBY"), dict(place="LBY", type="ASSAULT"), dict(),
    ]


def test_v4_store_migrates_to_v5_and_filtered_pages_stay_the_same(docs, corpus, store_url: str, monkeypatch) -> None:
    """A store clustered by khaldun at schema version 4 (terms without sort keys) is migrated: every term
    gets its cluster's sort keys, and each filtered query returns the same clusters in the same order as
    before, whichever path reads the page (sorted matches, a term's order index, the clusters' index)."""
    import sqlalchemy as sa

    from khaldun.corpus import stored
    from khaldun.store import SCHEMA_VERSION, Store, queries, resolve_url
    from khaldun.store import migrations as migrations_mod
    from khaldun.store import store as store_mod
    from khaldun.store.queries import iter_clusters

    engine = store_mod._engine(sa.make_url(resolve_url(store_url)))
    with monkeypatch.context() as m:  # the store as khaldun with schema version 4 wrote it
        m.setattr(migrations_mod, "MIGRATIONS", migrations_mod.MIGRATIONS[:4])
        m.setattr(migrations_mod, "SCHEMA_VERSION", 4)
        m.setattr(stored, "term_rows", _old_term_rows)
        m.setattr(queries, "driver_terms", lambda **_: [])  # read as version 4 did: from the clusters' side
        assert migrations_mod.migrate(engine) == (4, [1, 2, 3, 4])
        old = Store(engine)
        old.add_documents(docs)
        with engine.connect() as conn:
            assert "reports" not in {c["name"] for c in sa.inspect(conn).get_columns("cluster_terms")}
        before = {(i, order): [c.id for c in old.query_clusters(**kw, order=order, limit=None)[0]]
                  for i, kw in enumerate(_filtered_queries(corpus)) for order in queries.ORDERS}
    engine.dispose()
    mem = {c.id: c for c in corpus.clusters}
    for (i, order), ids in before.items():  # the old store answered right (and in order)
        kw = _filtered_queries(corpus)[i]
        assert ids, kw
        if order == "sources":
            ranks = [(mem[x].independent_sources, mem[x].reports) for x in ids]
            assert ranks == sorted(ranks, reverse=True), kw

    with Store.open(store_url) as s:  # opening migrates
        assert s.schema_version() == SCHEMA_VERSION == 5
        with s.engine.connect() as conn:
            idx = {i["name"] for i in sa.inspect(conn).get_indexes("cluster_terms")}
            assert {"ix_cluster_terms_rank", "ix_cluster_terms_day"} <= idx
            n_terms = conn.execute(sa.text("SELECT count(*) FROM cluster_terms")).scalar()
            same = conn.execute(sa.text(
                "SELECT count(*) FROM cluster_terms t JOIN clusters c ON c.id = t.cluster_id "
                "WHERE t.independent_sources = c.independent_sources AND t.reports = c.reports "
                "AND (t.day_lo = c.day_lo OR (t.day_lo IS NULL AND c.day_lo IS NULL))")).scalar()
            assert n_terms and same == n_terms  # every term backfilled from its cluster
        for sort_max in (queries.SORT_MAX, -1):  # few matches: sorted; -1: always the order indexes
            monkeypatch.setattr(queries, "SORT_MAX", sort_max)
            for (i, order), ids in before.items():
                kw = _filtered_queries(corpus)[i]
                page, total = s.query_clusters(**kw, order=order, limit=None)
                assert [c.id for c in page] == ids and total == len(ids), (kw, order, sort_max)
                paged = [c.id for k in range(0, len(ids), 2)
                         for c in s.query_clusters(**kw, order=order, limit=2, offset=k, with_total=False)[0]]
                assert paged == ids, (kw, order, sort_max)
                with s.engine.connect() as conn:
                    assert [c.id for c in iter_clusters(conn, order=order, **kw)] == ids, (kw, order)
        # a later ingest writes the sort keys itself, and rewrites them when a cluster's counts change
        s.add_documents([_doc("9" * 64, [_claim("n1", actors=[TUR], recipients=[GNA])], "Harbor Times",
                              "2020-05-12")])
        with s.engine.connect() as conn:
            bad = conn.execute(sa.text(
                "SELECT count(*) FROM cluster_terms t JOIN clusters c ON c.id = t.cluster_id "
                "WHERE t.independent_sources IS DISTINCT FROM c.independent_sources "
                "OR t.reports IS DISTINCT FROM c.reports OR t.day_lo IS DISTINCT FROM c.day_lo")).scalar()
        assert bad == 0


def test_a_new_outlet_for_a_stored_text_updates_its_clusters(docs, key_of, tmp_path: Path) -> None:
    from khaldun.store import Store
    from khaldun.store.store import Appearance

    with Store.open(str(tmp_path / "k.db")) as s:
        s.add_documents(docs, cluster=False)  # a bulk load: queued, not clustered yet
        assert s.counts()["clusters"] == 0 and s.counts()["cluster_queue"] > 0
        s.update_clusters()
        wire = next(d for d in docs if key_of.get(d.source.url or "") == "e1-wire")
        (cid,) = {i for c in wire.claims[:1] for i in s.clusters_of_claim(c.id)}
        before = s.get_cluster(cid)
        s.add_appearances([Appearance(wire.id, "Sahel Monitor", "https://sahel.example/x", "2020-05-12")])
        s.update_clusters()
        after = s.get_cluster(cid)
    assert after.outlets == before.outlets + 1 and "Sahel Monitor" in after.outlet_names
    assert after.independent_sources == before.independent_sources


def test_dossier_and_export_from_the_stored_clusters(docs, tmp_path: Path) -> None:
    import re

    import typer
    from typer.testing import CliRunner

    from khaldun.corpus.cli import register
    from khaldun.store import Store

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    with Store.open(url) as s:
        s.add_documents(docs)
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(d.model_dump_json() + "\n" for d in docs), encoding="utf-8")
    run = CliRunner().invoke

    def dossier(*args: str) -> str:
        r = run(app, ["dossier", "--embargo", "libya", "--from", "2020-01-01", "--to", "2020-12-31", *args])
        assert r.exit_code == 0, r.output
        return re.sub(r"Generated \S+", "", r.stdout)

    stored, mem = dossier("--db", url), dossier("--from-jsonl", str(src))
    assert "Pantsir" in stored and stored == mem
    r = run(app, ["export", "--db", url, "--out", str(tmp_path / "x"), "-f", "jsonl", "--type", "AID"])
    assert r.exit_code == 0, r.output
    man = json.loads((tmp_path / "x" / "manifest.json").read_text())
    got = [json.loads(x) for x in (tmp_path / "x" / "clusters.jsonl").read_text().splitlines()]
    assert got and all(c["family"] == "AID" for c in got) and man["counts"]["clusters"] == len(got)
    r = run(app, ["recluster", "--db", url])
    assert r.exit_code == 0 and "clusters from" in r.stdout
    assert run(app, ["recluster", "--db", str(tmp_path / "none.db")]).exit_code == 2
