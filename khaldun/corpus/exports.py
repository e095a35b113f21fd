"""Exports of a clustered corpus, each with a manifest (khaldun version, query, time, counts, files).

=============  =====================================================================================
format         files
=============  =====================================================================================
``jsonl``      ``clusters.jsonl`` (one Cluster a line) and ``documents.jsonl`` (contract Documents, one
               per appearance: a text three outlets published is three lines, same ``id``, each with
               that outlet's ``source``; `khaldun clusters --from-jsonl` reads it back unchanged)
``acled``      ``acled.csv``: one row per cluster, ACLED's 31 columns in ACLED's order, then
               khaldun's ``x_*`` columns; unknown values are empty, never guessed (fatalities too)
``plover``     ``plover.jsonl``: one PLOVER event record per claim (GSR-style ``source``/``target``
               actor lists with ``actorText``, ``code``, ``sector``), with its cluster id
``ftm``        ``ftm.jsonl``: a FollowTheMoney entity stream (Article per document, Person /
               Organization / PublicBody per actor, Event per cluster, UnknownLink supplier ->
               recipient, Payment funder -> recipient, Documentation cluster <-> article), every
               entity checked against the followthemoney model (:func:`validate_ftm`)
``gexf``       ``actors.gexf`` and ``actors.graphml``: the actor network (networkx MultiDiGraph;
``graphml``    one edge per actor pair and event family, weighted by clusters)
``parquet``    ``documents``, ``claims``, ``clusters`` and ``sources`` tables (pyarrow)
=============  =====================================================================================
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from khaldun import __version__
from khaldun.acled import acled_sub_type, acled_type
from khaldun.models import Actor, Document
from khaldun.safety import csv_cell

from .clusters import SEVERITY, Cluster, Corpus
from .dedup import outlet_name

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_EXTRA_COLUMNS",
    "FORMATS",
    "acled_rows",
    "plover_records",
    "ftm_entities",
    "validate_ftm",
    "actor_graph",
    "write_export",
    "manifest",
]

ACLED_COLUMNS: tuple[str, ...] = (
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
)
ACLED_EXTRA_COLUMNS: tuple[str, ...] = (
    "x_cluster_id",
    "x_plover_type",
    "x_family",
    "x_mode",
    "x_date_latest",
    "x_first_seen",
    "x_reports",
    "x_outlets",
    "x_independent_sources",
    "x_contradictions",
    "x_polarity",
    "x_certainty",
    "x_materiel",
    "x_funders",
    "x_embargo_regime",
    "x_embargo_status",
    "x_embargo_reason",
    "x_actor1_id",
    "x_actor2_id",
    "x_claims",
)
FORMATS: tuple[str, ...] = ("jsonl", "acled", "plover", "ftm", "gexf", "graphml", "parquet")
_CIVIL = frozenset({"CVL", "REF", "JRN", "MED", "EDU", "LAB", "BUS", "REL", "HLH", "AGR", "NGO"})


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False)


def _country_name(iso3: str | None) -> tuple[str, str]:
    """(name, numeric code) of an ISO3 code; empty strings when unknown."""
    if not iso3:
        return "", ""
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=iso3)
    except ImportError:  # pragma: no cover - pycountry ships with the actor registry build
        c = None
    if c is None:
        return iso3, ""
    return getattr(c, "common_name", None) or c.name, str(int(c.numeric))


def _event_country(c: Cluster) -> str | None:
    if c.location and c.location.country:
        return c.location.country
    for a in c.recipients + c.actors:
        if a.country:
            return a.country
    return None


def _actor_name(a: Actor) -> str:
    return a.name or a.text


# --------------------------------------------------------------------------- ACLED


def _inter(a: Actor | None, country: str | None) -> str:
    """ACLED interaction code of an actor: 1 state forces, 2 rebels, 3 political militias, 6 protesters,
    7 civilians, 8 external/other forces; empty when unknown."""
    if a is None:
        return ""
    sec = a.sector or ""
    if a.kind == "igo":
        return "8"
    if a.kind == "state" or sec in ("GOV", "MIL", "COP", "SPY", "LEG", "JUD"):
        return "8" if country and a.country and a.country != country else "1"
    if sec in ("REB", "INS"):
        return "2"
    if sec in ("PRM", "UAF"):
        return "3"
    if sec in _CIVIL:
        return "7"
    if a.kind == "armed_group":
        return "2"
    return ""


def _sub_event(c: Cluster, event_type: str | None) -> str:
    return acled_sub_type(c, event_type) or ""


def _acled_type(c: Cluster) -> str | None:
    return acled_type(c)


def acled_rows(clusters: Iterable[Cluster], timestamp: int | None = None) -> Iterator[dict[str, Any]]:
    """One ACLED-shaped row per cluster (all ACLED columns, then the ``x_*`` columns)."""
    ts = int(time.time()) if timestamp is None else timestamp
    for n, c in enumerate(clusters, 1):
        iso3 = _event_country(c)
        cname, numeric = _country_name(iso3)
        day = c.when.earliest or c.first_seen
        if c.when.earliest and c.when.earliest == c.when.latest and c.when.precision == "day":
            prec = "1"
        elif c.when.earliest and c.when.latest and c.when.precision == "day":
            prec = "2"
        else:
            prec = "3"
        etype = _acled_type(c)
        a1 = c.actors[0] if c.actors else None
        a2 = c.recipients[0] if c.recipients else None
        i1, i2 = _inter(a1, iso3), _inter(a2, iso3)
        inter = (
            "".join(sorted(x for x in (i1, i2) if x)) if i1 and i2 else (f"{i1 or i2}0" if (i1 or i2) else "")
        )
        loc = c.location
        geo = ""
        if loc is not None:
            geo = (
                "1"
                if loc.kind in ("city", "base", "airport") and loc.lat is not None
                else ("2" if loc.kind == "region" else "3")
            )
        first = next((r for s in c.sources if s.supports for r in s.reports), None)
        notes = ""
        if first is not None:
            notes = (
                f"{first.evidence} [khaldun: {c.reports} report(s), {c.outlets} outlet(s), "
                f"{c.independent_sources} independent source(s)"
                + (f", {len(c.contradictions)} contradiction(s)" if c.contradictions else "")
                + "]"
            )
        worst = c.embargo[0] if c.embargo else None
        row: dict[str, Any] = {
            "data_id": n,
            "iso": numeric,
            "event_id_cnty": f"{iso3 or 'XXX'}{n}",
            "event_id_no_cnty": n,
            "event_date": day or "",
            "year": (day or "")[:4],
            "time_precision": prec if day else "",
            "event_type": etype or "",
            "sub_event_type": _sub_event(c, etype),
            "actor1": _actor_name(a1) if a1 else "",
            "assoc_actor_1": "; ".join(_actor_name(a) for a in c.actors[1:]),
            "inter1": i1,
            "actor2": _actor_name(a2) if a2 else "",
            "assoc_actor_2": "; ".join(_actor_name(a) for a in c.recipients[1:]),
            "inter2": i2,
            "interaction": inter,
            "region": "",
            "country": cname,
            "admin1": "",
            "admin2": "",
            "admin3": "",
            "location": (loc.name or loc.text) if loc else "",
            "latitude": loc.lat if loc and loc.lat is not None else "",
            "longitude": loc.lon if loc and loc.lon is not None else "",
            "geo_precision": geo,
            "source": "; ".join(c.outlet_names),
            "source_scale": "",
            "notes": notes,
            "fatalities": "",
            "timestamp": ts,
            "iso3": iso3 or "",
            "x_cluster_id": c.id,
            "x_plover_type": c.event.type,
            "x_family": c.family,
            "x_mode": c.event.mode or "",
            "x_date_latest": c.when.latest or "",
            "x_first_seen": c.first_seen or "",
            "x_reports": c.reports,
            "x_outlets": c.outlets,
            "x_independent_sources": c.independent_sources,
            "x_contradictions": len(c.contradictions),
            "x_polarity": c.polarity,
            "x_certainty": c.certainty,
            "x_materiel": "; ".join(m.designation or m.category for m in c.materiel),
            "x_funders": "; ".join(_actor_name(a) for a in c.funders),
            "x_embargo_regime": worst.regime if worst else "",
            "x_embargo_status": worst.status if worst else "",
            "x_embargo_reason": worst.reason if worst else "",
            "x_actor1_id": (a1.id or "") if a1 else "",
            "x_actor2_id": (a2.id or "") if a2 else "",
            "x_claims": " ".join(c.claims),
        }
        yield row


def _write_acled(clusters: Sequence[Cluster], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(ACLED_COLUMNS + ACLED_EXTRA_COLUMNS))
        w.writeheader()
        for row in acled_rows(clusters):
            w.writerow({k: csv_cell(v) for k, v in row.items()})  # no cell runs as a spreadsheet formula
            n += 1
    return n


# --------------------------------------------------------------------------- PLOVER


def _claim_clusters(clusters: Iterable[Cluster]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for c in clusters:
        for s in c.sources:
            for r in s.reports:
                out.setdefault((r.document, r.claim), c.id)
    return out


def _plover_actor(a: Actor) -> dict[str, Any]:
    return {"actorText": a.text, "code": a.country or a.id, "sector": a.sector, "id": a.id, "name": a.name}


def plover_records(documents: Iterable[Document], clusters: Iterable[Cluster]) -> Iterator[dict[str, Any]]:
    """One PLOVER event record per claim, GSR-style, with khaldun's additions under ``khaldun``."""
    where = _claim_clusters(clusters)
    for d in documents:
        for c in d.claims:
            yield {
                "id": f"{d.id[:16]}-{c.id}",
                "date": c.when.date or d.source.published,
                "source": [_plover_actor(a) for a in c.actors],
                "target": [_plover_actor(a) for a in c.recipients],
                "event": c.event.type,
                "mode": c.event.mode,
                "context": c.event.aid_type,
                "eventText": c.event.trigger,
                "text": c.evidence.text,
                "language": d.source.language,
                "publication": outlet_name(d),
                "url": d.source.url,
                "coder": f"khaldun {__version__}",
                "location": (c.location.name or c.location.text) if c.location else None,
                "country": c.location.country if c.location else None,
                "khaldun": {
                    "document": d.id,
                    "claim": c.id,
                    "cluster": where.get((d.id, c.id)),
                    "cameo": c.event.cameo,
                    "polarity": c.factuality.polarity,
                    "certainty": c.factuality.certainty,
                    "speaker": c.attribution.speaker.model_dump(mode="json")
                    if c.attribution.speaker
                    else None,
                    "via": [v.model_dump(mode="json") for v in c.attribution.via],
                    "materiel": [m.model_dump(mode="json") for m in c.materiel],
                    "funders": [_plover_actor(a) for a in c.funders],
                    "embargo": [f.model_dump(mode="json") for f in c.embargo],
                },
            }


# --------------------------------------------------------------------------- FollowTheMoney


def _fid(*parts: str) -> str:
    return "khaldun-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:20]


def _actor_fid(a: Actor) -> str:
    return _fid("actor", a.id or f"{(a.name or a.text).lower()}|{a.country or ''}")


def _actor_schema(a: Actor) -> str:
    if a.kind == "person":
        return "Person"
    if a.kind == "state":
        return "PublicBody"
    return "Organization"


def _doc_fid(d: Document) -> str:
    return _fid("article", d.id, outlet_name(d), d.source.url or "")


def ftm_entities(documents: Sequence[Document], clusters: Sequence[Cluster]) -> Iterator[dict[str, Any]]:
    """A FollowTheMoney entity stream (``{"id", "schema", "properties"}`` dicts) for the clusters.

    Articles are the proof of every statement: Event, UnknownLink and Payment entities carry
    ``proof`` links to the Article entities of their reports, and a Documentation entity ties each
    Event to each Article with the role "reports" or "denies"."""
    from followthemoney import model

    def make(schema: str, eid: str, props: dict[str, Any]) -> dict[str, Any]:
        proxy = model.make_entity(schema)
        proxy.id = eid
        for k, vals in props.items():
            for v in vals if isinstance(vals, list) else [vals]:
                if v is not None and v != "":
                    proxy.add(k, str(v), cleaned=False)
        return proxy.to_dict()

    by_doc: dict[str, list[Document]] = {}
    for d in documents:
        by_doc.setdefault(d.id, []).append(d)
    emitted: set[str] = set()
    actors: dict[str, Actor] = {}
    for c in clusters:
        for a in c.actors + c.recipients + c.funders:
            actors.setdefault(_actor_fid(a), a)
    for fid, a in actors.items():
        props: dict[str, Any] = {
            "name": a.name or a.text,
            "alias": a.text if a.name and a.text != a.name else None,
            "wikidataId": a.wikidata,
            "sourceUrl": None,
        }
        if a.country:
            props["country" if a.kind != "state" else "jurisdiction"] = a.country.lower()
        if a.id:
            props["notes"] = f"khaldun actor id {a.id}" + (f", sector {a.sector}" if a.sector else "")
        yield make(_actor_schema(a), fid, props)
        emitted.add(fid)
    used_docs: dict[str, Document] = {}
    for c in clusters:
        for s in c.sources:
            for r in s.reports:
                for d in by_doc.get(r.document, []):
                    if outlet_name(d) == r.outlet:
                        used_docs.setdefault(_doc_fid(d), d)
    for fid, d in used_docs.items():
        yield make(
            "Article",
            fid,
            {
                "title": d.title,
                "bodyText": d.text,
                "publisher": outlet_name(d),
                "publishedAt": d.source.published,
                "sourceUrl": d.source.url,
                "language": d.source.language,
                "contentHash": None,
                "description": f"khaldun document {d.id}",
            },
        )
        emitted.add(fid)

    def proofs(c: Cluster, supports: bool | None = None) -> list[str]:
        out = []
        for s in c.sources:
            if supports is not None and s.supports != supports:
                continue
            for r in s.reports:
                for d in by_doc.get(r.document, []):
                    if outlet_name(d) == r.outlet and _doc_fid(d) not in out:
                        out.append(_doc_fid(d))
        return out

    for c in clusters:
        ev = _fid("event", c.id)
        status = c.embargo[0] if c.embargo else None
        title = (
            f"{c.event.type}: {', '.join(_actor_name(a) for a in c.actors) or 'unknown'} -> "
            f"{', '.join(_actor_name(a) for a in c.recipients) or 'unknown'}"
        )
        yield make(
            "Event",
            ev,
            {
                "name": title,
                "startDate": c.when.earliest,
                "endDate": c.when.latest,
                "date": None if c.when.earliest else c.first_seen,
                "country": (_event_country(c) or "").lower() or None,
                "location": (c.location.name or c.location.text) if c.location else None,
                "involved": [_actor_fid(a) for a in c.actors + c.recipients + c.funders],
                "organizer": [_actor_fid(a) for a in c.actors],
                "proof": proofs(c),
                "summary": (
                    f"{c.reports} report(s), {c.outlets} outlet(s), {c.independent_sources} independent "
                    f"source(s), {len(c.contradictions)} contradiction(s); khaldun cluster {c.id}"
                ),
                "description": f"{status.regime}: {status.status}. {status.reason}" if status else None,
                "keywords": [c.event.type, c.family] + [m.category for m in c.materiel],
            },
        )
        emitted.add(ev)
        sup_proof = proofs(c, True)
        what = ", ".join(m.designation or m.category for m in c.materiel) or "unspecified"
        if c.polarity == "positive":
            for a in c.actors:
                for r in c.recipients:
                    if _actor_fid(a) == _actor_fid(r):
                        continue
                    yield make(
                        "UnknownLink",
                        _fid("link", c.id, _actor_fid(a), _actor_fid(r)),
                        {
                            "subject": _actor_fid(a),
                            "object": _actor_fid(r),
                            "role": f"{c.event.type.lower()} ({what})",
                            "startDate": c.when.earliest,
                            "endDate": c.when.latest,
                            "proof": sup_proof,
                            "description": f"khaldun cluster {c.id}",
                        },
                    )
            for f in c.funders:
                for r in c.recipients or c.actors:
                    yield make(
                        "Payment",
                        _fid("payment", c.id, _actor_fid(f), _actor_fid(r)),
                        {
                            "payer": _actor_fid(f),
                            "beneficiary": _actor_fid(r),
                            "purpose": f"reported funding of {c.event.type.lower()} (khaldun cluster {c.id})",
                            "startDate": c.when.earliest,
                            "endDate": c.when.latest,
                            "proof": sup_proof,
                        },
                    )
        for s in c.sources:
            for r in s.reports:
                for d in by_doc.get(r.document, []):
                    if outlet_name(d) != r.outlet:
                        continue
                    yield make(
                        "Documentation",
                        _fid("doc", c.id, r.claim, _doc_fid(d)),
                        {
                            "entity": ev,
                            "document": _doc_fid(d),
                            "role": "reports" if s.supports else "denies",
                            "summary": r.evidence,
                            "date": r.published,
                            "description": f"chain: {r.chain}; primary source: {s.label}",
                        },
                    )


def validate_ftm(entities: Iterable[dict[str, Any]]) -> list[str]:
    """Errors of an entity stream under the followthemoney model: unknown or abstract schema, unknown
    property, invalid value, missing required property, or an entity link to an id not in the stream
    or of the wrong schema. Empty when the stream is valid."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    ents = list(entities)
    by_id = {e.get("id"): e for e in ents}
    errors: list[str] = []
    for e in ents:
        eid = e.get("id")
        schema = model.get(e.get("schema", ""))
        if schema is None or schema.abstract:
            errors.append(f"{eid}: schema {e.get('schema')!r} is unknown or abstract")
            continue
        props = e.get("properties", {})
        for name in props:
            if name not in schema.properties:
                errors.append(f"{eid}: {schema.name} has no property {name!r}")
        try:
            schema.validate({"properties": {k: v for k, v in props.items() if k in schema.properties}})
        except InvalidData as exc:
            errors.append(f"{eid}: {exc} {getattr(exc, 'errors', '')}")
        for req in schema.required:
            if not props.get(req):
                errors.append(f"{eid}: {schema.name} needs {req!r}")
        for name, vals in props.items():
            prop = schema.properties.get(name)
            if prop is None or prop.type.name != "entity":
                continue
            for v in vals:
                target = by_id.get(v)
                if target is None:
                    errors.append(f"{eid}: {name} -> {v} is not in the stream")
                    continue
                tschema = model.get(target["schema"])
                if prop.range is not None and tschema is not None and not tschema.is_a(prop.range):
                    errors.append(f"{eid}: {name} -> {v} is a {tschema.name}, not a {prop.range.name}")
    return errors


# --------------------------------------------------------------------------- actor network


def _node_key(a: Actor) -> str:
    return a.id or f"{(a.name or a.text).lower()}|{a.country or ''}"


def actor_graph(clusters: Iterable[Cluster]) -> Any:
    """The actor network as a networkx MultiDiGraph: nodes are actors, one edge per (actor, recipient,
    event family) with clusters, reports, best independent-source count and the gravest embargo status;
    funders link to recipients with the family ``FUND``; symmetric events link their parties."""
    import networkx as nx

    g = nx.MultiDiGraph()

    def node(a: Actor) -> str:
        k = _node_key(a)
        if k not in g:
            g.add_node(
                k,
                label=a.name or a.text,
                kind=a.kind,
                country=a.country or "",
                sector=a.sector or "",
                wikidata=a.wikidata or "",
                registry_id=a.id or "",
            )
        return k

    def edge(u: str, v: str, fam: str, c: Cluster) -> None:
        if u == v:
            return
        if g.has_edge(u, v, key=fam):
            e = g[u][v][fam]
            e["weight"] += 1
            e["reports"] += c.reports
            e["independent_sources"] = max(e["independent_sources"], c.independent_sources)
            e["clusters"] += " " + c.id
            if c.embargo and SEVERITY[c.embargo[0].status] > SEVERITY.get(e["embargo"], -1):
                e["embargo"] = c.embargo[0].status
            if c.contradictions:
                e["contested"] = True
        else:
            g.add_edge(
                u,
                v,
                key=fam,
                relation=fam,
                weight=1,
                reports=c.reports,
                independent_sources=c.independent_sources,
                clusters=c.id,
                embargo=c.embargo[0].status if c.embargo else "",
                contested=bool(c.contradictions),
                first=c.when.earliest or c.first_seen or "",
            )

    for c in clusters:
        if c.polarity != "positive":
            continue
        acts = [node(a) for a in c.actors]
        recs = [node(a) for a in c.recipients]
        funds = [node(a) for a in c.funders]
        if not recs and c.event.type in ("AGREE", "CONSULT", "COOPERATE"):
            parties = sorted(set(acts))
            for i, u in enumerate(parties):
                for v in parties[i + 1 :]:
                    edge(u, v, c.family, c)
        for u in acts:
            for v in recs:
                edge(u, v, c.family, c)
        for u in funds:
            for v in recs or acts:
                edge(u, v, "FUND", c)
    return g


# --------------------------------------------------------------------------- Parquet


def _tables(corpus: Corpus) -> dict[str, list[dict[str, Any]]]:
    where = _claim_clusters(corpus.clusters)
    synd = corpus.syndication
    docs, claims = [], []
    for i, d in enumerate(corpus.documents):
        docs.append(
            {
                "document": d.id,
                "outlet": outlet_name(d),
                "published": d.source.published,
                "url": d.source.url,
                "title": d.title,
                "language": d.source.language,
                "claims": len(d.claims),
                "syndication_group": synd.group_of[i],
                "copy_of": synd.origin_outlet(i) if synd.origin[synd.group_of[i]] != i else None,
                "same_text": synd.origin[synd.group_of[i]] != i and synd.origin_doc(i).id == d.id,
                "chars": len(d.text),
            }
        )
        for c in d.claims:
            claims.append(
                {
                    "document": d.id,
                    "claim": c.id,
                    "cluster": where.get((d.id, c.id)),
                    "type": c.event.type,
                    "mode": c.event.mode,
                    "aid_type": c.event.aid_type,
                    "cameo": c.event.cameo,
                    "trigger": c.event.trigger,
                    "actor_ids": [a.id for a in c.actors if a.id],
                    "actors": [a.name or a.text for a in c.actors],
                    "recipient_ids": [a.id for a in c.recipients if a.id],
                    "recipients": [a.name or a.text for a in c.recipients],
                    "funders": [a.name or a.text for a in c.funders],
                    "materiel": [m.designation or m.category for m in c.materiel],
                    "location": (c.location.name or c.location.text) if c.location else None,
                    "country": c.location.country if c.location else None,
                    "lat": c.location.lat if c.location else None,
                    "lon": c.location.lon if c.location else None,
                    "date": c.when.date,
                    "polarity": c.factuality.polarity,
                    "certainty": c.factuality.certainty,
                    "tense": c.factuality.tense,
                    "speaker": (c.attribution.speaker.name or c.attribution.speaker.text)
                    if c.attribution.speaker
                    else None,
                    "speaker_id": c.attribution.speaker.id if c.attribution.speaker else None,
                    "via": [f"{v.name} ({v.kind})" for v in c.attribution.via],
                    "evidence": c.evidence.text,
                    "start": c.evidence.start,
                    "end": c.evidence.end,
                    "embargo_status": max(
                        (f.status for f in c.embargo), key=lambda s: SEVERITY[s], default=None
                    ),
                }
            )
    clusters, sources = [], []
    for c in corpus.clusters:
        clusters.append(
            {
                "cluster": c.id,
                "type": c.event.type,
                "family": c.family,
                "mode": c.event.mode,
                "actor_ids": [a.id for a in c.actors if a.id],
                "actors": [a.name or a.text for a in c.actors],
                "recipient_ids": [a.id for a in c.recipients if a.id],
                "recipients": [a.name or a.text for a in c.recipients],
                "funders": [a.name or a.text for a in c.funders],
                "materiel": [m.designation or m.category for m in c.materiel],
                "earliest": c.when.earliest,
                "latest": c.when.latest,
                "location": (c.location.name or c.location.text) if c.location else None,
                "country": _event_country(c),
                "reports": c.reports,
                "outlets": c.outlets,
                "outlet_names": c.outlet_names,
                "texts": c.texts,
                "independent_sources": c.independent_sources,
                "first_seen": c.first_seen,
                "contradictions": len(c.contradictions),
                "polarity": c.polarity,
                "certainty": c.certainty,
                "embargo_regime": c.embargo[0].regime if c.embargo else None,
                "embargo_status": c.embargo[0].status if c.embargo else None,
                "claims": c.claims,
            }
        )
        for s in c.sources:
            sources.append(
                {
                    "cluster": c.id,
                    "source": s.key,
                    "label": s.label,
                    "kind": s.kind,
                    "supports": s.supports,
                    "reports": len(s.reports),
                    "outlets": s.outlets,
                    "first_seen": s.first_seen,
                    "chains": [r.chain for r in s.reports],
                }
            )
    return {"documents": docs, "claims": claims, "clusters": clusters, "sources": sources}


# --------------------------------------------------------------------------- writing


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(query: dict[str, Any], counts: dict[str, int], files: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest that goes beside every export."""
    return {
        "khaldun": __version__,
        "contract": 1,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "query": query,
        "counts": counts,
        "files": files,
    }


def write_export(
    corpus: Corpus,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    clusters: Sequence[Cluster] | None = None,
    query: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write the chosen formats into ``out_dir`` with ``manifest.json``; returns the manifest.

    ``clusters``: the (filtered) clusters to export, all of the corpus's by default; documents are those
    that carry a claim of an exported cluster (all documents when no filter was applied). Raises
    ValueError on an unknown format or an FtM stream that fails validation."""
    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown export format(s) {', '.join(bad)}; one of {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = list(corpus.clusters if clusters is None else clusters)
    if clusters is None:
        docs = list(corpus.documents)
    else:
        keep = {r.document for c in chosen for s in c.sources for r in s.reports}
        docs = [d for d in corpus.documents if d.id in keep]
    files: list[dict[str, Any]] = []

    def done(name: str, fmt: str, rows: int) -> None:
        p = out_dir / name
        files.append(
            {"name": name, "format": fmt, "rows": rows, "bytes": p.stat().st_size, "sha256": _sha256(p)}
        )

    if "jsonl" in formats:
        with (out_dir / "clusters.jsonl").open("w", encoding="utf-8") as f:
            for c in chosen:
                f.write(c.model_dump_json() + "\n")
        done("clusters.jsonl", "khaldun clusters (JSON Lines)", len(chosen))
        with (out_dir / "documents.jsonl").open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(d.model_dump_json() + "\n")
        done("documents.jsonl", "khaldun documents, contract 1 (JSON Lines)", len(docs))
    if "acled" in formats:
        done(
            "acled.csv",
            "ACLED-shaped CSV (31 ACLED columns, then x_* columns)",
            _write_acled(chosen, out_dir / "acled.csv"),
        )
    if "plover" in formats:
        n = 0
        with (out_dir / "plover.jsonl").open("w", encoding="utf-8") as f:
            for rec in plover_records(docs, chosen):
                f.write(_dump(rec) + "\n")
                n += 1
        done("plover.jsonl", "PLOVER event records (JSON Lines)", n)
    if "ftm" in formats:
        ents = list(ftm_entities(docs, chosen))
        errs = validate_ftm(ents)
        if errs:
            raise ValueError("FollowTheMoney validation failed: " + "; ".join(errs[:5]))
        with (out_dir / "ftm.jsonl").open("w", encoding="utf-8") as f:
            for e in ents:
                f.write(_dump(e) + "\n")
        done("ftm.jsonl", "FollowTheMoney entity stream (validated)", len(ents))
    if "gexf" in formats or "graphml" in formats:
        import networkx as nx

        g = actor_graph(chosen)
        if "gexf" in formats:
            nx.write_gexf(g, out_dir / "actors.gexf")
            done("actors.gexf", "GEXF actor network", g.number_of_edges())
        if "graphml" in formats:
            nx.write_graphml(g, out_dir / "actors.graphml")
            done("actors.graphml", "GraphML actor network", g.number_of_edges())
    if "parquet" in formats:
        import pyarrow as pa
        import pyarrow.parquet as pq

        sub = (
            Corpus(documents=docs, syndication=corpus.syndication, clusters=chosen)
            if clusters is None
            else None
        )
        tables = _tables(sub or _subcorpus(corpus, docs, chosen))
        for name, rows in tables.items():
            fname = f"{name}.parquet"
            pq.write_table(pa.Table.from_pylist(rows) if rows else pa.table({}), out_dir / fname)
            done(fname, f"Parquet table '{name}'", len(rows))
    counts = {
        "documents": len(docs),  # one per appearance (outlet, URL) of a text
        "texts": len({d.id for d in docs}),
        "claims": sum(len(d.claims) for d in docs),
        "clusters": len(chosen),
        "independent_sources": sum(c.independent_sources for c in chosen),
        "contradictions": sum(len(c.contradictions) for c in chosen),
        "embargo_findings": sum(len(c.embargo) for c in chosen),
    }
    man = manifest(query or {}, counts, files)
    (out_dir / "manifest.json").write_text(
        json.dumps(man, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return man


def _subcorpus(corpus: Corpus, docs: list[Document], clusters: list[Cluster]) -> Corpus:
    """The corpus restricted to some documents, keeping syndication indices consistent."""
    from .dedup import find_syndication

    return Corpus(documents=docs, syndication=find_syndication(docs), clusters=clusters)
