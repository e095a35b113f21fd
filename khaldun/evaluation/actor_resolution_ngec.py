"""NGEC actor-resolution test cases: the country and sector khaldun gives a name, on a date.

Gold: ``ngec_actor_resolution_test_cases.jsonl`` (the expectations of the NGEC actor-resolution unit
tests). A case calls one method (``agent_to_code``, ``short_text_to_agent``, ``search_nat``,
``trf_agent_match``, ``query_wiki``) on a name, with an optional context string (a country or a
nationality) and a date ("today" = none), and expects fields of the result.

How khaldun answers a call
--------------------------
1. ``khaldun.actors.ActorRegistry.default().resolve(name, on=date)``: ``lookup`` then ``to_actor``
   (country, sector, kind), or a generic agent phrase ("soldiers", "Kyiv police") typed by its
   sector (the rule is :meth:`khaldun.actors.ActorRegistry.parse_phrase`). A call with a context
   (the test's ``known_country``, a country or nationality) first resolves "<context> <name>", as
   the analyzer reads it in step 2, and falls back to the name alone when that gives neither a
   country nor a sector.
2. Otherwise the analyzer reads the text "<context> <name>" (context omitted when empty) with the date as
   publication date; the answer is the claim argument (actor, recipient, funder) overlapping the name,
   else the longest ``Document.mentions`` entry overlapping it (its country; its label as sector when it
   is an ``agent`` mention).
3. Nothing found: no actor.

Scoring rule
------------
- Only fields khaldun models are scored: ``country`` (and ``cc`` of ``search_nat``) against
  ``Actor.country`` (``""`` = no country; ``IGO`` = an actor of kind igo without a country, read as
  NGEC's pseudo-country ``UNO`` when the registry entry is the UN or affiliated to it, ``EUR`` for the
  EU and its bodies: NGEC codes the UN system and the EU as countries, khaldun as IGOs); ``code_1``
  against ``Actor.sector`` (``""`` = none); and ``Is None`` on the whole result (``trf_agent_match``
  nonsense strings: no actor may be found). ``code_2``, ``pattern``, ``wiki`` and titles are not scored.
- Ops ``Eq``, ``NotEq``, ``Is``, ``In`` as in the tests. Accuracy = expectations met / scored.
- ``no_index`` is the subset NGEC answers without its Wikipedia index (the primary figure); ``all``
  adds the cases NGEC answers through Wikipedia, which khaldun's own registry may or may not cover.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import (
    Analyzer,
    Examples,
    analyze_records,
    baseline,
    overlap_len,
    ratio,
    rnd,
    simple_table,
)
from khaldun.models import Actor, Document

SCORING = """Each call answered by the actor registry (resolve: lookup + to_actor, agent phrases) or, failing that, by the analyzer
on "<context> <name>" (the claim argument or mention overlapping the name). Scored: country (ISO3, '' = none,
IGO = igo actor), code_1 vs sector, and 'Is None' results; accuracy over expectations, no-index subset
first."""

ANALYZER_OPTIONAL = True
SCORED_METHODS = {"agent_to_code", "short_text_to_agent", "search_nat", "trf_agent_match"}


@dataclass(frozen=True)
class Call:
    method: str
    name: str
    context: str
    when: str


@dataclass
class Expectation:
    call: Call
    field: str  # country | sector | none
    op: str
    value: Any


@dataclass
class Case:
    test: str
    no_index: bool
    expectations: list[Expectation] = field(default_factory=list)


@dataclass
class Answer:
    country: str | None
    sector: str | None
    found: bool
    source: str  # registry | analyzer | none
    family: str | None = None  # igo/un or igo/eu when the actor is (part of) the UN or the EU


# NGEC writes the UN system and the EU as pseudo-countries; khaldun gives IGOs no country and records
# that a body belongs to the UN or the EU as its registry affiliation (WHO -> igo/un)
PSEUDO_COUNTRIES = {"UNO": "igo/un", "EUR": "igo/eu"}


def _family(actor_id: str | None) -> str | None:
    """igo/un or igo/eu when the registry entry is that organisation or affiliated to it."""
    reg = _registry()
    seen = 0
    while actor_id and reg is not None and seen < 4:
        if actor_id in PSEUDO_COUNTRIES.values():
            return actor_id
        entry = reg[0].get(actor_id)
        actor_id = entry.affiliation if entry is not None else None
        seen += 1
    return None


def _field(exp: dict[str, Any]) -> str | None:
    if exp["output_var"] == "cc":
        return "country"
    if exp["output_var"] != "code":
        return None
    if exp["field"] == "country":
        return "country"
    if exp["field"] == "code_1":
        return "sector"
    if exp["field"] is None:
        return "none"
    return None


def load(folder: Path, limit: int | None = None) -> Iterator[Case]:
    def gen() -> Iterator[Case]:
        with open(folder / "ngec_actor_resolution_test_cases.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                raw = json.loads(line)
                case = Case(raw["test"], not raw.get("needs_wikipedia_index", True))
                for exp in raw["expectations"]:
                    c = exp["call"]
                    fld = _field(exp)
                    if c["method"] not in SCORED_METHODS or fld is None:
                        continue
                    args = list(c.get("args") or [])
                    kwargs = c.get("kwargs") or {}
                    name = str(args[0]).strip() if args else ""
                    context = str(args[1] if len(args) > 1 else kwargs.get("known_country", "") or "").strip()
                    when = str(args[2] if len(args) > 2 else kwargs.get("query_date", "") or "").strip()
                    case.expectations.append(
                        Expectation(Call(c["method"], name, context, when), fld, exp["op"], exp["value"])
                    )
                yield case

    return itertools.islice(gen(), limit)


def parse_when(value: str) -> date | None:
    """A date from the test's date argument; '', 'today' and unparsable strings give None."""
    value = value.strip()
    if not value or value.lower() == "today":
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        import dateparser

        parsed = dateparser.parse(value, settings={"STRICT_PARSING": True})
    except Exception:  # noqa: BLE001 - dateparser is best effort here
        return None
    return parsed.date() if parsed else None


def _registry() -> tuple[Any, Any] | None:
    try:
        from khaldun import actors
    except ImportError:
        return None
    try:
        reg = actors.ActorRegistry.default()
    except Exception:  # noqa: BLE001 - a broken registry should not stop the suite
        return None
    to_actor = getattr(actors, "to_actor", None) or getattr(reg, "to_actor", None)
    return (reg, to_actor) if to_actor else None


def _from_actor(actor: Actor, source: str) -> Answer:
    country = actor.country or ("IGO" if actor.kind == "igo" else None)
    return Answer(country, actor.sector, True, source, _family(actor.id) if actor.kind == "igo" else None)


def answer_from_document(doc: Document, start: int, end: int) -> Answer | None:
    """The claim argument overlapping the name, else the mention overlapping it most."""
    for claim in doc.claims:
        for actor in [*claim.actors, *claim.recipients, *claim.funders]:
            if (
                actor.start is not None
                and actor.end is not None
                and overlap_len(actor.start, actor.end, start, end)
            ):
                return _from_actor(actor, "analyzer")
    best = None
    for m in doc.mentions:
        if m.kind not in ("actor", "agent", "place"):
            continue
        ov = overlap_len(m.start, m.end, start, end)
        if ov and (best is None or ov > best[0]):
            best = (ov, m)
    if best is None:
        return None
    m = best[1]
    igo = m.kind == "actor" and m.label == "igo"
    country = m.country or ("IGO" if igo else None)
    return Answer(country, m.label if m.kind == "agent" else None, True, "analyzer", _family(m.id) if igo else None)


def _text(call: Call) -> tuple[str, int, int]:
    prefix = f"{call.context} " if call.context else ""
    return prefix + call.name, len(prefix), len(prefix) + len(call.name)


def resolve(calls: list[Call], analyzer: Analyzer | None) -> dict[Call, Answer]:
    answers: dict[Call, Answer] = {}
    reg = _registry()
    pending = []
    for call in calls:
        on = parse_when(call.when)
        if reg is not None and call.name:
            registry, to_actor = reg
            resolver = getattr(registry, "resolve", None)
            if resolver is not None:
                actor = resolver(f"{call.context} {call.name}", on=on) if call.context else None
                if actor is None or not (actor.country or actor.sector):
                    actor = resolver(call.name, on=on)
                if actor is not None:
                    answers[call] = _from_actor(actor, "registry")
                    continue
            else:
                entry = registry.lookup(call.name, on=on)
                if entry is not None:
                    answers[call] = _from_actor(to_actor(entry, call.name, on=on), "registry")
                    continue
        pending.append((call, on))
    if analyzer is not None and pending:

        def item(p: tuple[Call, date | None]) -> dict[str, Any]:
            return {"text": _text(p[0])[0], "published": p[1].isoformat() if p[1] else None, "language": "en"}

        for (call, _), doc in analyze_records(pending, item, analyzer):
            text, s, _ = _text(call)
            # the sent text is short and already normalized; locate the name in the document text
            shift = doc.text.find(call.name) if doc.text != text else s
            got = answer_from_document(doc, shift, shift + len(call.name)) if shift >= 0 else None
            answers[call] = got or Answer(None, None, False, "none")
    for call, _ in pending:
        answers.setdefault(call, Answer(None, None, False, "none"))
    return answers


def check(exp: Expectation, ans: Answer) -> bool:
    if exp.field == "none":
        got: Any = "resolved" if ans.found and (ans.country or ans.sector) else None
    else:
        got = (ans.country if exp.field == "country" else ans.sector) or ""
    want = exp.value
    if exp.field == "country" and got == "IGO" and ans.family is not None:
        got = next((code for code, fam in PSEUDO_COUNTRIES.items() if fam == ans.family), got)
    if exp.op == "Eq":
        return got == want
    if exp.op == "NotEq":
        return got != want
    if exp.op == "Is":
        return got is want or (want is None and got in (None, ""))
    if exp.op == "In":
        return got in want
    return False


def run(folder: Path, limit: int | None, analyzer: Analyzer | None) -> dict[str, Any]:
    cases = list(load(folder, limit))
    calls = list(dict.fromkeys(e.call for c in cases for e in c.expectations))
    answers = resolve(calls, analyzer)
    tally: dict[tuple[str, str], list[int]] = {}  # (subset, field) -> [ok, n]
    per_method: dict[str, list[int]] = {}
    sources = Counter(a.source for a in answers.values())
    examples = Examples(4)
    for case in cases:
        for exp in case.expectations:
            ans = answers[exp.call]
            ok = check(exp, ans)
            subsets = ["all", "no_index"] if case.no_index else ["all"]
            for sub in subsets:
                t = tally.setdefault((sub, exp.field), [0, 0])
                t[0] += ok
                t[1] += 1
            m = per_method.setdefault(exp.call.method, [0, 0])
            m[0] += ok
            m[1] += 1
            if not ok:
                got = {"country": ans.country, "sector": ans.sector, "none": ans.found}[exp.field]
                examples.add(
                    f"{exp.field}{'_no_index' if case.no_index else ''}",
                    test=case.test,
                    name=exp.call.name,
                    context=exp.call.context,
                    date=exp.call.when,
                    expected=f"{exp.op} {exp.value!r}",
                    got=got,
                    source=ans.source,
                )

    def acc(sub: str, fields: tuple[str, ...]) -> float | None:
        ok = sum(tally.get((sub, f), [0, 0])[0] for f in fields)
        n = sum(tally.get((sub, f), [0, 0])[1] for f in fields)
        return rnd(ratio(ok, n))

    metrics: dict[str, Any] = {"cases": len(cases), "calls": len(calls)}
    for sub in ("no_index", "all"):
        metrics[f"{sub}_country_acc"] = acc(sub, ("country",))
        metrics[f"{sub}_sector_acc"] = acc(sub, ("sector",))
        metrics[f"{sub}_null_acc"] = acc(sub, ("none",))
        metrics[f"{sub}_expectations_acc"] = acc(sub, ("country", "sector", "none"))
    for src in ("registry", "analyzer", "none"):
        metrics[f"answered_by_{src}"] = sources.get(src, 0)
    rows = [[f"{sub}/{fld}", n, ok, rnd(ratio(ok, n))] for (sub, fld), (ok, n) in sorted(tally.items())]
    empty = Answer(None, None, False, "none")  # the trivial answer: nothing resolved, for every call
    nothing = [check(e, empty) for c in cases if c.no_index for e in c.expectations if e.field == "country"]
    nothing_all = [check(e, empty) for c in cases if c.no_index for e in c.expectations]
    notes = []
    if _registry() is None:
        notes.append("khaldun.actors registry unavailable: every call went to the analyzer")
    if analyzer is None:
        notes.append("no analyzer: calls the registry does not resolve count as unresolved")
    return {
        "records": len(cases),
        "metrics": metrics,
        "baselines": [baseline("no_index_country_acc", metrics["no_index_country_acc"], ratio(sum(nothing), len(nothing)),
                               "no actor resolved for any call (no country, no sector)"),
                      baseline("no_index_expectations_acc", metrics["no_index_expectations_acc"],
                               ratio(sum(nothing_all), len(nothing_all)),
                               "no actor resolved for any call (no country, no sector)")],
        "tables": {
            "accuracy by subset/field": simple_table(["subset/field", "n", "ok", "acc"], rows),
            "accuracy by method": simple_table(
                ["method", "n", "ok", "acc"],
                [[k, n, ok, rnd(ratio(ok, n))] for k, (ok, n) in sorted(per_method.items())],
            ),
        },
        "examples": examples.items,
        "notes": notes,
    }
