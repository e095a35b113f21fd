"""The frame engine (khaldun/frames): one engine, every alternation, on sentences written for these tests
(fictional countries, so that no registry or gold text is involved)."""

from __future__ import annotations

from typing import Any

import pytest

from khaldun.frames import FrameEngine, frame_lexicon


def _frames(nlp: Any, engine: FrameEngine, text: str) -> dict[str, Any]:
    return {m.trigger.lower_: m for m in engine.match_span(nlp(text))}


def _roles(m: Any) -> dict[str, list[str]]:
    return {k: [t.lower_ for t in v] for k, v in m.roles.items()}


TRANSFER = [
    # (sentence, trigger, actor, recipient, materiel)
    ("Ruritania sent tanks to the rebels.", "sent", ["ruritania"], ["rebels"], ["tanks"]),  # active, 'to'
    ("Tanks were sent to the rebels by Ruritania.", "sent", ["ruritania"], ["rebels"], ["tanks"]),  # passive+by
    ("Tanks were sent to the rebels.", "sent", [], ["rebels"], ["tanks"]),  # passive without 'by'
    ("The rebels were given armoured vehicles by Ruritania.", "given", ["ruritania"], ["rebels"], ["vehicles"]),
    ("Ruritania provided the rebels with rifles.", "provided", ["ruritania"], ["rebels"], ["rifles"]),
    ("Rifles supplied by Ruritania to the rebels were found.", "supplied", ["ruritania"], ["rebels"], ["rifles"]),
    ("The supply of rifles by Ruritania to the rebels continued.", "supply", ["ruritania"], ["rebels"], ["rifles"]),
    ("Ruritania's delivery of rifles worried the neighbours.", "delivery", ["ruritania"], None, ["rifles"]),
    ("Arms deliveries to the rebels resumed.", "deliveries", [], ["rebels"], ["arms"]),
    ("Ruritania agreed to send tanks to Freedonia.", "send", ["ruritania"], ["freedonia"], ["tanks"]),
    ("Ruritania used the port to ship rifles to the rebels.", "ship", ["ruritania"], ["rebels"], ["rifles"]),
    ("Freedonia bought drones from Ruritania.", "bought", ["ruritania"], ["freedonia"], ["drones"]),
    ("The government that sent the rifles denied it.", "sent", ["government"], None, ["rifles"]),
]


@pytest.mark.parametrize("text,trigger,actor,recipient,materiel", TRANSFER)
def test_transfer_alternations(nlp: Any, engine: FrameEngine, text: str, trigger: str, actor: list[str],
                               recipient: list[str] | None, materiel: list[str]) -> None:
    m = _frames(nlp, engine, text)[trigger]
    assert m.pattern.type == "AID"
    r = _roles(m)
    assert r.get("actor", []) == actor
    if recipient is not None:
        assert r.get("recipient", []) == recipient
    assert r.get("materiel", []) == materiel


def test_coordinated_subjects_and_objects(nlp: Any, engine: FrameEngine) -> None:
    m = _frames(nlp, engine, "Ruritania and Freedonia shipped rifles and mortars to the rebels.")["shipped"]
    r = _roles(m)
    assert m.pattern.type == "AID"
    assert r["actor"] == ["ruritania", "freedonia"]
    assert r["materiel"] == ["rifles", "mortars"]


def test_coordinated_verbs_share_subject(nlp: Any, engine: FrameEngine) -> None:
    ms = _frames(nlp, engine, "The militia stormed the village and killed ten farmers.")
    assert _roles(ms["killed"])["actor"] == ["militia"]
    assert ms["killed"].pattern.type == "ASSAULT"


def test_object_control(nlp: Any, engine: FrameEngine) -> None:
    ms = _frames(nlp, engine, "Ruritania urged Freedonia to withdraw its troops.")
    assert _roles(ms["withdraw"])["actor"] == ["freedonia"]
    assert ms["withdraw"].pattern.type == "RETREAT"


def test_light_verb(nlp: Any, engine: FrameEngine) -> None:
    m = _frames(nlp, engine, "The air force carried out strikes on the rebel camp.")["strikes"]
    assert m.pattern.type == "ASSAULT"
    assert _roles(m)["actor"] == ["force"]
    assert _roles(m)["target"] == ["camp"]
    assert any("light verb" in n for n in m.args.notes)


def test_object_pattern_overrides_verb_default(nlp: Any, engine: FrameEngine) -> None:
    """A CAMEO pattern on the object noun decides the code: the same verb codes differently by object."""
    a = _frames(nlp, engine, "The minister imposed sanctions on Freedonia.")["imposed"]
    b = _frames(nlp, engine, "The army imposed a curfew on the town.")["imposed"]
    assert a.pattern.cameo != b.pattern.cameo
    assert a.pattern.source.startswith("CAMEO.2.0.txt:") and b.pattern.source.startswith("CAMEO.2.0.txt:")


def test_null_reading_codes_nothing(nlp: Any, engine: FrameEngine) -> None:
    """A verb the dictionary codes only with given objects ('send' + a letter is no transfer of goods)."""
    ms = _frames(nlp, engine, "The clerk sent a parcel of books to his cousin.")
    assert "sent" not in ms or ms["sent"].pattern.type != "AID"


def test_every_pattern_has_provenance() -> None:
    lex = frame_lexicon()
    pats = [p for lst in lex.patterns.values() for p in lst]
    assert len(pats) > 5000
    assert all(p.source for p in pats)
    assert any(p.source.startswith("CAMEO.2.0.txt:") for p in pats)


def test_forces_arriving_are_a_deployment_a_minister_arriving_is_not(nlp: Any, engine: FrameEngine) -> None:
    ms = _frames(nlp, engine, "Hundreds of fighters arrived in the capital last week.")
    assert ms["arrived"].pattern.type == "MOBILIZE"
    assert ms["arrived"].pattern.source == "data/frames/khaldun_patterns.tsv"
    ms = _frames(nlp, engine, "The minister arrived in Paris.")
    assert ms["arrived"].pattern.type != "MOBILIZE"


def test_raised_subject_of_a_passive_is_its_object(nlp: Any, engine: FrameEngine) -> None:
    m = _frames(nlp, engine, "The drones appear to have been moved over the border into Freedonia.")["moved"]
    assert m.pattern.type == "MOBILIZE"
    assert _roles(m)["materiel"] == ["drones"] and "actor" not in m.roles


# -- alternations the CAMEO selftest (scripts/cameo_selftest.py) found the engine missing ---------------------
def test_gerund_nominal_reads_the_verbs_patterns(nlp: Any, engine: FrameEngine) -> None:
    """'X's backing of Y': a gerund used as a noun takes its verb's patterns, the possessor as subject."""
    m = _frames(nlp, engine, "Ruritania's backing of the peace plan surprised the diplomats.")["backing"]
    assert m.pattern.type == "SUPPORT" and m.pattern.source.startswith("CAMEO.2.0.txt:")
    assert _roles(m)["actor"] == ["ruritania"]


def test_gerund_without_arguments_is_no_nominal(nlp: Any, engine: FrameEngine) -> None:
    assert "backing" not in _frames(nlp, engine, "Backing is hard work for the diplomats.")


def test_of_phrase_a_pattern_names_after_its_object(nlp: Any, engine: FrameEngine) -> None:
    """'(OF X)' after a pattern's object word is that word's complement ("confirmed the purchase of rifles")."""
    m = _frames(nlp, engine, "Freedonia confirmed the purchase of rifles.")["confirmed"]
    assert m.pattern.obj == ("purchase",) and dict(m.pattern.preps).get("of") == ("@weapon",)
    assert m.pattern.type == "AGREE"


def test_past_verb_parsed_as_participle_on_the_root_noun(nlp: Any, engine: FrameEngine) -> None:
    """A sentence whose only verb the parser hung on its subject as a participle: the coordinated subjects
    act (they are not what is acted on)."""
    m = _frames(nlp, engine, "The Ruritanian administration and the Freedonian regime marshalled outside the embassy.")
    roles = _roles(m["marshalled"])
    assert roles["actor"] == ["administration", "regime"] and "target" not in roles


def test_reduced_relative_with_agent_stays_passive(nlp: Any, engine: FrameEngine) -> None:
    m = _frames(nlp, engine, "Rifles supplied by Ruritania to the rebels were found.")["supplied"]
    assert _roles(m)["actor"] == ["ruritania"] and _roles(m)["materiel"] == ["rifles"]


# -- the switch between rules and engine (events.frames_mode) -----------------------------------------------
def _types(text: str, mode: str, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    from khaldun.pipeline import default_pipeline

    monkeypatch.setenv("KHALDUN_FRAMES", mode)
    return {c.event.type for c in default_pipeline().analyze(text).claims}


def _claims(text: str, mode: str, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str, str]]:
    from khaldun.pipeline import default_pipeline

    monkeypatch.setenv("KHALDUN_FRAMES", mode)
    return {(c.event.type, a.country or "", r.country or "") for c in default_pipeline().analyze(text).claims
            for a in c.actors for r in c.recipients}


def test_frames_switch_rules_only_and_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clause only the dictionary codes (CAMEO 'HURL * FIREBOMB') is coded by the engine, alone or as the
    fallback, and not by the rules alone."""
    text = "Egypt hurled firebombs at Jordan."
    assert ("ASSAULT", "EGY", "JOR") in _claims(text, "engine", monkeypatch)
    assert ("ASSAULT", "EGY", "JOR") in _claims(text, "fallback", monkeypatch)
    assert not _claims(text, "rules", monkeypatch)


def test_engine_first_decides_the_type_of_a_verb_the_rules_coded(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the engine primary, a verb clause the rules coded takes the dictionary pattern's type (CAMEO
    'IMPOSE * CURFEW' is a coercion); khaldun's families of material acts keep the rules' type."""
    text = "Egypt imposed a curfew on the Jordanian border towns."
    assert {t for t, _, _ in _claims(text, "fallback", monkeypatch)} == {"SANCTION"}
    assert ("COERCE", "EGY", "JOR") in _claims(text, "first", monkeypatch)
    assert _claims("Egypt sent fighter jets to Jordan.", "first", monkeypatch) == {("AID", "EGY", "JOR")}


def test_frames_switch_rejects_an_unknown_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from khaldun.config import frames_mode

    monkeypatch.setenv("KHALDUN_FRAMES", "sometimes")
    with pytest.raises(ValueError, match="KHALDUN_FRAMES"):
        frames_mode()


def test_dictionary_forms_give_irregular_pasts_their_verb(nlp: Any, engine: FrameEngine) -> None:
    """The inflected forms a CAMEO verb line lists (compiled into cameo_forms.tsv): 'sped' is of SPEED."""
    m = _frames(nlp, engine, "Ruritania sped relief to Freedonia.")["sped"]
    assert m.pattern.type == "AID" and _roles(m)["recipient"] == ["freedonia"]


def test_particle_picks_the_verb_of_an_ambiguous_form(nlp: Any, engine: FrameEngine) -> None:
    """'wound' is a verb of its own (to injure) and a past of 'wind'; with 'down' it is 'wind down'."""
    assert _frames(nlp, engine, "The minister wound down the talks.")["wound"].pattern.type != "ASSAULT"
    assert _frames(nlp, engine, "The soldiers wound three farmers.")["wound"].pattern.type == "ASSAULT"


def test_words_before_a_passive_verb_are_not_its_source(nlp: Any, engine: FrameEngine) -> None:
    """A pattern's words before the verb name its source in the active ("soldiers took X"); the passive subject
    before the verb is what was acted on ("soldiers were taken to hospital") and meets no such word."""
    active = _frames(nlp, engine, "Ruritanian soldiers took the rebels.").get("took")
    assert active is not None and "@military" in active.pattern.pre
    passive = _frames(nlp, engine, "Three Ruritanian soldiers were taken to hospital.").get("taken")
    assert passive is None or "@military" not in passive.pattern.pre
