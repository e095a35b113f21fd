"""Scorers for ``khaldun eval SUITE``: khaldun's output measured against public gold sets.

Each suite is one module of this package that reads one gold set under ``SHARED/eval/<folder>``
(evaluation only: nothing of it is copied into the project), runs the analyzer on its records and
returns a JSON-able report. The module docstring of every suite states its scoring rule.

    run_suite(name, shared, limit=None, analyzer=None) -> dict
    format_report(report) -> str          # plain-text tables for the terminal
    SUITES: dict[str, str]                # name -> one-line description

``analyzer`` is a callable taking a list of item dicts (``text`` and optional ``published``,
``title``, ``outlet``, ``url``, ``language``) and returning one ``Document`` per item, in order;
by default it is ``khaldun.analyze_many``. ``limit`` keeps the first N records of the gold set in
its file order, so runs are deterministic.

A report has: ``suite``, ``description``, ``gold`` (path), ``records``, ``limit``, ``scoring``
(the rule in one paragraph), ``metrics`` (flat name -> number), ``tables`` (name -> {columns, rows}),
``examples`` (a handful of errors), ``baselines`` (khaldun's headline figures next to the majority-class
or trivial answer's: metric, khaldun, baseline, rule), ``notes`` and ``seconds``.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import FAILURES, Analyzer, default_analyzer

# name -> (module, gold folder under eval/, description)
_REGISTRY: dict[str, tuple[str, str, str]] = {
    "plover_gsr": (
        "plover_gsr",
        "plover_gsr",
        "PLOVER gold records (CAMEO manual sentences): event type P/R/F1, type+actor country",
    ),
    "rams_dev": (
        "rams_dev",
        "rams_dev",
        "RAMS dev (mapped aid/transfer/attack/threat types): trigger type accuracy, role F1",
    ),
    "re3d": (
        "re3d",
        "re3d",
        "re3d (Dstl): entity P/R/F1 for Weapon, MilitaryPlatform, Vehicle, Organisation, Person, Location",
    ),
    "acled_2020": (
        "acled_2020",
        "acled_2020",
        "ACLED rows (notes): ACLED event_type accuracy and actor1 name/country match",
    ),
    "muc4_dev": (
        "muc4_dev",
        "muc4_dev",
        "MUC-4 dev: perpetrator, target, weapon role fillers (doc level) and incident detection",
    ),
    "wikievents_dev": (
        "wikievents_dev",
        "wikievents_dev",
        "WikiEvents dev: attack/explode triggers and roles, WEA/VEH mentions",
    ),
    "actor_resolution_ngec": (
        "actor_resolution_ngec",
        "actor_resolution_ngec",
        "NGEC actor-resolution cases: country and sector of a name on a date",
    ),
    "polnear": (
        "polnear",
        "polnear",
        "PolNeAR dev: attribution source, cue, content span F1 (exact and half-overlap)",
    ),
    "meantime": (
        "meantime",
        "meantime_dev",
        "MEANTIME airbus+apple: certainty, polarity, tense of gold event triggers",
    ),
    "hedge": ("hedge", "hedge_train", "CoNLL-2010 Wikipedia train: sentence hedged vs certain F1"),
    "arabic_event_gsr": (
        "arabic_event_gsr",
        "arabic_event_gsr",
        "Arabic PROTEST/ASSAULT gold sentences: event type, type + countries, false-type rate on 'easy no'",
    ),
}

SUITES: dict[str, str] = {name: desc for name, (_, _, desc) in _REGISTRY.items()}


def gold_folder(name: str, shared: Path) -> Path:
    """The gold folder of a suite; `shared` may be the shared root or its ``eval`` folder."""
    folder = _REGISTRY[name][1]
    shared = Path(shared)
    for base in (shared / "eval", shared):
        if (base / folder).is_dir():
            return base / folder
    raise FileNotFoundError(f"gold set for {name!r} not found under {shared} (looked for eval/{folder})")


class _PipelineFailures:
    """Documents whose analysis failed inside the process-wide pipeline during a run. The pipeline keeps such a
    document's text and goes on (one bad document never stops a batch, `Pipeline.errors`), so the analyzer
    returns an empty Document without raising; a suite must still count it as an analyzer error, or a crash
    reads as a document with nothing to find."""

    def __init__(self) -> None:
        self.pipe = self._current()
        self.start = len(self.pipe.errors) if self.pipe is not None else 0

    @staticmethod
    def _current() -> Any:
        from khaldun import pipeline

        return getattr(pipeline, "_DEFAULT", None)

    def since(self) -> list[str]:
        pipe = self._current()
        if pipe is None:
            return []
        new = pipe.errors[self.start:] if pipe is self.pipe else pipe.errors
        return [e for e in new if "analysis failed" in e]


def run_suite(
    name: str, shared: Path, limit: int | None = None, analyzer: Analyzer | None = None
) -> dict[str, Any]:
    """Score the analyzer on suite `name` with the gold data under `shared`; see the module doc."""
    if name not in _REGISTRY:
        raise KeyError(f"unknown suite {name!r}; known: {', '.join(SUITES)}")
    if limit is not None and limit < 1:
        raise ValueError("limit must be a positive number of records")
    module = importlib.import_module(f"khaldun.evaluation.{_REGISTRY[name][0]}")
    folder = gold_folder(name, shared)
    started = time.perf_counter()
    FAILURES.reset()
    swallowed = _PipelineFailures()
    report = module.run(folder, limit=limit, analyzer=analyzer or module_analyzer(module))
    for message in swallowed.since():
        FAILURES.add_message(message)
    head = {
        "suite": name,
        "description": SUITES[name],
        "gold": str(folder),
        "limit": limit,
        "scoring": " ".join((module.SCORING or "").split()),
    }
    report = {**head, **report}
    report.setdefault("tables", {})
    report.setdefault("examples", [])
    report.setdefault("notes", [])
    report["metrics"] = {**report.get("metrics", {}), "analyzer_errors": FAILURES.count}
    if FAILURES.count:
        report["notes"] = [
            f"the analyzer failed on {FAILURES.count} item(s), scored as no prediction; first: "
            + " | ".join(FAILURES.first),
            *report["notes"],
        ]
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def module_analyzer(module: Any) -> Analyzer | None:
    """The default analyzer, or None for suites that can run without it (they say so in notes)."""
    if getattr(module, "ANALYZER_OPTIONAL", False):
        try:
            return default_analyzer()
        except RuntimeError:
            return None
    return default_analyzer()


# --------------------------------------------------------------------------- terminal output


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table_lines(columns: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[_cell(c) for c in columns]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    for k, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join(parts).rstrip())
        if k == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def format_report(report: dict[str, Any]) -> str:
    """Plain-text rendering of a report: header, metrics, tables, error examples, notes."""
    out = [
        f"== {report.get('suite')}: {report.get('description', '')}",
        f"records: {report.get('records')}  limit: {report.get('limit') or 'none'}  "
        f"time: {report.get('seconds', '-')}s  gold: {report.get('gold')}",
    ]
    if report.get("scoring"):
        out.append(f"scoring: {report['scoring']}")
    metrics = report.get("metrics") or {}
    if metrics:
        out.append("")
        out.append("metrics")
        width = max(len(k) for k in metrics)
        out.extend(f"  {k.ljust(width)}  {_cell(v)}" for k, v in metrics.items())
    base = report.get("baselines") or []
    if base:
        out.append("")
        out.append("baselines (khaldun next to a trivial answer)")
        out.extend(_table_lines(["metric", "khaldun", "baseline", "rule"],
                                [[b["metric"], b["khaldun"], b["baseline"], b["rule"]] for b in base]))
    for tname, table in (report.get("tables") or {}).items():
        out.append("")
        out.append(tname)
        if table.get("rows"):
            out.extend(_table_lines(table["columns"], table["rows"]))
        else:
            out.append("  (empty)")
    examples = report.get("examples") or []
    if examples:
        out.append("")
        out.append(f"examples ({len(examples)})")
        for ex in examples:
            fields = "; ".join(f"{k}={_cell(v)}" for k, v in ex.items() if k != "kind")
            out.append(f"  [{ex.get('kind')}] {fields}")
    notes = report.get("notes") or []
    if notes:
        out.append("")
        out.append("notes")
        out.extend(f"  - {n}" for n in notes)
    return "\n".join(out) + "\n"


__all__ = ["SUITES", "format_report", "gold_folder", "run_suite"]
