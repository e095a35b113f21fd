"""Arabic event gold standard records (OEDA, MIT): PROTEST and ASSAULT sentences coded in PLOVER.

Gold: ``assault_gsr.xml`` and ``protest_gsr.xml``, one sentence a record with its coded event (PLOVER type, source
and target codes such as "ISR MIL", "None CVL"); ``*_gsr.csv`` holds every sentence shown to the annotators with a
yes / no label.

Scoring rule
------------
- ``type_acc``: over the gold events of the XML files, the share of sentences whose Document has a claim of the
  gold type (the sentence is the whole text sent, language "ar").
- ``type_country_acc``: over gold events with at least one ISO3 country among source and target, the share with a
  claim of the gold type whose participants (actors, recipients, funders) include every gold country.
- ``type_both_countries_acc``: the same over gold events whose source and target both carry a country.
- ``false_type_rate``: over the CSV sentences labelled "easy no" (every annotator rejected the type), the share
  given a claim of that type.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import Analyzer, analyze_records, baseline, majority, ratio, rnd
from khaldun.evaluation.plover_gsr import country_code
from khaldun.models import Document

SCORING = """A gold sentence is hit when its Document has a claim of the gold PLOVER type; country accuracies also
need every gold ISO3 country (source and target) among the claim's actors, recipients and funders; the false-type
rate counts 'easy no' sentences given a claim of the type."""

FILES = (("assault", "ASSAULT"), ("protest", "PROTEST"))


@dataclass
class Record:
    id: str
    text: str
    type: str
    countries: tuple[str | None, str | None]
    negative: bool = False


def load(folder: Path, limit: int | None = None) -> list[Record]:
    out: list[Record] = []
    for stem, etype in FILES:
        path = folder / f"{stem}_gsr.xml"
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as exc:
            raise ValueError(f"{path}: cannot read the gold XML ({exc})") from None
        for s in root.findall("Sentence"):
            if s.get("evaluate") == "false":
                continue
            text = " ".join((s.findtext("Text") or "").split())
            for ev in s.findall("EventCoding")[:1]:
                src = (ev.get("sourcecode") or "None").split()[0]
                tgt = (ev.get("targetcode") or "None").split()[0]
                out.append(Record(s.get("id") or "", text, ev.get("plover") or etype,
                                  (country_code(src if src != "None" else None),
                                   country_code(tgt if tgt != "None" else None))))
        csv_path = folder / f"{stem}_gsr.csv"
        if csv_path.is_file():
            with csv_path.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    if row.get("label") == "easy no":
                        out.append(Record(row.get("id") or "", row.get("text") or "", etype, (None, None), True))
    return out[:limit] if limit else out


def _countries(doc: Document, etype: str) -> Iterator[set[str]]:
    for c in doc.claims:
        if c.event.type == etype:
            yield {a.country for a in c.actors + c.recipients + c.funders if a.country}


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    records = load(folder, limit)
    n = hit = nc = hitc = nb = hitb = neg = fp = 0
    per_type: dict[str, list[int]] = {}
    examples: list[dict[str, Any]] = []

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "language": "ar"}

    for rec, doc in analyze_records(records, item, analyzer):
        sets = list(_countries(doc, rec.type))
        if rec.negative:
            neg += 1
            fp += bool(sets)
            continue
        n += 1
        ok = bool(sets)
        hit += ok
        per_type.setdefault(rec.type, [0, 0])
        per_type[rec.type][0] += 1
        per_type[rec.type][1] += ok
        gold = {c for c in rec.countries if c}
        if gold:
            nc += 1
            hitc += any(gold <= s for s in sets)
        if all(rec.countries):
            nb += 1
            hitb += any(gold <= s for s in sets)
        if not ok and len(examples) < 8:
            examples.append({"kind": "missed", "id": rec.id, "type": rec.type,
                             "got": ",".join(c.event.type for c in doc.claims) or "-"})
    metrics = {
        "type_acc": rnd(ratio(hit, n)),
        "type_country_acc": rnd(ratio(hitc, nc)),
        "type_both_countries_acc": rnd(ratio(hitb, nb)),
        "false_type_rate": rnd(ratio(fp, neg)),
        "gold_events": n,
        "with_country": nc,
        "with_both_countries": nb,
        "easy_no_sentences": neg,
    }
    rows = [[t, v[0], rnd(ratio(v[1], v[0]))] for t, v in sorted(per_type.items())]
    top, share = majority(r.type for r in records if not r.negative)
    negs = [r for r in records if r.negative]
    base = [baseline("type_acc", metrics["type_acc"], share, f"one '{top}' claim per sentence (majority type)"),
            baseline("false_type_rate", metrics["false_type_rate"], ratio(sum(r.type == top for r in negs), len(negs)),
                     f"one '{top}' claim per sentence (majority type)")]
    return {"records": len(records), "metrics": metrics, "baselines": base,
            "tables": {"per_type": {"columns": ["type", "gold", "type_acc"], "rows": rows}},
            "examples": examples, "notes": []}
