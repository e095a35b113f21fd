"""Tests for khaldun.evaluation: every scorer on tiny synthetic gold sets with a fake analyzer.

The gold files here are written by the tests (made-up sentences in each suite's format), and the
expected figures are computed by hand in the comments. The last tests run every suite on the real
gold sets under ../shared (relative to the repo root) and skip when that folder is absent.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from khaldun.evaluation import SUITES, format_report, gold_folder, run_suite
from khaldun.evaluation import actor_resolution_ngec as ngec
from khaldun.evaluation import hedge as hedge_suite
from khaldun.evaluation.metrics import (
    LabelPRF,
    OffsetMap,
    Tokens,
    classification,
    detokenize,
    greedy_match,
    half_overlap,
    span_prf,
)
from khaldun.models import (
    Actor,
    Claim,
    Document,
    Event,
    Evidence,
    Factuality,
    Materiel,
    Mention,
    Passage,
    Place,
    Quote,
    Span,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"

# --------------------------------------------------------------------------- builders


def find(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def actor(
    text: str, sub: str, country: str | None = None, sector: str | None = None, kind: str = "unknown"
) -> Actor:
    s, e = find(text, sub)
    return Actor(text=sub, start=s, end=e, country=country, sector=sector, kind=kind)  # type: ignore[arg-type]


def materiel(text: str, sub: str, category: str = "other") -> Materiel:
    s, e = find(text, sub)
    return Materiel(text=sub, start=s, end=e, category=category)  # type: ignore[arg-type]


def place(text: str, sub: str) -> Place:
    s, e = find(text, sub)
    return Place(text=sub, start=s, end=e)


def claim(
    text: str,
    etype: str,
    trigger: str,
    *,
    mode: str | None = None,
    actors: list[Actor] | None = None,
    recipients: list[Actor] | None = None,
    mat: list[Materiel] | None = None,
    location: Place | None = None,
    fact: Factuality | None = None,
) -> Claim:
    s, e = find(text, trigger)
    return Claim(
        id="c",
        event=Event(
            type=etype,
            mode=mode,
            trigger=trigger,
            trigger_start=s,  # type: ignore[arg-type]
            trigger_end=e,
        ),
        actors=actors or [],
        recipients=recipients or [],
        materiel=mat or [],
        location=location,
        factuality=fact or Factuality(),
        evidence=Evidence(text=text, start=0, end=len(text), sentence=0),
    )


def mention(text: str, sub: str, kind: str, label: str | None = None, country: str | None = None) -> Mention:
    s, e = find(text, sub)
    return Mention(text=sub, start=s, end=e, kind=kind, label=label, country=country)  # type: ignore[arg-type]


Builder = Callable[[str], Document]


def fake(builders: dict[str, Builder]) -> Callable[[list[dict[str, Any]]], list[Document]]:
    """An analyzer that answers from hand-built Documents, keyed by a substring of the text."""

    def run(items: list[dict[str, Any]]) -> list[Document]:
        out = []
        for it in items:
            text = it["text"]
            build = next((b for key, b in builders.items() if key in text), None)
            out.append(build(text) if build else Document(id="x", text=text))
        return out

    return run


def empty_analyzer(items: list[dict[str, Any]]) -> list[Document]:
    return [Document(id="x", text=it["text"]) for it in items]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


# --------------------------------------------------------------------------- metrics


def test_detokenize_offsets_point_at_tokens() -> None:
    sents = [
        ["Russia", "'s", "army", "(", "the", "VDV", ")", "said", '"', "no", '"', "."],
        ["pro", "-", "regime", "forces", "``", "left", "''"],
    ]
    text, offsets = detokenize(sents)
    assert text == 'Russia\'s army (the VDV) said "no". pro-regime forces "left"'
    for sent, offs in zip(sents, offsets, strict=True):
        for tok, (s, e) in zip(sent, offs, strict=True):
            assert text[s:e] == {"``": '"', "''": '"'}.get(tok, tok)


def test_offset_map_spacing_trim_and_substitution() -> None:
    src = "Headline\n\n  Troops   entered the  town.\nShare this"
    dst = "Troops entered the town."
    m = OffsetMap(src, dst)
    for a, b in [(0, 6), (7, 14), (19, 24)]:
        s, e = m.span(a, b)
        assert src[s:e] == dst[a:b]
    m2 = OffsetMap("He said “yes” today", 'He said "yes" today')
    s, e = m2.span(8, 13)
    assert "yes" in "He said “yes” today"[s:e]
    assert OffsetMap("same", "same").span(1, 3) == (1, 3)


def test_tokens_and_half_overlap() -> None:
    text = "The plan, he said, would fail."
    toks = Tokens(text)
    a = toks.cover([(0, 8)])  # "The plan"
    b = toks.cover([(4, 9)])  # "plan,"
    assert a == frozenset({0, 1}) and b == frozenset({1})
    assert half_overlap(a, b)  # 1 shared of max(2, 1): 2*1 >= 2
    assert not half_overlap(a, toks.cover([(4, 30)]))  # 1 shared of 5
    assert toks.cover([(0, 3), (19, 24)]) == frozenset({0, 4})  # discontinuous


def test_greedy_match_and_span_prf() -> None:
    pairs = greedy_match(
        [(0, 5), (10, 20)],
        [(12, 20), (0, 4), (30, 40)],
        lambda g, p: max(0, min(g[1], p[1]) - max(g[0], p[0])),
    )
    assert pairs == [(0, 1), (1, 0)]
    exact, _ = span_prf([(0, 5), (10, 20)], [(0, 5), (10, 19)], "exact")
    assert (exact.tp, exact.fp, exact.fn) == (1, 1, 1)
    ov, _ = span_prf([(0, 5), (10, 20)], [(0, 5), (10, 19), (50, 60)], "overlap")
    assert (ov.tp, ov.fp, ov.fn) == (2, 1, 0)


def test_classification_counts() -> None:
    c = classification(["A", "A", "B", "B"], ["A", "B", None, "B"])
    # A: tp1 fn1; B: tp1 fp1 fn1
    assert (c["A"].tp, c["A"].fn, c["A"].fp) == (1, 1, 0)
    assert (c["B"].tp, c["B"].fn, c["B"].fp) == (1, 1, 1)
    assert c.micro().precision == pytest.approx(2 / 3)
    assert c.macro_f1() == pytest.approx((2 / 3 + 0.5) / 2)
    table = LabelPRF()
    table.tp("X")
    assert table.table()["rows"][-1][0] == "(micro)"


def test_registry_and_errors(tmp_path: Path) -> None:
    assert {
        "plover_gsr",
        "rams_dev",
        "re3d",
        "acled_2020",
        "muc4_dev",
        "wikievents_dev",
        "actor_resolution_ngec",
        "polnear",
        "meantime",
        "hedge",
    } <= set(SUITES)
    with pytest.raises(KeyError):
        run_suite("nope", tmp_path)
    with pytest.raises(FileNotFoundError):
        run_suite("plover_gsr", tmp_path, analyzer=empty_analyzer)
    (tmp_path / "eval" / "re3d").mkdir(parents=True)
    assert gold_folder("re3d", tmp_path) == tmp_path / "eval" / "re3d"
    assert gold_folder("re3d", tmp_path / "eval") == tmp_path / "eval" / "re3d"


# --------------------------------------------------------------------------- plover_gsr


def test_plover_gsr(tmp_path: Path) -> None:
    folder = tmp_path / "eval" / "plover_gsr"
    t1 = "Iraq condemned Iran over the shelling."
    t2 = "American troops fought rebels near the border and sent aid."
    t3 = "Japan and the UN agreed on a plan."
    rows = [
        {
            "id": "R1",
            "text": t1,
            "date": "2000-01-01",
            "evaluate": True,
            "markup": "",
            "expected": [{"plover": "DISAPPROVE", "source": [{"code": "IRQ"}], "target": [{"code": "IRN"}]}],
        },
        {
            "id": "R2",
            "text": t2,
            "evaluate": True,
            "markup": "",
            "expected": [{"plover": "FIGHT", "source": [{"code": "USA"}], "target": []}],
        },
        {
            "id": "R3",
            "text": t3,
            "evaluate": True,
            "markup": "(SRC/TAR: Japan)",
            "expected": [{"plover": "AGREE", "source": [{"code": "JAP"}, {"code": "IGO"}], "target": []}],
        },
        {"id": "R4", "text": "skipped", "evaluate": False, "expected": []},
    ]
    write_jsonl(folder / "plover_gsr_cameo_manual.jsonl", rows)

    def d1(text: str) -> Document:
        return Document(
            id="1",
            text=text,
            claims=[
                claim(
                    text,
                    "ACCUSE",
                    "condemned",
                    mode="disapprove",
                    actors=[actor(text, "Iraq", "IRQ")],
                    recipients=[actor(text, "Iran", "IRN")],
                )
            ],
        )

    def d2(text: str) -> Document:
        return Document(
            id="2",
            text=text,
            claims=[
                claim(text, "ASSAULT", "fought", actors=[actor(text, "American troops", "GBR")]),
                claim(text, "AID", "sent"),
            ],
        )

    report = run_suite("plover_gsr", tmp_path, analyzer=fake({"Iraq": d1, "American": d2}))
    m = report["metrics"]
    # TP: ACCUSE, ASSAULT; FP: AID; FN: AGREE
    assert report["records"] == 3
    assert m["type_micro_p"] == pytest.approx(0.6667, abs=1e-4)
    assert m["type_micro_r"] == pytest.approx(0.6667, abs=1e-4)
    assert m["type_macro_f1"] == 0.5  # ACCUSE 1, ASSAULT 1, AID 0, AGREE 0
    assert m["type_source_country_acc"] == pytest.approx(0.3333, abs=1e-4)  # IRQ ok; USA!=GBR; JPN missed
    assert m["type_target_country_acc"] == 1.0  # only R1 has a target
    assert m["exact_records"] == pytest.approx(0.3333, abs=1e-4)
    assert m["exact_sentences"] == pytest.approx(0.3333, abs=1e-4)
    assert m["accuse_mode_acc"] == 1.0
    assert m["sentence_type_hit"] == pytest.approx(0.6667, abs=1e-4)
    assert m["no_claim_rate"] == pytest.approx(0.3333, abs=1e-4)
    text = format_report(report)
    assert "ACCUSE" in text and "type_micro_f1" in text
    json.dumps(report)


# --------------------------------------------------------------------------- rams_dev


def test_rams_dev(tmp_path: Path) -> None:
    folder = tmp_path / "rams_dev"
    folder.mkdir()
    meta = [
        [
            "transaction.transferownership.giftgrantprovideaid",
            [
                "evt1arg01giver",
                "evt1arg02recipient",
                "evt1arg03beneficiary",
                "evt1arg04artifact",
                "evt1arg05place",
            ],
        ],
        [
            "conflict.attack.n/a",
            ["evt2arg01attacker", "evt2arg02target", "evt2arg03instrument", "evt2arg04place"],
        ],
        [
            "conflict.attack.bombing",
            ["evt3arg01attacker", "evt3arg02target", "evt3arg03instrument", "evt3arg04place"],
        ],
    ]
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    def rec(
        key: str, sent: list[str], trig: int, typ: str, links: list[tuple[int, int, str]]
    ) -> dict[str, Any]:
        return {
            "doc_key": key,
            "sentences": [sent],
            "evt_triggers": [[trig, trig, [[typ, 1.0]]]],
            "gold_evt_links": [[[trig, trig], [a, b], role] for a, b, role in links],
        }

    write_jsonl(
        folder / "dev.jsonlines",
        [
            rec(
                "d1",
                ["Russia", "sent", "tanks", "to", "Syria", "."],
                1,
                "transaction.transferownership.giftgrantprovideaid",
                [(0, 0, "evt1arg01giver"), (4, 4, "evt1arg02recipient"), (2, 2, "evt1arg04artifact")],
            ),
            rec(
                "d2",
                ["Rebels", "attacked", "the", "base", "."],
                1,
                "conflict.attack.n/a",
                [(0, 0, "evt2arg01attacker"), (2, 3, "evt2arg02target")],
            ),
            rec("d3", ["She", "died", "."], 1, "life.die.nonviolentdeath", []),
            rec(
                "d4",
                ["A", "bomb", "exploded", "in", "Kabul", "."],
                2,
                "conflict.attack.bombing",
                [(0, 1, "evt3arg03instrument"), (4, 4, "evt3arg04place")],
            ),
        ],
    )

    def d1(text: str) -> Document:
        return Document(
            id="1",
            text=text,
            claims=[
                claim(
                    text,
                    "AID",
                    "sent",
                    actors=[actor(text, "Russia")],
                    recipients=[actor(text, "Syria")],
                    mat=[materiel(text, "tanks")],
                    location=place(text, "Syria"),
                )
            ],
        )

    def d2(text: str) -> Document:
        return Document(
            id="2", text=text, claims=[claim(text, "PROTEST", "attacked", actors=[actor(text, "Rebels")])]
        )

    report = run_suite("rams_dev", tmp_path, analyzer=fake({"Russia": d1, "Rebels": d2}))
    m = report["metrics"]
    assert report["records"] == 3  # d3's type does not map
    assert m["trigger_found"] == pytest.approx(0.6667, abs=1e-4)
    assert m["trigger_type_acc"] == pytest.approx(0.3333, abs=1e-4)
    assert m["doc_type_hit"] == pytest.approx(0.3333, abs=1e-4)
    # giver, recipient, artifact, attacker TP; location Syria -> place FP; target, instrument, place FN
    assert m["role_micro_p"] == 0.8
    assert m["role_micro_r"] == pytest.approx(4 / 7, abs=1e-4)
    assert m["role_micro_f1"] == pytest.approx(0.6667, abs=1e-4)
    assert m["role_recall_given_trigger"] == 0.8
    assert m["gold_arguments"] == 7
    rows = {r[0]: r for r in report["tables"]["roles (end to end)"]["rows"]}
    assert rows["place"][1:4] == [1, 1, 0]
    assert m["gold_trigger_role_f1"] is None  # this analyzer cannot code at a given trigger

    # RAMS's own task: the gold trigger and type are handed to code_at; roles scored the same way
    seen: list[tuple[int, int, str | None]] = []

    def code_at(text: str, triggers: list[tuple[int, int, str | None]]) -> list[Any]:
        seen.extend(triggers)
        if "Rebels" in text:
            return [claim(text, "ASSAULT", "attacked", actors=[actor(text, "Rebels")])]
        return [None]

    analyzer = fake({"Russia": d1, "Rebels": d2})
    analyzer.code_at = code_at  # type: ignore[attr-defined]
    m = run_suite("rams_dev", tmp_path, analyzer=analyzer)["metrics"]
    assert ("ASSAULT" in {t for _, _, t in seen}) and ("AID" in {t for _, _, t in seen})
    # attacker found (1 TP), no FP; giver, recipient, artifact, target, instrument, place missed (6 FN)
    assert m["gold_trigger_role_p"] == 1.0
    assert m["gold_trigger_role_r"] == pytest.approx(1 / 7, abs=1e-4)
    assert m["gold_trigger_coded"] == pytest.approx(1 / 3, abs=1e-4)


# --------------------------------------------------------------------------- re3d


def test_re3d(tmp_path: Path) -> None:
    sub = tmp_path / "re3d" / "Some Source"
    sub.mkdir(parents=True)
    text = "ISIL fighters fired a rocket at Mosul from a tank."
    (sub / "documents.json").write_text(
        "\ufeff" + json.dumps({"_id": "D1", "text": text}) + "\n", encoding="utf-8"
    )
    ents = []
    for value, typ, conf in [
        ("ISIL", "Organisation", 1),
        ("ISIL", "Location", 0.3),
        ("a rocket", "Weapon", 0.9),
        ("Mosul", "Location", 1),
        ("a tank", "MilitaryPlatform", 0.8),
        ("fired", "Nationality", 1),
    ]:
        s, e = find(text, value)
        ents.append(
            {"documentId": "D1", "begin": s, "end": e, "type": typ, "value": value, "confidence": conf}
        )
    write_jsonl(sub / "entities.json", ents)

    def d(t: str) -> Document:
        return Document(
            id="1",
            text=t,
            mentions=[
                mention(t, "ISIL", "actor", "armed_group"),
                mention(t, "fighters", "agent", "REB"),
                mention(t, "rocket", "materiel", "missiles"),
                mention(t, "Mosul", "place", "city"),
                mention(t, "tank", "materiel", "armoured_vehicles"),
            ],
        )

    report = run_suite("re3d", tmp_path, analyzer=fake({"ISIL": d}))
    m = report["metrics"]
    # exact: ISIL, Mosul right; rocket/tank differ by the article; fighters spurious
    assert m["exact_micro_f1"] == pytest.approx(2 * 2 / (4 + 5), abs=1e-4)
    assert m["overlap_micro_f1"] == pytest.approx(2 * 4 / (4 + 5), abs=1e-4)
    assert m["exact_materiel_f1"] == 0.0
    assert m["overlap_materiel_f1"] == 1.0
    assert m["overlap_actors_places_f1"] == 0.8
    assert m["exact_actors_places_f1"] == 0.8
    assert m["gold_mentions"] == 4


# --------------------------------------------------------------------------- acled_2020


def test_acled(tmp_path: Path) -> None:
    folder = tmp_path / "acled_2020"
    folder.mkdir()
    rows = [
        ("Protests", "Protesters (India)", "On 1 May 2020, workers protested in Delhi."),
        ("Explosions/Remote violence", "Military Forces of Israel (2009-)", "Israeli aircraft struck Gaza."),
        ("Battles", "Al Shabaab", "Police blamed Al Shabaab. Al-Shabaab fighters clashed with troops."),
        ("Violence against civilians", "Unidentified Armed Group (Mexico)", "Gunmen killed a man."),
        ("Strategic developments", "Military Forces of Syria (2000-)", "Nothing happened."),
    ]
    with open(folder / "events.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["event_id_cnty", "event_date", "event_type", "actor1", "notes"])
        for i, (typ, a1, notes) in enumerate(rows):
            w.writerow([f"E{i}", "1-May-20", typ, a1, notes])

    def protest(t: str) -> Document:
        return Document(
            id="1", text=t, claims=[claim(t, "PROTEST", "protested", actors=[actor(t, "workers", "IND")])]
        )

    def strike(t: str) -> Document:
        return Document(
            id="2",
            text=t,
            claims=[
                claim(
                    t, "ASSAULT", "struck", mode="aerial", actors=[actor(t, "Israeli aircraft", "ISR", "MIL")]
                )
            ],
        )

    def battle(t: str) -> Document:
        c1 = claim(t, "ACCUSE", "blamed", actors=[actor(t, "Police")])
        c2 = claim(
            t,
            "ASSAULT",
            "clashed",
            actors=[actor(t, "Al-Shabaab", "SOM")],
            recipients=[actor(t, "troops", sector="MIL")],
        )
        c2.evidence.start = 26
        return Document(id="3", text=t, claims=[c2, c1])

    def killing(t: str) -> Document:
        return Document(
            id="4",
            text=t,
            claims=[
                claim(
                    t,
                    "ASSAULT",
                    "killed",
                    actors=[actor(t, "Gunmen")],
                    recipients=[actor(t, "a man", sector="CVL")],
                )
            ],
        )

    report = run_suite(
        "acled_2020",
        tmp_path,
        analyzer=fake({"workers": protest, "Israeli": strike, "Shabaab": battle, "Gunmen": killing}),
    )
    m = report["metrics"]
    assert report["records"] == 5
    assert m["event_type_acc"] == 0.8
    assert m["event_type_any"] == 0.8
    assert m["coverage"] == 0.8
    assert m["actor1_name_acc"] == 0.8
    assert m["actor1_country_rows"] == 4  # India, Israel, Mexico, Syria
    assert m["actor1_country_acc"] == 0.5


# --------------------------------------------------------------------------- muc4_dev


def test_muc4(tmp_path: Path) -> None:
    folder = tmp_path / "muc4_dev"
    folder.mkdir()

    def tpl(**slots: list[list[str]]) -> dict[str, Any]:
        base: dict[str, Any] = {
            "incident_type": "attack",
            "PerpInd": [],
            "PerpOrg": [],
            "Target": [],
            "Victim": [],
            "Weapon": [],
        }
        for k, ents in slots.items():
            base[k] = [[[m, 0] for m in ent] for ent in ents]
        return base

    write_jsonl(
        folder / "dev.json",
        [
            {
                "docid": "D1",
                "doctext": "guerrillas of the fmln attacked the power station with rifles.",
                "templates": [
                    tpl(
                        PerpInd=[["guerrillas"]],
                        PerpOrg=[["fmln"]],
                        Target=[["power station"]],
                        Weapon=[["rifles"]],
                    ),
                    tpl(PerpInd=[["guerrillas", "guerrilla column"]]),
                ],
            },
            {"docid": "D2", "doctext": "police shot at a crowd.", "templates": []},
            {"docid": "D3", "doctext": "the mayor was killed.", "templates": [tpl(Victim=[["mayor"]])]},
        ],
    )

    def d1(t: str) -> Document:
        return Document(
            id="1",
            text=t,
            claims=[
                claim(
                    t,
                    "ASSAULT",
                    "attacked",
                    actors=[actor(t, "guerrillas"), Actor(text="the army")],
                    recipients=[Actor(text="station")],
                    mat=[Materiel(text="rifles")],
                )
            ],
        )

    def d2(t: str) -> Document:
        return Document(id="2", text=t, claims=[claim(t, "ASSAULT", "shot", actors=[actor(t, "police")])])

    report = run_suite("muc4_dev", tmp_path, analyzer=fake({"fmln": d1, "police": d2}))
    m = report["metrics"]
    rows = {r[0]: r for r in report["tables"]["role fillers (document level)"]["rows"]}
    # perpetrator gold: guerrillas (one entity across both templates), fmln; predicted: guerrillas, the army,
    # police -> 1 TP of 3 predicted and 2 gold
    assert rows["perpetrator"][1:4] == [2, 3, 1]
    assert m["perpetrator_f1"] == 0.4
    assert m["target_f1"] == pytest.approx(0.6667, abs=1e-4)
    assert m["weapon_f1"] == 1.0
    assert m["role_micro_f1"] == 0.6
    assert (m["incident_p"], m["incident_r"], m["incident_f1"]) == (0.5, 0.5, 0.5)


# --------------------------------------------------------------------------- wikievents_dev


def test_wikievents(tmp_path: Path) -> None:
    folder = tmp_path / "wikievents_dev"
    folder.mkdir()
    s1 = ["Rebels", "bombed", "the", "convoy", "in", "Aleppo", "."]
    s2 = ["A", "soldier", "died", "."]
    text1, offs1 = detokenize([s1])
    base2 = len(text1) + 2  # sentences are not adjacent in the gold offsets
    text2, offs2 = detokenize([s2])
    sentences = [
        [[[t, a, b] for t, (a, b) in zip(s1, offs1[0], strict=True)], text1],
        [[[t, a + base2, b + base2] for t, (a, b) in zip(s2, offs2[0], strict=True)], text2],
    ]
    tokens = s1 + s2
    ents = [
        {"id": "T1", "start": 0, "end": 1, "entity_type": "ORG", "text": "Rebels"},
        {"id": "T2", "start": 3, "end": 4, "entity_type": "VEH", "text": "convoy"},
        {"id": "T3", "start": 5, "end": 6, "entity_type": "GPE", "text": "Aleppo"},
        {"id": "T4", "start": 8, "end": 9, "entity_type": "PER", "text": "soldier"},
    ]
    events = [
        {
            "id": "E1",
            "event_type": "Conflict.Attack.DetonateExplode",
            "trigger": {"start": 1, "end": 2, "text": "bombed"},
            "arguments": [
                {"entity_id": "T1", "role": "Attacker"},
                {"entity_id": "T2", "role": "Target"},
                {"entity_id": "T3", "role": "Place"},
            ],
        },
        {
            "id": "E2",
            "event_type": "Life.Die.Unspecified",
            "trigger": {"start": 9, "end": 10},
            "arguments": [{"entity_id": "T4", "role": "Victim"}],
        },
    ]
    write_jsonl(
        folder / "dev.jsonl",
        [
            {
                "doc_id": "w1",
                "tokens": tokens,
                "text": text1 + text2,
                "sentences": sentences,
                "entity_mentions": ents,
                "event_mentions": events,
            }
        ],
    )

    def d(t: str) -> Document:
        return Document(
            id="1",
            text=t,
            claims=[
                claim(
                    t,
                    "ASSAULT",
                    "bombed",
                    actors=[actor(t, "Rebels")],
                    mat=[materiel(t, "convoy", "military_vehicles")],
                    location=place(t, "Aleppo"),
                ),
                claim(t, "ASSAULT", "died"),
            ],
            mentions=[mention(t, "convoy", "materiel", "military_vehicles")],
        )

    report = run_suite("wikievents_dev", tmp_path, analyzer=fake({"Rebels": d}))
    m = report["metrics"]
    assert m["attack_triggers"] == 1
    assert m["trigger_r"] == 1.0
    assert m["trigger_p_strict"] == 0.5
    assert m["trigger_p_lenient"] == 1.0
    assert m["trigger_f1_strict"] == pytest.approx(0.6667, abs=1e-4)
    assert (m["role_micro_p"], m["role_micro_r"]) == (1.0, 1.0)
    assert m["veh_exact_f1"] == 1.0
    assert m["materiel_untyped_overlap_f1"] == 1.0


# --------------------------------------------------------------------------- actor_resolution_ngec


class _Registry:
    def lookup(self, name: str, on: Any = None) -> str | None:
        return "putin" if name == "Vladimir Putin" else None


def _to_actor(entry: str, text: str, on: Any = None) -> Actor:
    return Actor(text=text, country="RUS", sector="GOV", kind="person")


def test_actor_resolution_ngec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "actor_resolution_ngec"

    def exp(method: str, args: list[Any], var: str, fld: str | None, op: str, value: Any) -> dict[str, Any]:
        return {
            "call": {"method": method, "args": args, "kwargs": {}},
            "output_var": var,
            "field": fld,
            "op": op,
            "value": value,
        }

    write_jsonl(
        folder / "ngec_actor_resolution_test_cases.jsonl",
        [
            {
                "test": "t1",
                "needs_wikipedia_index": False,
                "expectations": [
                    exp("short_text_to_agent", ["soldiers"], "code", "code_1", "Eq", "MIL"),
                    exp("short_text_to_agent", ["soldiers"], "code", "country", "Eq", ""),
                    exp("short_text_to_agent", ["soldiers"], "code", "pattern", "Eq", "soldier"),
                ],
            },
            {
                "test": "t2",
                "needs_wikipedia_index": False,
                "expectations": [exp("trf_agent_match", ["a cat"], "code", None, "Is", None)],
            },
            {
                "test": "t3",
                "needs_wikipedia_index": True,
                "expectations": [
                    exp(
                        "agent_to_code", ["Vladimir Putin", "", "2022-03-01"], "code", "country", "Eq", "RUS"
                    ),
                    exp("agent_to_code", ["Vladimir Putin", "", "2022-03-01"], "code", "code_1", "Eq", "GOV"),
                ],
            },
            {
                "test": "t4",
                "needs_wikipedia_index": False,
                "expectations": [exp("search_nat", ["Great Britain"], "cc", None, "Eq", "GBR")],
            },
            {
                "test": "t5",
                "needs_wikipedia_index": True,
                "expectations": [
                    exp("agent_to_code", ["Kazakhstan"], "code", "country", "Eq", "KAZ"),
                    exp("query_wiki", ["Kazakhstan"], "wiki", "title", "Eq", "Kazakhstan"),
                ],
            },
        ],
    )
    monkeypatch.setattr(ngec, "_registry", lambda: (_Registry(), _to_actor))

    def soldiers(t: str) -> Document:
        return Document(id="1", text=t, mentions=[mention(t, "soldiers", "agent", "MIL")])

    def britain(t: str) -> Document:
        return Document(id="2", text=t, mentions=[mention(t, "Great Britain", "place", "country", "GBR")])

    report = run_suite(
        "actor_resolution_ngec", tmp_path, analyzer=fake({"soldiers": soldiers, "Britain": britain})
    )
    m = report["metrics"]
    assert m["cases"] == 5
    assert m["no_index_country_acc"] == 1.0
    assert m["no_index_sector_acc"] == 1.0
    assert m["no_index_null_acc"] == 1.0
    assert m["all_country_acc"] == 0.75  # Kazakhstan unresolved
    assert m["all_sector_acc"] == 1.0
    assert m["all_expectations_acc"] == pytest.approx(6 / 7, abs=1e-4)
    assert (m["answered_by_registry"], m["answered_by_analyzer"], m["answered_by_none"]) == (1, 2, 2)
    assert ngec.parse_when("Today") is None
    assert str(ngec.parse_when("10 May 2015")) == "2015-05-10"


# --------------------------------------------------------------------------- polnear


def test_polnear(tmp_path: Path) -> None:
    folder = tmp_path / "polnear"
    (folder / "dev" / "text").mkdir(parents=True)
    (folder / "dev" / "attributions").mkdir(parents=True)
    text = (
        "Budget Fight Heats Up\n\nThe senator said the plan would fail. "
        "Officials believe costs will rise, according to the report.\n"
    )
    (folder / "dev" / "text" / "art_one.txt").write_text(text, encoding="utf-8")

    def t(tid: str, typ: str, sub: str) -> str:
        s, e = find(text, sub)
        return f"{tid}\t{typ} {s} {e}\t{sub}\n"

    ann = (
        t("T1", "Source", "The senator")
        + t("T2", "Cue", "said")
        + t("T3", "Content", "the plan would fail")
        + "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
        + t("T5", "Source", "Officials")
        + t("T6", "Cue", "believe")
        + t("T7", "Content", "costs will rise")
        + "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7\n"
        + t("T9", "Discuss", "report")
    )
    (folder / "dev" / "attributions" / "art_one_4b22.ann").write_text(ann, encoding="utf-8")
    (folder / "dev" / "attributions" / "art_one_ffff.ann").write_text("", encoding="utf-8")
    (folder / "metadata.tsv").write_text(
        "compartment\tfilename\tpublisher\tpublication_date\ndev\tart_one\tnyt\t2016-10-01\n",
        encoding="utf-8",
    )
    seen: list[dict[str, Any]] = []

    def analyzer(items: list[dict[str, Any]]) -> list[Document]:
        seen.extend(items)
        body = items[0]["text"].split("\n\n", 1)[1].strip()  # the pipeline drops the headline

        def psg(sub: str) -> Passage:
            s, e = find(body, sub)
            return Passage(text=sub, start=s, end=e, sentence=0)

        s1 = find(body, "The senator")
        quotes = [
            Quote(
                speaker_span=Span(start=s1[0], end=s1[1]),
                cue=psg("said"),
                content=psg("the plan would fail."),
            ),
            Quote(cue=psg("according to"), content=psg("costs will rise")),
        ]
        return [Document(id="1", text=body, quotes=quotes)]

    report = run_suite("polnear", tmp_path, analyzer=analyzer)
    m = report["metrics"]
    assert seen[0]["outlet"] == "nyt" and seen[0]["published"] == "2016-10-01"
    assert m["gold_attributions"] == 2
    assert m["source_exact_f1"] == pytest.approx(0.6667, abs=1e-4)
    assert m["cue_exact_f1"] == 0.5
    assert m["content_exact_f1"] == 1.0  # the trailing full stop does not matter
    assert m["content_partial_f1"] == 1.0
    assert m["attribution_partial_f1"] == 0.5  # the second quote lacks the gold source


# --------------------------------------------------------------------------- meantime


def test_meantime(tmp_path: Path) -> None:
    folder = tmp_path / "meantime_dev"

    def conll(sentences: list[list[tuple[str, str]]]) -> str:
        lines, i = [], 1
        for sent in sentences:
            for tok, tag in sent:
                cols = (
                    ["_"] * 4
                    if tag == "_"
                    else [f"B-E-{tag[0]}", *[f"B-{v}-{tag[0]}" for v in tag[1:].split(",")]]
                )
                lines.append("\t".join([str(i), tok, *cols]))
                i += 1
            lines.append("")
        return "\n".join(lines) + "\n"

    (folder / "corpus_airbus").mkdir(parents=True)
    (folder / "corpus_apple").mkdir(parents=True)
    (folder / "corpus_airbus" / "a.conll").write_text(
        conll(
            [
                [("Boeing", "_"), ("will", "_"), ("build", "1CERTAIN,POS,FUTURE"), ("jets", "_"), (".", "_")],
                [("It", "_"), ("may", "_"), ("not", "_"), ("win", "2POSSIBLE,NEG,FUTURE"), (".", "_")],
            ]
        ),
        encoding="utf-8",
    )
    (folder / "corpus_apple" / "b.conll").write_text(
        conll([[("Apple", "_"), ("sold", "1CERTAIN,POS,UNDERSPECIFIED"), ("phones", "_"), (".", "_")]]),
        encoding="utf-8",
    )

    def a(t: str) -> Document:
        return Document(id="a", text=t, claims=[claim(t, "AID", "build", fact=Factuality(tense="future"))])

    def b(t: str) -> Document:
        return Document(
            id="b", text=t, claims=[claim(t, "AID", "sold", fact=Factuality(certainty="probable"))]
        )

    report = run_suite("meantime", tmp_path, analyzer=fake({"Boeing": a, "Apple": b}))
    m = report["metrics"]
    assert m["gold_events"] == 3
    assert m["coverage"] == pytest.approx(0.6667, abs=1e-4)
    # the headline assesses every gold event with khaldun.factuality.assess_spans on the real parse:
    # "will build" certain/positive/future, "may not win" possible/negative/future, "sold" certain/positive
    for k in ("certainty", "polarity", "tense"):
        assert (m[f"{k}_acc"], m[f"{k}_macro_f1"]) == (1.0, 1.0)
    assert (m["covered_certainty_acc"], m["covered_polarity_acc"], m["covered_tense_acc"]) == (0.5, 1.0, 1.0)


# --------------------------------------------------------------------------- hedge


def test_hedge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "hedge_train"
    folder.mkdir()
    with open(folder / "train.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerows(
            [
                ["Some say it may rain -LRB- heavily -RRB- .\n", 1],
                ["The sky is blue.\n", 0],
                ["It is believed he left.\n", 1],
                ["He left.\n", 0],
                ["  \n", 0],
            ]
        )
    monkeypatch.setattr(hedge_suite, "_cue_function", lambda: lambda t: "may" in t.split())

    def certain(t: str) -> Document:
        return Document(id="1", text=t, claims=[claim(t, "AID", "blue")])

    def probable(t: str) -> Document:
        return Document(
            id="2", text=t, claims=[claim(t, "AID", "left", fact=Factuality(certainty="probable"))]
        )

    def possible(t: str) -> Document:
        return Document(
            id="3", text=t, claims=[claim(t, "AID", "left", fact=Factuality(certainty="possible"))]
        )

    report = run_suite(
        "hedge", tmp_path, analyzer=fake({"sky": certain, "believed": probable, "He left": possible})
    )
    m = report["metrics"]
    assert report["records"] == 4  # the blank row is skipped
    assert (m["hedged_p"], m["hedged_r"], m["hedged_f1"]) == (pytest.approx(0.6667, abs=1e-4), 1.0, 0.8)
    assert m["accuracy"] == 0.75
    assert m["claims_only_f1"] == 0.5
    assert m["cue_only_f1"] == pytest.approx(0.6667, abs=1e-4)
    assert hedge_suite.clean("a -LRB- b -RRB- `` c ''") == 'a ( b ) " c "'


# --------------------------------------------------------------------------- real gold sets


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared/eval is absent")
@pytest.mark.parametrize("name", sorted(SUITES))
def test_real_gold_sets_load(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if name == "actor_resolution_ngec":
        monkeypatch.setattr(ngec, "_registry", lambda: None)
    try:
        gold_folder(name, SHARED)
    except FileNotFoundError:
        pytest.skip(f"gold set of {name} absent")
    report = run_suite(name, SHARED, limit=3, analyzer=empty_analyzer)
    assert 1 <= report["records"] <= 3
    assert report["metrics"]
    json.dumps(report)
    assert format_report(report).startswith(f"== {name}")


def test_re3d_country_label_follows_its_role() -> None:
    from khaldun.evaluation.re3d import predictions

    text = "Turkey shelled Syria."
    doc = Document(
        id="1",
        text=text,
        claims=[claim(text, "ASSAULT", "shelled", actors=[actor(text, "Turkey", "TUR", kind="state")])],
        mentions=[
            mention(text, "Turkey", "actor", "state", "TUR"),
            mention(text, "Turkey", "place", "country", "TUR"),
            mention(text, "Syria", "actor", "state", "SYR"),
            mention(text, "Syria", "place", "country", "SYR"),
        ],
    )
    # Turkey acts in a claim: Organisation; Syria is only mentioned: Location
    assert sorted(predictions(doc, OffsetMap(text, text))) == [("Location", 15, 20), ("Organisation", 0, 6)]


def _hedge_suite(tmp_path: Path, rows: list[list[Any]]) -> None:
    """A hedge suite folder under `tmp_path` with these (text, label) rows."""
    folder = tmp_path / "hedge_train"
    folder.mkdir()
    with open(folder / "train.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerows(rows)


def test_analyzer_failures_are_isolated_and_reported(tmp_path: Path) -> None:
    _hedge_suite(tmp_path, [["It may rain.", 1], ["Boom.", 0], ["It is sunny.", 0]])

    def flaky(items: list[dict[str, Any]]) -> list[Document]:
        if any(it["text"] == "Boom." for it in items):
            raise ValueError("parser exploded")
        return empty_analyzer(items)

    report = run_suite("hedge", tmp_path, analyzer=flaky)
    assert report["records"] == 3
    assert report["metrics"]["analyzer_errors"] == 1
    assert "parser exploded" in report["notes"][0]
    again = run_suite("hedge", tmp_path, analyzer=empty_analyzer)
    assert again["metrics"]["analyzer_errors"] == 0


def test_a_document_the_pipeline_fails_inside_is_an_analyzer_error(tmp_path: Path, monkeypatch: Any) -> None:
    """The pipeline keeps a document it fails on (an empty Document, its text kept) and goes on; the suite
    must still count it, or a crash reads as a sentence with nothing to find."""
    from khaldun.pipeline import default_pipeline

    _hedge_suite(tmp_path, [["Officials said rain may fall.", 1], ["The mortar went boom.", 0], ["It is sunny.", 0]])
    pipe = default_pipeline()
    real = pipe._analysis

    def failing(pr: dict[str, Any], parsed: Any) -> Any:
        if "boom" in pr["body"]:
            raise RuntimeError("a stage exploded")
        return real(pr, parsed)

    monkeypatch.setattr(pipe, "_analysis", failing)
    report = run_suite("hedge", tmp_path)
    assert report["records"] == 3
    assert report["metrics"]["analyzer_errors"] == 1
    assert "a stage exploded" in report["notes"][0]
    monkeypatch.setattr(pipe, "_analysis", real)
    assert run_suite("hedge", tmp_path)["metrics"]["analyzer_errors"] == 0


def test_acled_type_map() -> None:
    from khaldun.evaluation.acled_2020 import acled_type, actor1_country

    t = "Rioters attacked police while army shelled the town and gunmen killed villagers."
    assert acled_type(claim(t, "ASSAULT", "attacked", actors=[actor(t, "Rioters")])) == "Riots"
    assert acled_type(claim(t, "ASSAULT", "shelled", mode="heavy-weapons")) == "Explosions/Remote violence"
    victims = [actor(t, "villagers", sector="CVL")]
    assert acled_type(claim(t, "ASSAULT", "killed", recipients=victims)) == "Violence against civilians"
    assert (
        acled_type(claim(t, "ASSAULT", "attacked", recipients=[actor(t, "police", sector="COP")]))
        == "Battles"
    )
    assert acled_type(claim(t, "ASSAULT", "attacked", mode="destroy")) == "Strategic developments"
    assert acled_type(claim(t, "PROTEST", "attacked", mode="riot")) == "Riots"
    assert acled_type(claim(t, "ACCUSE", "attacked")) is None
    assert actor1_country("Military Forces of Yemen (2016-) Supreme Political Council") == "YEM"
    assert actor1_country("Police Forces of the Philippines (2016-)") == "PHL"
    assert actor1_country("Protesters (Democratic Republic of Congo)") == "COD"
    assert actor1_country("Al Shabaab") is None


def test_hedge_limit_keeps_both_labels(tmp_path: Path) -> None:
    folder = tmp_path / "hedge_train"
    folder.mkdir()
    with open(folder / "train.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerows([[f"certain {i}", 0] for i in range(4)] + [[f"hedged {i}", 1] for i in range(2)])
    rows = list(hedge_suite.load(folder, limit=3))  # 2 of 6 hedged -> 1 hedged, 2 certain, file order
    assert [(r.index, r.hedged) for r in rows] == [(0, False), (1, False), (4, True)]
    assert len(list(hedge_suite.load(folder))) == 6


def test_gold_dates_of_wire_sets_are_expanded_not_fatal() -> None:
    from khaldun.evaluation.metrics import gold_date, with_published

    assert gold_date("121108") == "2012-11-08"  # YYMMDD of the CAMEO/PETRARCH wire sets
    assert gold_date("961108") == "1996-11-08"
    assert gold_date("20121108") == "2012-11-08"
    assert gold_date("not a date") is None  # analyzed undated, never a crash
    assert with_published({"text": "x", "published": "121108"})["published"] == "2012-11-08"


def test_eval_list_names_every_suite() -> None:
    from typer.testing import CliRunner

    from khaldun.cli import app

    res = CliRunner().invoke(app, ["eval", "--list"])
    assert res.exit_code == 0
    assert all(name in res.output for name in SUITES)
    res = CliRunner().invoke(app, ["eval"])
    assert res.exit_code != 0


def test_reports_print_their_baselines() -> None:
    from khaldun.evaluation.metrics import baseline, majority

    assert majority(["A", "B", "A", "C"]) == ("A", 0.5)
    rep = {"suite": "x", "metrics": {"f1": 0.5},
           "baselines": [baseline("f1", 0.5, 0.25, "every record A")]}
    text = format_report(rep)
    assert "baselines" in text and "every record A" in text and "0.25" in text


def test_trivial_taggers_of_the_baselines() -> None:
    from khaldun.evaluation.polnear import quoted_passages
    from khaldun.evaluation.re3d import capitalized_runs

    text = 'Officials in Port Harbin said "the convoy reached the border on time" and "no".'
    spans = [text[s:e] for s, e in capitalized_runs(text)]
    assert spans == ["Officials", "Port Harbin"]
    quotes = quoted_passages(text)
    assert len(quotes) == 1 and quotes[0].source is None and quotes[0].cue is None
    (s, e), = quotes[0].content
    assert text[s:e] == "the convoy reached the border on time"  # "no" has fewer than four words
