"""The human-readable report (`--format text`): one block per claim, with its evidence and why."""

from __future__ import annotations

from .models import Actor, Claim, Document


def _actors(xs: list[Actor]) -> str:
    if not xs:
        return "-"
    out = []
    for a in xs:
        tag = "/".join(x for x in (a.country, a.sector) if x)
        out.append(f"{a.text}" + (f" [{a.id}{', ' + tag if tag else ''}]" if a.id else (f" [{tag}]" if tag else "")))
    return "; ".join(out)


def claim_block(c: Claim, n: int) -> str:
    ev = c.event
    f = c.factuality
    a = c.attribution
    head = f"[{n}] {ev.type}" + (f"/{ev.mode}" if ev.mode else "") + (f" ({ev.aid_type})" if ev.aid_type else "")
    head += f"  cameo {ev.cameo}" if ev.cameo else ""
    lines = [head + f"  trigger: '{ev.trigger}'"]
    lines.append(f"    who:        {_actors(c.actors)}")
    lines.append(f"    to/whom:    {_actors(c.recipients)}")
    if c.funders:
        lines.append(f"    funded by:  {_actors(c.funders)}")
    if c.materiel:
        lines.append("    materiel:   " + "; ".join(
            f"{m.text} ({m.category}{', ' + m.designation if m.designation else ''}"
            f"{', x' + str(m.quantity) if m.quantity else ''})" for m in c.materiel))
    if c.location:
        lines.append(f"    where:      {c.location.name or c.location.text} ({c.location.kind}, {c.location.country})")
    if c.when.text:
        lines.append(f"    when:       {c.when.text} -> {c.when.date} ({c.when.precision or 'approximate'})")
    lines.append(f"    factuality: {f.tense}, {f.certainty}, {f.polarity}" + (f"  cues: {', '.join(f.cues)}"
                                                                                 if f.cues else ""))
    if a.speaker is not None:
        sp = a.speaker.name or a.speaker.text
        lines.append(f"    says who:   {sp}" + (f" ({a.speaker_role})" if a.speaker_role else "")
                     + f", {a.quote} quote" + (f", cue '{a.cue}'" if a.cue else ""))
    else:
        lines.append("    says who:   the outlet, in its own voice" if a.quote == "none" else
                     "    says who:   an unnamed source")
    if a.via:
        lines.append("    via:        " + " <- ".join(f"{v.name} ({v.kind})" for v in a.via))
    if a.evidence_basis:
        lines.append(f"    basis:      {a.evidence_basis}")
    for fnd in c.embargo:
        lines.append(f"    EMBARGO:    {fnd.status} under {fnd.instrument} (in force: {fnd.in_force}): {fnd.reason}")
    lines.append(f"    evidence:   \"{c.evidence.text}\" [{c.evidence.start}:{c.evidence.end}]")
    for m in c.evidence.more:
        lines.append(f"    also:       \"{m.text}\" [{m.start}:{m.end}]")
    return "\n".join(lines)


def document_report(d: Document) -> str:
    src = d.source
    head = f"== {src.path or d.id[:12]}"
    meta = ", ".join(x for x in (src.outlet, src.published, src.language) if x)
    if meta:
        head += f" ({meta})"
    out = [head]
    if d.title:
        out.append(f"   title: {d.title}")
    out.append(f"   {len(d.claims)} claims")
    for i, c in enumerate(d.claims, 1):
        out.append(claim_block(c, i))
    return "\n".join(out)


def dropped_report(doc: Document) -> str:
    """The candidate claims the pipeline did not keep, each with its reason (`analyze --explain`)."""
    if not doc.dropped:
        return "dropped candidates: none"
    lines = [f"dropped candidates: {len(doc.dropped)}"]
    for k, d in enumerate(doc.dropped, 1):
        ev = " ".join(d.evidence.text.split())
        lines.append(f"  ({k}) {d.event_type} '{d.trigger}' [{d.stage}] {d.reason}")
        lines.append(f"      \"{ev[:200]}{'...' if len(ev) > 200 else ''}\"")
    return "\n".join(lines)
