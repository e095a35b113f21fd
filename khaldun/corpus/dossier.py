"""Embargo dossiers: every alleged transfer under one UN arms embargo, with its sources, for a panel.

`build_dossier` selects the transfer clusters (family AID: deliveries and arms deals) that carry a
finding for the regime and overlap the date range; each entry gives supplier, recipient, materiel,
funders, dates, corroboration (reports, outlets, independent sources, contradictions), the chain of
every report, and the regime status with its reason. `dossier_markdown` and `dossier_html` (one
self-contained page: inline CSS, no scripts, every text escaped) render it.

The status is an assessment of the claim as reported, not a finding of fact: the dossier says so.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from khaldun import __version__
from khaldun.models import Actor, Finding, Materiel

from .clusters import SEVERITY, Cluster, filter_clusters

__all__ = ["Dossier", "DossierEntry", "resolve_regime", "build_dossier", "dossier_markdown", "dossier_html"]

CAVEAT = (
    "khaldun extracts these claims automatically from news text. Each line cites the article it comes "
    "from so that it can be checked; the status is an assessment of the transfer as reported, not a "
    "finding of fact, and an independent source is a distinct primary source (syndicated copies and "
    "relays of one speaker count once), not a verified one."
)


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DossierEntry(_M):
    number: int
    cluster: Cluster
    status: str
    reason: str
    instrument: str
    in_force: bool
    suppliers: list[Actor] = Field(default_factory=list)
    also_named_suppliers: list[Actor] = Field(default_factory=list)
    recipients: list[Actor] = Field(default_factory=list)
    also_named_recipients: list[Actor] = Field(default_factory=list)
    contested: bool = False


class Dossier(_M):
    regime: str
    regime_id: str
    instrument: str
    start: str | None = None
    end: str | None = None
    generated: str
    khaldun: str = __version__
    documents: int = 0
    clusters_considered: int = 0
    entries: list[DossierEntry] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    caveat: str = CAVEAT


def resolve_regime(query: str) -> Any:
    """The embargo regime named by id ("libya"), name or target country (ISO3); ValueError if none."""
    from khaldun.embargo import load_regimes

    q = query.strip().lower()
    regimes = load_regimes()
    for r in regimes:
        if r.id.lower() == q:
            return r
    for r in regimes:
        if q.upper() in r.targets and r.end is None:
            return r
    hits = [r for r in regimes if q in r.name.lower()]
    if hits:
        return min(hits, key=lambda r: (r.end is not None, len(r.name)))
    raise ValueError(f"no embargo regime matches {query!r}; ids: {', '.join(r.id for r in regimes)}")


def _main(actors: list[Actor], counts: dict[str, int], n: int) -> tuple[list[Actor], list[Actor]]:
    """Actors named by at least a third of the supporting reports lead; the rest are 'also named'."""
    floor = max(1, math.ceil(n / 3))

    def key(a):
        return a.id or f"{(a.name or a.text).lower()}|{a.country or ''}"

    main = [a for a in actors if counts.get(key(a), 0) >= floor]
    if not main and actors:
        main = actors[:1]
    return main, [a for a in actors if a not in main]


def build_dossier(
    clusters: Iterable[Cluster],
    embargo: str,
    start: date | None = None,
    end: date | None = None,
    documents: int = 0,
) -> Dossier:
    """The dossier of one regime: transfer clusters with a finding for it, gravest status first."""
    regime = resolve_regime(embargo)
    pool = [c for c in clusters if c.family == "AID"]
    chosen = filter_clusters(pool, start=start, end=end)
    entries: list[tuple[Cluster, Finding]] = []
    for c in chosen:
        f = next((f for f in c.embargo if f.regime == regime.name), None)
        if f is not None and c.polarity == "positive":
            entries.append((c, f))
    entries.sort(
        key=lambda cf: (-SEVERITY[cf[1].status], cf[0].when.earliest or cf[0].first_seen or "9999", cf[0].id)
    )
    out: list[DossierEntry] = []
    for i, (c, f) in enumerate(entries, 1):
        n_sup = sum(len(s.reports) for s in c.sources if s.supports) or c.reports
        sup, sup_more = _main(c.actors, c.counts.get("actors", {}), n_sup)
        rec, rec_more = _main(c.recipients, c.counts.get("recipients", {}), n_sup)
        out.append(
            DossierEntry(
                number=i,
                cluster=c,
                status=f.status,
                reason=f.reason,
                instrument=f.instrument,
                in_force=f.in_force,
                suppliers=sup,
                also_named_suppliers=sup_more,
                recipients=rec,
                also_named_recipients=rec_more,
                contested=bool(c.contradictions),
            )
        )
    counts = {s: sum(1 for e in out if e.status == s) for s in SEVERITY}
    counts["entries"] = len(out)
    counts["contested"] = sum(1 for e in out if e.contested)
    counts["single_source"] = sum(1 for e in out if e.cluster.independent_sources <= 1)
    return Dossier(
        regime=regime.name,
        regime_id=regime.id,
        instrument=regime.instrument,
        start=start.isoformat() if start else None,
        end=end.isoformat() if end else None,
        generated=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        documents=documents,
        clusters_considered=len(pool),
        entries=out,
        counts=counts,
    )


# --------------------------------------------------------------------------- text helpers


def _actor(a: Actor) -> str:
    name = a.name or a.text
    return f"{name} ({a.id})" if a.id and a.id != name else name


def _actors(xs: list[Actor]) -> str:
    return ", ".join(_actor(a) for a in xs) or "unknown"


def _materiel(ms: list[Materiel]) -> str:
    parts = []
    for m in ms:
        s = m.category.replace("_", " ")
        if m.designation:
            s += f" ({m.designation})"
        if m.quantity:
            s = f"{m.quantity} x {s}"
        parts.append(s)
    return "; ".join(parts) or "unspecified"


def _dates(c: Cluster) -> str:
    ev = c.when.text or "undated"
    return f"{ev}; first reported {c.first_seen or 'unknown'}"


def _title(e: DossierEntry) -> str:
    return f"{_actors(e.suppliers)} \u2192 {_actors(e.recipients)}: {_materiel(e.cluster.materiel)}"


def _copy(r: Any) -> str:
    """How a report relates to the story it republishes: the same text word for word, or an edited copy."""
    return "word-for-word copy of" if r.same_text else "copy of"


def _corroboration(c: Cluster) -> str:
    s = f"{c.reports} report(s) in {c.outlets} outlet(s); {c.independent_sources} independent source(s)"
    if 0 < c.texts < c.documents:
        s += f"; {c.documents} article(s) carrying {c.texts} distinct text(s)"
    if c.contradictions:
        s += f"; {len(c.contradictions)} contradiction(s)"
    return s


def _period(d: Dossier) -> str:
    if d.start and d.end:
        return f"{d.start} to {d.end}"
    if d.start:
        return f"from {d.start}"
    if d.end:
        return f"to {d.end}"
    return "all dates"


def _md(s: str | None) -> str:
    """Text safe inside Markdown: no line breaks, table pipes and brackets escaped."""
    s = (s or "").replace("\n", " ").strip()
    for ch in ("\\", "|", "[", "]", "*", "_", "`", "<", ">"):
        s = s.replace(ch, "\\" + ch)
    return s


def _summary(d: Dossier) -> str:
    n = d.counts.get
    return (
        f"Instrument: {d.instrument}. Generated {d.generated} by khaldun {d.khaldun} from {d.documents} "
        f"document(s); {d.clusters_considered} transfer cluster(s) considered, {n('entries', 0)} listed: "
        f"{n('potential_violation', 0)} potential violation(s), {n('possibly_exempt', 0)} possibly exempt, "
        f"{n('not_covered', 0)} not covered; {n('contested', 0)} contested, {n('single_source', 0)} resting "
        "on a single source."
    )


def _place(c: Cluster) -> str:
    loc = c.location
    if loc is None:
        return "unknown"
    return (loc.name or loc.text) + (f" ({loc.country})" if loc.country else "")


def dossier_markdown(d: Dossier) -> str:
    """The dossier as Markdown."""
    L: list[str] = []
    L.append(f"# Alleged transfers under the {_md(d.regime)}, {_md(_period(d))}")
    L.append("")
    L.append(_md(_summary(d)))
    L.append("")
    L.append(f"> {_md(d.caveat)}")
    L.append("")
    if not d.entries:
        L.append("No alleged transfer in this period.")
        return "\n".join(L) + "\n"
    L.append(
        "| # | dates | supplier | recipient | materiel | status | independent sources | reports / outlets |"
        " contested |"
    )
    L.append("|---|---|---|---|---|---|---|---|---|")
    for e in d.entries:
        c = e.cluster
        L.append(
            f"| {e.number} | {_md(c.when.text or 'undated')} | {_md(_actors(e.suppliers))} | "
            f"{_md(_actors(e.recipients))} | {_md(_materiel(c.materiel))} | {e.status} | "
            f"{c.independent_sources} | {c.reports} / {c.outlets} | {'yes' if e.contested else 'no'} |"
        )
    for e in d.entries:
        c = e.cluster
        L.append("")
        L.append(f"## {e.number}. {_md(_title(e))}")
        L.append("")
        L.append(
            f"- **Status**: {e.status} ({_md(e.instrument)}; {'in force' if e.in_force else 'not in force'})"
        )
        L.append(f"- **Reason**: {_md(e.reason)}")
        L.append(
            f"- **Supplier**: {_md(_actors(e.suppliers))}"
            + (f" (also named: {_md(_actors(e.also_named_suppliers))})" if e.also_named_suppliers else "")
        )
        L.append(
            f"- **Recipient**: {_md(_actors(e.recipients))}"
            + (f" (also named: {_md(_actors(e.also_named_recipients))})" if e.also_named_recipients else "")
        )
        L.append(f"- **Materiel**: {_md(_materiel(c.materiel))}")
        L.append(f"- **Funders**: {_md(_actors(c.funders)) if c.funders else 'none named'}")
        L.append(f"- **Place**: {_md(_place(c))}")
        L.append(f"- **Dates**: {_md(_dates(c))}")
        L.append(f"- **Corroboration**: {_md(_corroboration(c))}")
        L.append(f"- **Cluster**: `{c.id}`")
        L.append("")
        L.append("### Sources")
        L.append("")
        n = 0
        for s in c.sources:
            if not s.supports:
                continue
            n += 1
            basis = f"; evidence basis: {_md('; '.join(s.evidence_basis))}" if s.evidence_basis else ""
            L.append(
                f"{n}. **{_md(s.label)}** ({s.kind}; {len(s.reports)} report(s) in {len(s.outlets)} "
                f"outlet(s): {_md(', '.join(s.outlets))}){basis}"
            )
            for r in s.reports:
                url = _safe_url(r.url)
                name = _md(r.title or r.outlet)
                where = f"[{name}]({_md_url(url)})" if url else name
                copy = f", {_copy(r)} {_md(r.copy_of)}" if r.copy_of else ""
                L.append(
                    f"    - {_md(r.outlet)}, {r.published or 'undated'}{copy}: {where}. "
                    f"Chain: {_md(r.chain)}. Certainty: {r.certainty}. \u201c{_md(r.evidence)}\u201d"
                )
        if c.contradictions:
            L.append("")
            L.append("### Contradictions")
            L.append("")
            for x in c.contradictions:
                L.append(f"- {_md(x.why)}")
    return "\n".join(L) + "\n"


_CSS = """
body{font:15px/1.45 Georgia,'Times New Roman',serif;color:#1a1a1a;max-width:1100px;margin:2em auto;
padding:0 1em}
h1{font-size:1.6em;border-bottom:2px solid #333;padding-bottom:.3em}h2{font-size:1.25em;margin-top:2em;
border-top:1px solid #bbb;padding-top:.8em}h3{font-size:1.05em}
table{border-collapse:collapse;width:100%;font:13px/1.35 Arial,Helvetica,sans-serif}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left}th{background:#eee}
.caveat{background:#fff8e1;border-left:4px solid #f0b400;padding:.6em 1em;font-size:.92em}
.meta{color:#555;font-size:.92em}.st{font:bold 12px Arial,sans-serif;padding:.1em .45em;border-radius:3px;
white-space:nowrap}.potential_violation{background:#fbe3e3;color:#8b0000}.possibly_exempt{background:#fff2cc;
color:#6b4e00}.not_covered{background:#e8eef7;color:#2a4a7f}dl{display:grid;grid-template-columns:11em 1fr;
gap:.25em 1em}dt{font-weight:bold}dd{margin:0}ol.src>li{margin:.6em 0}ul.rep{font-size:.92em}
blockquote{margin:.2em 0 .4em 0;padding-left:.8em;border-left:3px solid #ccc;color:#333}
code{font-size:.9em}.nw{white-space:nowrap}.contra li{color:#7a2e00}
@media print{body{margin:0}h2{page-break-before:auto}}
"""


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _md_url(url: str) -> str:
    """A URL fit for a Markdown link target: every character that could end the link or open HTML
    (quotes, angle brackets, parentheses, spaces, backslash, backtick, brackets) percent-encoded."""
    from urllib.parse import quote

    return quote(url, safe=":/?#@!$&*+,;=%~-._")


def _safe_url(url: str | None) -> str | None:
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def dossier_html(d: Dossier) -> str:
    """The dossier as one self-contained HTML page (inline CSS, no scripts, no external resources)."""
    H: list[str] = []
    title = f"Alleged transfers under the {d.regime}, {_period(d)}"
    H.append("<!DOCTYPE html>")
    H.append('<html lang="en"><head><meta charset="utf-8">')
    H.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    H.append(f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>")
    H.append(f"<h1>{_e(title)}</h1>")
    H.append(f'<p class="meta">{_e(_summary(d))}</p>')
    H.append(f'<p class="caveat">{_e(d.caveat)}</p>')
    if not d.entries:
        H.append("<p>No alleged transfer in this period.</p></body></html>")
        return "\n".join(H) + "\n"
    H.append(
        "<table><thead><tr><th>#</th><th>dates</th><th>supplier</th><th>recipient</th><th>materiel</th>"
        "<th>status</th><th>independent sources</th><th>reports / outlets</th><th>contested</th></tr></thead>"
        "<tbody>"
    )
    for e in d.entries:
        c = e.cluster
        H.append(
            f'<tr><td><a href="#e{e.number}">{e.number}</a></td>'
            f'<td class="nw">{_e(c.when.text or "undated")}</td>'
            f"<td>{_e(_actors(e.suppliers))}</td><td>{_e(_actors(e.recipients))}</td>"
            f'<td>{_e(_materiel(c.materiel))}</td><td><span class="st {e.status}">{_e(e.status)}</span></td>'
            f"<td>{c.independent_sources}</td><td>{c.reports} / {c.outlets}</td>"
            f"<td>{'yes' if e.contested else 'no'}</td></tr>"
        )
    H.append("</tbody></table>")
    for e in d.entries:
        c = e.cluster
        H.append(f'<section id="e{e.number}"><h2>{e.number}. {_e(_title(e))}</h2><dl>')
        rows = [
            (
                "Status",
                f'<span class="st {e.status}">{_e(e.status)}</span> {_e(e.instrument)}; '
                f"{'in force' if e.in_force else 'not in force'}",
            ),
            ("Reason", _e(e.reason)),
            (
                "Supplier",
                _e(_actors(e.suppliers))
                + (
                    f' <span class="meta">(also named: {_e(_actors(e.also_named_suppliers))})</span>'
                    if e.also_named_suppliers
                    else ""
                ),
            ),
            (
                "Recipient",
                _e(_actors(e.recipients))
                + (
                    f' <span class="meta">(also named: {_e(_actors(e.also_named_recipients))})</span>'
                    if e.also_named_recipients
                    else ""
                ),
            ),
            ("Materiel", _e(_materiel(c.materiel))),
            ("Funders", _e(_actors(c.funders)) if c.funders else "none named"),
            (
                "Place",
                _e(_place(c)),
            ),
            ("Dates", _e(_dates(c))),
            ("Corroboration", _e(_corroboration(c))),
            ("Cluster", f"<code>{_e(c.id)}</code>"),
        ]
        H.extend(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
        H.append('</dl><h3>Sources</h3><ol class="src">')
        for s in c.sources:
            if not s.supports:
                continue
            basis = f"; evidence basis: {_e('; '.join(s.evidence_basis))}" if s.evidence_basis else ""
            H.append(
                f'<li><strong>{_e(s.label)}</strong> <span class="meta">({_e(s.kind)}; {len(s.reports)} '
                f"report(s) in {len(s.outlets)} outlet(s): {_e(', '.join(s.outlets))}{basis})</span>"
                '<ul class="rep">'
            )
            for r in s.reports:
                url = _safe_url(r.url)
                name = _e(r.title or r.outlet)
                link = f'<a href="{_e(url)}">{name}</a>' if url else name
                copy = f", {_copy(r)} {_e(r.copy_of)}" if r.copy_of else ""
                H.append(
                    f"<li>{_e(r.outlet)}, {_e(r.published or 'undated')}{copy}: {link}<br>"
                    f'<span class="meta">Chain: {_e(r.chain)}. Certainty: {_e(r.certainty)}.</span>'
                    f"<blockquote>{_e(r.evidence)}</blockquote></li>"
                )
            H.append("</ul></li>")
        H.append("</ol>")
        if c.contradictions:
            H.append('<h3>Contradictions</h3><ul class="contra">')
            H.extend(f"<li>{_e(x.why)}</li>" for x in c.contradictions)
            H.append("</ul>")
        H.append("</section>")
    H.append("</body></html>")
    return "\n".join(H) + "\n"
