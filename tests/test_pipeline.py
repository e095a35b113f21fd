"""End-to-end tests of `khaldun analyze`: the seed gold, re-phrasings of its facts, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import khaldun

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_d4524581ef7f097a.txt"
GOLD = SHARED / "eval" / "seed" / "seed_gold.json"
CHECK = SHARED / "tools" / "check_seed.py"
EXAMPLE = ROOT / "khaldun" / "data" / "examples" / "example_article.txt"
needs_shared = pytest.mark.skipif(not (SEED.exists() and GOLD.exists() and CHECK.exists()),
                                  reason="../shared (seed and gold) not present")


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "khaldun.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def claims_of(text: str, published: str = "2019-07-31") -> list[khaldun.models.Claim]:  # type: ignore[name-defined]
    return khaldun.analyze(text, published=published).claims


def find(claims, etype, **want):  # noqa: ANN001, ANN003, ANN201
    out = []
    for c in claims:
        if c.event.type not in (etype if isinstance(etype, tuple) else (etype,)):
            continue
        ok = True
        for k, v in want.items():
            if k == "actor_country":
                ok &= v in {a.country for a in c.actors}
            elif k == "recipient_country":
                ok &= v in {a.country for a in c.recipients}
            elif k == "funder_country":
                ok &= v in {a.country for a in c.funders}
            elif k == "materiel":
                ok &= v in {m.category for m in c.materiel}
            elif k == "speaker":
                ok &= c.attribution.speaker is not None and v.lower() in (
                    (c.attribution.speaker.name or "") + c.attribution.speaker.text).lower()
            elif k == "tense":
                ok &= c.factuality.tense == v
            elif k == "certainty":
                ok &= c.factuality.certainty in (v if isinstance(v, tuple) else (v,))
            elif k == "polarity":
                ok &= c.factuality.polarity == v
            elif k == "no_speaker":
                ok &= c.attribution.speaker is None
            elif k == "location":
                ok &= c.location is not None and v.lower() in (c.location.name or c.location.text).lower()
        if ok:
            out.append(c)
    return out


@needs_shared
def test_seed_matches_gold(tmp_path: Path) -> None:
    res = run_cli("analyze", str(SEED), "--published", "2019-07-31", "--format", "json")
    assert res.returncode == 0, res.stderr
    out = tmp_path / "out.json"
    out.write_text(res.stdout)
    chk = subprocess.run([sys.executable, str(CHECK), str(GOLD), str(out)], capture_output=True, text=True)
    assert chk.returncode == 0, chk.stdout
    assert "seed: 6/6 must claims" in chk.stdout
    data = json.loads(res.stdout)
    doc = data["documents"][0]
    assert data["contract"] == 1
    for c in doc["claims"]:
        ev = c["evidence"]
        assert doc["text"][ev["start"]:ev["end"]] == ev["text"]
        for m in ev["more"]:
            assert doc["text"][m["start"]:m["end"]] == m["text"]
    assert "Other news" not in doc["text"]


def test_example_article_yields_the_seed_kinds_of_claims() -> None:
    doc = khaldun.analyze(EXAMPLE.read_text(encoding="utf-8"), published="2020-06-03")
    cs = doc.claims
    aid = find(cs, ("AID", "AGREE"), actor_country="TUR", materiel="air_defence", tense="future")
    assert aid, [c.event for c in cs]
    a = aid[0]
    assert "QAT" in {f.country for f in a.funders}
    assert a.attribution.speaker is not None and "mismari" in a.attribution.speaker.text.lower()
    assert any("Al Arabiya" in v.name for v in a.attribution.via)
    assert a.attribution.evidence_basis and "phone" in a.attribution.evidence_basis
    assert any(f.status == "potential_violation" and "1970" in f.instrument for f in a.embargo)
    assert find(cs, "ASSAULT", location="Mitiga")
    assert find(cs, "ACCUSE", recipient_country="QAT")
    ships = find(cs, "AID", actor_country="TUR", no_speaker=True, tense="past")
    assert ships and {"armoured_vehicles", "small_arms"} & {m.category for m in ships[0].materiel}
    assert "Related articles" not in doc.text
    for c in cs:
        assert doc.text[c.evidence.start:c.evidence.end] == c.evidence.text


# -- re-phrasings of the seed's facts, in our own words: the same claims must come out -----------------

LEAD = ("A spokesman for the Libyan National Army, Major General Ahmed al-Mismari, said on Tuesday that "
        "recordings of phone calls between al-Qaeda leaders and Qatari and Turkish officials show that {x}.")


@pytest.mark.parametrize("clause", [
    "Turkey will send air defence systems to the militants",
    "air defence systems will be sent to the militants by Turkey",
    "Ankara will deliver air-defence systems to the militants",
    "the Turkish army is going to supply air defenses to the militants",
])
def test_future_transfer_rephrased(clause: str) -> None:
    cs = claims_of(LEAD.format(x=clause))
    hits = find(cs, ("AID", "AGREE"), actor_country="TUR", materiel="air_defence", tense="future",
                speaker="Mismari")
    assert hits, [(c.event.type, [a.text for a in c.actors]) for c in cs]
    assert hits[0].recipients
    assert hits[0].attribution.evidence_basis


@pytest.mark.parametrize("name", ["Khalifa Haftar", "Khalifa Hafter", "Khalifa Hifter"])
def test_haftar_spellings_resolve_to_one_id(name: str) -> None:
    doc = khaldun.analyze(f"Forces loyal to {name} struck the airport in Tripoli on Monday, officials said.",
                          published="2019-07-31")
    ids = {m.id for m in doc.mentions if m.kind == "actor" and "Khalifa" in m.text}
    assert len(ids) == 1 and None not in ids


def test_quote_before_attribution_and_qatari_funds() -> None:
    text = ('"Turkish air defence systems will arrive, I think, and they will be paid for with Qatari funds," '
            "Libyan National Army spokesman Ahmed al-Mismari told Sky News Arabia.")
    cs = claims_of(text)
    hits = find(cs, ("AID", "AGREE"), materiel="air_defence", speaker="Mismari", certainty=("probable", "possible"))
    assert hits, [(c.event.type, c.event.trigger) for c in cs]
    c = hits[0]
    assert c.attribution.quote == "direct"
    assert any("Sky News Arabia" in v.name for v in c.attribution.via)


def test_doha_funds_through_ankara() -> None:
    text = ("Doha will finance the shipment of armoured vehicles that Ankara is sending to the militias, "
            "the spokesman of the Libyan National Army said.")
    cs = claims_of(text)
    assert find(cs, "AID", actor_country="TUR") or find(cs, "AID", actor_country="QAT")


def test_outlet_voice_past_transfer() -> None:
    cs = claims_of("Turkey shipped explosives, rifles and armoured vehicles to armed groups in Tripoli in June.")
    hits = find(cs, "AID", actor_country="TUR", no_speaker=True, tense="past", polarity="positive")
    assert hits
    assert hits[0].recipients and hits[0].recipients[0].country == "LBY"
    assert any(f.status == "potential_violation" for f in hits[0].embargo)


def test_denial_is_negative() -> None:
    cs = claims_of("Turkey's defence ministry denied that it had sent drones to the militias in Tripoli.")
    hits = find(cs, "AID", actor_country="TUR")
    assert hits and hits[0].factuality.polarity == "negative"


def test_strikes_nominal_with_first_person_actor() -> None:
    text = ('"The strikes of our armed forces on the air base in Misrata destroyed the Turkish drones," '
            "the Libyan National Army spokesman Ahmed al-Mismari said.")
    cs = claims_of(text)
    hits = find(cs, "ASSAULT", location="Misrat", speaker="Mismari")
    assert hits
    assert any(a.country == "LBY" for a in hits[0].actors)


def test_trailing_furniture_is_not_analysed() -> None:
    doc = khaldun.analyze("Turkey sent drones to the militias in Tripoli last week.\n\nOther news\nShare this",
                          published="2019-07-31")
    assert "Other news" not in doc.text
    assert all(c.evidence.end <= len(doc.text) for c in doc.claims)


# -- bad input ---------------------------------------------------------------------------------------------

def test_bad_inputs_are_named_and_the_rest_processed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Turkey sent drones to the militias in Tripoli last week, officials said.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "latin.txt").write_bytes("caf\xe9 attack".encode("latin-1"))
    (tmp_path / "nobody.html").write_text("<html><body><nav>Home</nav></body></html>")
    (tmp_path / "lines.jsonl").write_text('{"text": "Qatar funded the militias, the army said."}\n{"title": "x"}\n')
    res = run_cli("analyze", str(tmp_path), "--format", "jsonl", "--published", "2019-07-31")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    for name in ("empty.txt", "binary.txt", "latin.txt", "nobody.html", "lines.jsonl:2"):
        assert name in res.stderr, res.stderr
    docs = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(docs) == 2


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Turkey sent drones to Libya.")
    assert run_cli("analyze", str(f), "--published", "not-a-date").returncode == 2
    assert run_cli("analyze", str(f), "--format", "xml").returncode == 2


def test_missing_file_exit_1(tmp_path: Path) -> None:
    res = run_cli("analyze", str(tmp_path / "nope.txt"))
    assert res.returncode == 1 and "nope.txt" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("text", [
    "Arsenal beat Chelsea 3-1 on Sunday to move top of the league.",
    "Critics attacked the central bank's plan to raise interest rates, analysts said.",
    "Heavy rain hit the coast on Tuesday and more storms are expected this week.",
    "The company shot a new advertising film in Tripoli last month.",
])
def test_non_events_are_discarded(text: str) -> None:
    assert [c.event.type for c in claims_of(text) if c.event.type == "ASSAULT"] == []


def test_plover_intent_and_requests() -> None:
    # an actor announcing its own future aid expresses intent (AGREE); "X must" voiced by Y is a request
    cs = claims_of("Norway will send medical supplies to Yemen next month, the Norwegian foreign minister said.")
    assert find(cs, "AGREE", actor_country="NOR")
    cs = claims_of("The French president said on Monday that Iran must release the detained journalists.")
    req = find(cs, "REQUEST", actor_country="FRA")
    assert req and "IRN" in {a.country for a in req[0].recipients}


def test_dateline_is_not_a_clause_and_names_the_wire() -> None:
    doc = khaldun.analyze("TRIPOLI (Levant Wire) - Turkish drones struck the airport in Sirte on Monday, the army said.",
                          published="2020-05-12")
    assert doc.claims
    for c in doc.claims:
        assert all("TRIPOLI" not in a.text for a in c.actors)
        assert c.attribution.via and c.attribution.via[0].name == "Levant Wire"
    assert doc.text.startswith("TRIPOLI (Levant Wire)")


def test_one_very_long_paragraph_keeps_every_passage() -> None:
    """Scraped text often comes without line breaks: thousands of sentences in one paragraph must not
    make any stage quadratic (spaCy's `doc.text`, asked per event, once was). The same sentence 600
    times is one claim reported again 599 times, with every passage kept."""
    from khaldun.pipeline import default_pipeline

    text = "Turkey sent drones to Tripoli, officials said. " * 600
    doc = default_pipeline().analyze(text)
    assert len(doc.claims) == 1
    assert len(doc.claims[0].evidence.more) == 599


def test_reports_of_different_transfers_stay_apart() -> None:
    """One speaker reporting transfers to two different registered parties, or on two written dates, is
    two events; the same transfer reported again is one claim with both passages."""
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    two_parties = ("Turkey sent drones to the Government of National Accord, a spokesman said.\n\n"
                   "Turkey sent drones to the Libyan National Army, the spokesman said.")
    assert len(pipe.analyze(two_parties).claims) == 2
    two_days = ("Turkey sent drones to the Government of National Accord on 3 May, a spokesman said.\n\n"
                "Turkey sent drones to the Government of National Accord on 12 May, the spokesman said.")
    assert len(pipe.analyze(two_days).claims) == 2
    again = ("Turkey sent drones to the Government of National Accord on 3 May, a spokesman said.\n\n"
             "\"Turkey sent drones to the GNA,\" the spokesman said.")
    (claim,) = pipe.analyze(again).claims
    assert len(claim.evidence.more) == 1


def test_unnamed_sources_keep_the_side_they_are_named_with() -> None:
    import khaldun

    doc = khaldun.analyze("Turkey will send more armed drones to the GNA, two Turkish officials said.")
    (c,) = doc.claims
    # an unnamed source is named as written, with no id: not the outlet's own voice
    sp = c.attribution.speaker
    assert sp is not None and sp.id is None and sp.text == "two Turkish officials" and sp.country == "TUR"
    sig = {s.signal: s.reason for s in c.attribution.signals}
    assert sig["anonymous_source"] == "attributed to unnamed officials (Turkish)"
    assert "party_to_conflict" in sig


def test_default_pipeline_takes_its_structures_out_of_the_cyclic_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process-wide pipeline's model, registries and gazetteer live as long as the process: once built they
    are frozen (`gc.freeze`), so full collections no longer walk them; a second call builds nothing."""
    import gc

    from khaldun import pipeline

    monkeypatch.setattr(pipeline, "_DEFAULT", None)
    gc.unfreeze()
    try:
        pipe = pipeline.default_pipeline()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        assert pipeline.default_pipeline() is pipe and gc.get_freeze_count() == frozen
        assert all(o is not pipe for o in gc.get_objects())  # the collector's generations no longer hold it
    finally:
        gc.unfreeze()


def test_gc_paused_holds_off_collections_even_when_a_library_re_enables_the_collector() -> None:
    """Building the pipeline runs with the cyclic collector paused; spaCy's loader calls `gc.enable()` on the
    way, which must not end the pause; the thresholds come back afterwards, also after an error."""
    import gc

    from khaldun.pipeline import gc_paused

    before = gc.get_threshold()
    assert before[0] > 0
    with gc_paused():
        gc.enable()  # what srsly's msgpack does inside spacy.load
        assert gc.get_threshold()[0] == 0  # no automatic collection
        start = gc.get_stats()[0]["collections"]
        junk = [[i] for i in range(5 * before[0])]  # far more allocations than one threshold's worth
        assert gc.get_stats()[0]["collections"] == start
        del junk
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before
