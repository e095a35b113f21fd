"""Claim-stage policies on the frame engine's matches (events.EventExtractor): when a dictionary frame is an
event khaldun outputs. Sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from khaldun.events import _engine, _noun_phrase, _on_clause_spine
from khaldun.lexicon import triggers


def _claims(text: str) -> set[tuple[str, str, str]]:
    from khaldun.pipeline import default_pipeline

    return {(c.event.type, ",".join(a.country or "" for a in c.actors), ",".join(r.country or "" for r in c.recipients))
            for c in default_pipeline().analyze(text).claims}


@pytest.fixture()
def fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHALDUN_FRAMES", "fallback")


@pytest.mark.parametrize("text,gold", [
    # the dictionary's verb pattern names its object word: the verb with that noun is the event
    ("Egypt ruled out a resumption of the talks with Jordan.", ("REJECT", "EGY", "JOR")),
    ("Egypt postponed the meeting with Jordan.", ("SANCTION", "EGY", "JOR")),
])
def test_object_pattern_replaces_the_event_noun_of_its_object(fallback: None, text: str,
                                                              gold: tuple[str, str, str]) -> None:
    got = _claims(text)
    assert gold in got
    assert not any(t == "CONSULT" for t, _, _ in got)  # the talks / the meeting did not take place


def test_event_noun_in_a_clause_hanging_off_the_object_stays(fallback: None) -> None:
    """'took steps to improve the cooperation': the cooperation is no part of the object phrase 'steps'."""
    assert {t for t, _, _ in _claims("Egypt took steps to improve the cooperation with Jordan.")} == {"COOPERATE"}


def test_noun_phrase_keeps_of_phrases_not_clauses(nlp: Any) -> None:
    doc = nlp("Egypt took several steps to improve the resumption of the talks.")
    steps = next(t for t in doc if t.lower_ == "steps")
    assert {t.lower_ for t in _noun_phrase(steps)} == {"several", "steps"}
    resumption = next(t for t in doc if t.lower_ == "resumption")
    assert {t.lower_ for t in _noun_phrase(resumption)} == {"the", "resumption", "of", "talks"}


def test_clause_spine(nlp: Any) -> None:
    doc = nlp("Egypt said it attacked the town, but the plan to attack the port was dropped.")
    first, second = [t for t in doc if t.lower_ in ("attacked", "attack")]
    assert _on_clause_spine(first)  # the content of a speech verb is a clause of the sentence
    assert not _on_clause_spine(second)  # a clause modifying 'plan'


@pytest.fixture()
def one_side(monkeypatch: pytest.MonkeyPatch, fallback: None) -> None:
    monkeypatch.setitem(_engine().sx, "one_side_force_types", frozenset({"ASSAULT", "COERCE"}))


def test_force_needs_both_sides_when_switched_off(fallback: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_engine().sx, "one_side_force_types", frozenset())
    assert not _claims("Egypt hurled the firebombs.")


def test_force_with_one_side(one_side: None) -> None:
    assert ("ASSAULT", "EGY", "") in _claims("Egypt hurled the firebombs.")


def test_one_side_switch_is_on_by_default(fallback: None) -> None:
    """On since a spokesman's unresolved body joins its other reports (see syntax.yaml one_side_force_types)."""
    assert set(_engine().sx["one_side_force_types"]) == {"ASSAULT", "COERCE"}
    assert ("ASSAULT", "EGY", "") in _claims("Egypt hurled the firebombs.")


@pytest.mark.parametrize("text,gold", [
    # a place or a building, in active, passive and nominal (gerund) form
    ("Egyptian soldiers burned the houses.", ("ASSAULT", "EGY", "")),
    ("The houses were burned by Egyptian soldiers.", ("ASSAULT", "EGY", "")),
    ("Egypt's burning of the houses angered the villagers.", ("ASSAULT", "EGY", "")),
    ("Egyptian troops took over the town.", ("COERCE", "EGY", "")),
    ("The town was taken over by Egyptian troops.", ("COERCE", "EGY", "")),
    ("Egyptian troops' taking over of the town was filmed.", ("COERCE", "EGY", "")),
    # persons and groups (a personal pronoun, a plural person noun), a vehicle, weapons, what is fired
    ("Egyptian troops took them.", ("COERCE", "EGY", "")),
    ("The protesters were beaten by Egyptian police.", ("ASSAULT", "EGY", "")),
    ("Egyptian troops set the trucks on fire.", ("ASSAULT", "EGY", "")),
    ("Egyptian troops hurled grenades.", ("ASSAULT", "EGY", "")),
    ("Egyptian soldiers exchanged fire.", ("ASSAULT", "EGY", "")),
])
def test_one_side_force_on_a_physical_object(one_side: None, text: str, gold: tuple[str, str, str]) -> None:
    assert gold in _claims(text)


@pytest.mark.parametrize("text", [
    # an abstract object, in active, passive and nominal (gerund) form
    "Egyptian engineers took over the project.",
    "The project was taken over by Egyptian engineers.",
    "Egyptian engineers' taking over of the project was welcomed.",
    "Egyptian police took decisive measures.",
    "Egyptian traders set the prices on fire.",
    # an event noun: the noun's own event, not an act of the verb's
    "Egyptian troops carried out an incursion.",
])
def test_one_side_force_not_on_an_abstract_object(one_side: None, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    from khaldun.events import EventExtractor

    assert not {t for t, _, _ in _claims(text)} & {"ASSAULT", "COERCE"}
    # the object's class is what drops it: a frame of force with one side is made without the check
    monkeypatch.setattr(EventExtractor, "_acts_on_matter", lambda self, m: True)
    assert {t for t, _, _ in _claims(text)} & {"ASSAULT", "COERCE"}


def test_one_side_force_not_in_a_denied_clause(one_side: None, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Egyptian soldiers did not burn the houses."
    assert not _claims(text)
    monkeypatch.setitem(_engine().sx, "one_side_unasserted", frozenset())
    assert {t for t, _, _ in _claims(text)} == {"ASSAULT"}


def test_physical_object_classes(nlp: Any) -> None:
    """The head classes that make a thing force acts on: people after a quantity, a place noun with its
    determiner, not a bare singular noun of a set phrase ("took shelter")."""
    from khaldun.events import EventExtractor
    from khaldun.mentions import ParaMentions

    doc = nlp("Dozens of villagers saw the bridge and the plan before the families took shelter.")
    ex = EventExtractor.__new__(EventExtractor)
    ex.pm = ParaMentions(doc, 0, None)  # no mentions: the lexicon classes alone
    ex.trig = triggers()
    by = {t.lower_: t for t in doc}
    assert ex._matter(by["dozens"]) and ex._matter(by["bridge"])
    assert not ex._matter(by["shelter"]) and not ex._matter(by["plan"])


def test_verb_over_its_own_event_noun_with_one_side(one_side: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """'resumed the bombardment': a verb over an event noun tells the noun's own event, which the rules read; with
    one side named, it is an act of force of its subject only where the dictionary's pattern names that noun with
    the verb and codes the phrase as the noun's own type (syntax.yaml force_own_act_types); switched off, an
    event noun is no thing force acts on."""
    from khaldun.events import EventExtractor

    assert ("ASSAULT", "EGY", "JOR") in _claims("Egypt resumed the bombardment of Jordan.")  # the rules' noun
    assert ("ASSAULT", "EGY", "") in _claims("The bombardment was resumed by Egypt.")
    monkeypatch.setitem(_engine().sx, "force_own_act_types", frozenset())
    assert not _claims("The bombardment was resumed by Egypt.")
    monkeypatch.setattr(EventExtractor, "_acts_on_matter", lambda self, m: True)
    assert ("ASSAULT", "EGY", "") in _claims("The bombardment was resumed by Egypt.")


@pytest.mark.parametrize("text,gold", [
    ("The offensive was relaunched by Sudanese rebels.", ("ASSAULT", "SDN", "")),
    ("Kenya's relaunching of the offensive came early.", ("ASSAULT", "KEN", "")),
])
def test_force_act_named_by_its_own_pattern(one_side: None, monkeypatch: pytest.MonkeyPatch, text: str,
                                            gold: tuple[str, str, str]) -> None:
    """A dictionary pattern naming the verb with its event noun of force codes one side's act (its doer),
    which the policy dropped as an event noun before (syntax.yaml force_own_act_types)."""
    assert gold in _claims(text)
    monkeypatch.setitem(_engine().sx, "force_own_act_types", frozenset())
    assert gold not in _claims(text)


def test_one_side_force_not_in_a_clause_modifying_a_noun(one_side: None) -> None:
    """A participle or relative clause describing a noun ("the firebombs hurled by X") is no act told."""
    assert not _claims("A report on the firebombs hurled by Egypt was published.")
    assert not _claims("Crowds watched the firebombs that Egypt hurled.")


def test_rules_verb_type_defers_to_a_pattern_naming_its_object(fallback: None) -> None:
    """'returned fire': the dictionary pattern with its object word is an attack, not a return."""
    got = _claims("Egyptian troops returned fire on the Jordanian border guards.")
    assert ("ASSAULT", "EGY", "JOR") in got and not any(t == "RETREAT" for t, _, _ in got)


def test_material_acts_keep_the_rules_type(fallback: None) -> None:
    """Moving forces and giving are khaldun's own families: the dictionary's object patterns do not retype them."""
    assert {t for t, _, _ in _claims("Egypt deployed fighter jets to Jordan.")} == {"MOBILIZE"}


def test_an_act_with_a_party_of_its_own_stays_under_a_verb_pattern(fallback: None,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """'directed an attack against X': the attack is an act of its own, not absorbed by the dictionary's
    'direct' pattern (which, without the class of kept acts, replaces it)."""
    text = "Egypt directed an attack against the Jordanian embassy."
    assert {t for t, _, _ in _claims(text)} == {"ASSAULT"}
    monkeypatch.setitem(_engine().sx, "noun_acts_kept", frozenset())
    assert "ASSAULT" not in {t for t, _, _ in _claims(text)}


def test_rules_phrase_trigger_keeps_its_type(fallback: None) -> None:
    """A rule trigger that names the object word too is as specific as the dictionary's pattern: no deferral."""
    from khaldun.events import EventExtractor
    from khaldun.lexicon import Trigger

    class _Rule:
        trigger_text = "imposed a blockade"
        type = "SANCTION"
        spec = Trigger("impose", "V", "SANCTION", None, "163", frozenset())

    class _Match:
        pattern = type("P", (), {"type": "COERCE", "lemma": "impose"})()

    assert not EventExtractor._defers_to(_Rule(), _Match())  # type: ignore[arg-type]
    _Rule.trigger_text = "imposed"
    assert EventExtractor._defers_to(_Rule(), _Match())  # type: ignore[arg-type]


def test_a_reading_coding_fewer_parties_does_not_replace_the_rules(one_side: None,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules read both sides of 'demolished the homes of Jordanian farmers'; the dictionary's pattern codes
    one (the homes are no party; with one-sided force on, its frame is made), so its type does not replace
    theirs (it would, counting no sides)."""
    import khaldun.events as events

    text = "Egyptian troops demolished the homes of Jordanian farmers."
    assert _claims(text) == {("COERCE", "EGY", "JOR")}
    monkeypatch.setattr(events, "_coded_sides", lambda rc: 0)
    assert ("COERCE", "EGY", "JOR") not in _claims(text)


def test_bare_force_verb_in_the_passive_of_its_victim(fallback: None) -> None:
    """A bare verb of the dictionary whose every coding reading is force, said in the passive of a named victim
    with no agent ("X was stabbed"), is coded as the rules code their own verbs of force; not in a clause that
    tells the background of another ("since 2015, when X was stabbed")."""
    assert ("ASSAULT", "", "KEN") in _claims("A Kenyan diplomat was stabbed in Mombasa.")
    assert ("ASSAULT", "", "KEN") in _claims("Police said a Kenyan diplomat had been stabbed near the embassy.")
    assert not _claims("The town has been calm since 2015, when a Kenyan diplomat was stabbed there.")


def test_bare_passive_not_for_a_verb_with_other_readings(fallback: None) -> None:
    """'take' also codes taking part, taking note ...: its bare passive codes nothing on its own."""
    from khaldun.events import EventExtractor

    m = next(m for m in _engine().match_span(_parse("Three Kenyan civilians were taken.")) if m.trigger.lower_ == "taken")
    assert not EventExtractor._force_passive(m)
    m = next(m for m in _engine().match_span(_parse("A Kenyan diplomat was stabbed.")) if m.trigger.lower_ == "stabbed")
    assert EventExtractor._force_passive(m)


def _parse(text: str) -> Any:
    from khaldun.nlp import load_model

    return load_model()(text)


@pytest.mark.parametrize("text,gold", [
    ("Egypt accused Jordan of stalling in the talks.", ("ACCUSE", "EGY", "JOR")),
    ("Egypt praised Jordan for its role in the negotiations with Syria.", ("SUPPORT", "EGY", "JOR")),
])
def test_meeting_noun_in_a_phrase_of_another_event_is_its_scene(fallback: None, text: str,
                                                                 gold: tuple[str, str, str]) -> None:
    """A meeting noun inside a prepositional phrase of another event's verb clause is where that event happened,
    not a meeting told of its own (events.drop_backdrop)."""
    got = _claims(text)
    assert gold in got
    assert not any(t == "CONSULT" for t, _, _ in got)


@pytest.mark.parametrize("text", [
    "Egypt held talks with Jordan.",  # the light verb's object: the meeting itself
    "The Egyptian minister arrived in Amman for talks with Jordan.",  # 'for': what the trip was for
])
def test_meeting_noun_that_is_the_event_stays(fallback: None, text: str) -> None:
    assert ("CONSULT", "EGY", "JOR") in _claims(text)


@pytest.mark.parametrize("text,gold,noun_type", [
    ("Egypt ignored the appeal from Jordan.", ("REJECT", "EGY", ""), "REQUEST"),
    ("Egypt played down the threat from Jordan.", ("REJECT", "EGY", ""), "THREATEN"),
])
def test_object_pattern_replaces_a_speech_noun_of_its_object(fallback: None, text: str, gold: tuple[str, str, str],
                                                             noun_type: str) -> None:
    """A speech act named by the object ("ignored the appeal") is the other side's, not the subject's: the
    verb's pattern is the event (the subject refuses it), not an appeal made by the subject."""
    got = _claims(text)
    assert gold in got
    assert not any(t == noun_type for t, _, _ in got)
