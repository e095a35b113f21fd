"""W3C PROV-JSON for a document's claims: each claim is an entity attributed to its speaker
(wasAttributedTo), quoted from the outlets and interviews of its chain (wasQuotedFrom, nearest first),
with the speaker's stated basis as its primary source (hadPrimarySource), all derived from the article."""

from __future__ import annotations

import re
from typing import Any

from .models import Actor, Document


def _qn(prefix: str, s: str) -> str:
    return f"{prefix}:{re.sub(r'[^A-Za-z0-9_.-]+', '-', s).strip('-')[:80]}"


def prov_bundle(d: Document) -> dict[str, Any]:
    entity: dict[str, Any] = {}
    agent: dict[str, Any] = {}
    attributed: dict[str, Any] = {}
    quoted: dict[str, Any] = {}
    primary: dict[str, Any] = {}
    derived: dict[str, Any] = {}
    art = _qn("doc", d.id[:16])
    entity[art] = {"prov:type": "schema:NewsArticle", "prov:label": d.title or d.source.path or d.id[:16]}
    if d.source.outlet:
        out = _qn("agent", d.source.outlet)
        agent[out] = {"prov:type": "prov:Organization", "prov:label": d.source.outlet}
        attributed[f"_:attr-{art}"] = {"prov:entity": art, "prov:agent": out}

    def agent_id(a: Actor) -> str:
        q = _qn("agent", a.id or a.text)
        agent.setdefault(q, {"prov:type": "prov:Person" if a.kind == "person" else "prov:Organization",
                             "prov:label": a.name or a.text})
        return q

    for c in d.claims:
        cl = _qn("claim", c.id)
        entity[cl] = {"prov:type": "khaldun:Claim", "prov:label": f"{c.event.type}: {c.evidence.text[:120]}"}
        derived[f"_:der-{c.id}"] = {"prov:generatedEntity": cl, "prov:usedEntity": art}
        prev = cl
        for i, v in enumerate(c.attribution.via):
            ve = _qn("via", f"{c.id}-{i}-{v.name}")
            entity[ve] = {"prov:type": f"khaldun:{v.kind}", "prov:label": v.name}
            quoted[f"_:q-{c.id}-{i}"] = {"prov:generatedEntity": prev, "prov:usedEntity": ve}
            prev = ve
        if c.attribution.speaker is not None:
            attributed[f"_:attr-{c.id}"] = {"prov:entity": prev, "prov:agent": agent_id(c.attribution.speaker)}
        if c.attribution.evidence_basis:
            pe = _qn("basis", c.id)
            entity[pe] = {"prov:type": "khaldun:EvidenceBasis", "prov:label": c.attribution.evidence_basis}
            primary[f"_:ps-{c.id}"] = {"prov:generatedEntity": cl, "prov:usedEntity": pe}
    return {
        "prefix": {"khaldun": "https://khaldun.invalid/ns#", "schema": "https://schema.org/",
                   "doc": "https://khaldun.invalid/doc/", "claim": "https://khaldun.invalid/claim/",
                   "agent": "https://khaldun.invalid/agent/", "via": "https://khaldun.invalid/via/",
                   "basis": "https://khaldun.invalid/basis/"},
        "entity": entity, "agent": agent, "wasAttributedTo": attributed, "wasQuotedFrom": quoted,
        "hadPrimarySource": primary, "wasDerivedFrom": derived,
    }
