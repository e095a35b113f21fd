"""Classes of events the trigger lexicon and the frame engine must recognise: verbs of conveying goods
("funnel"), spending on personnel or weapons (funding), goods' origin as their supplier, participant-less
flows of weapons "into" a place, movements of craft ("shuttle"), taking part in a war, acts of authority
("a decree dissolving X"), dispersing a gathering, and frames in clauses of their own beside the rules'
events. Paragraph joining of pages hard-wrapped with blank lines. Sentences are khaldun's own."""

from __future__ import annotations

from typing import Any

import pytest

from khaldun.frames import FrameEngine
from khaldun.nlp import lemma, paragraphs
from khaldun.pipeline import default_pipeline


@pytest.fixture(scope="module")
def pipe():  # type: ignore[no-untyped-def]
    return default_pipeline()


def _claims(pipe, text: str, etype: str | None = None) -> list[Any]:  # type: ignore[no-untyped-def]
    return [c for c in pipe.analyze(text).claims if etype is None or c.event.type == etype]


def _countries(actors) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.country for a in actors if a.country}


# -- paragraphs -------------------------------------------------------------------------------------------

def test_blank_line_inside_a_sentence_does_not_break_it() -> None:
    text = ("Aid Groups Warn of Famine\n\nThe monitors found that rifles and mortar rounds from\n\nBelarus and "
            "Iran were being shipped to the\n\nmilitia every single month of the year, despite\n\nthe embargo.\n\nA second paragraph "
            "begins here.")
    paras = [p.text for p in paragraphs(text)]
    assert paras[0] == "Aid Groups Warn of Famine"
    assert paras[1].startswith("The monitors") and paras[1].endswith("the embargo.")
    assert paras[2] == "A second paragraph begins here."


def test_comma_before_a_capitalised_line_still_breaks() -> None:
    paras = paragraphs("The ministry said the talks had stalled in the capital,\n\nIn other news the port reopened.")
    assert len(paras) == 2


def test_short_unpunctuated_line_is_a_heading() -> None:
    text = "Drone flights rose sharply\nAnalysts counting flights at the base said the numbers doubled in May."
    assert [p.text for p in paragraphs(text)][0] == "Drone flights rose sharply"
    wrapped = "The analysts counting flights at the base said that the\nnumbers had doubled in May."
    assert len(paragraphs(wrapped)) == 1


# -- lemmas of the frame engine's verbs ----------------------------------------------------------------

def test_frame_verbs_are_found_from_their_inflected_forms(nlp: Any) -> None:
    engine = FrameEngine()
    doc = nlp("The planes were shuttling while the guards dispersed the crowd and the ministry spent money.")
    by_text = {t.text: t for t in doc}
    assert {p.lemma for p in engine.candidates(by_text["shuttling"])} == {"shuttle"}
    assert {p.lemma for p in engine.candidates(by_text["dispersed"])} == {"disperse"}
    assert lemma(by_text["spent"]) == "spend"


# -- transfers ------------------------------------------------------------------------------------------

def test_funnel_is_a_transfer(pipe) -> None:  # type: ignore[no-untyped-def]
    aid = _claims(pipe, "Diplomats fear that Qatar is funnelling rockets to the militia in the south.", "AID")
    assert aid and "QAT" in _countries(aid[0].actors)
    assert any("militia" in r.text for r in aid[0].recipients)


def test_goods_from_a_country_name_the_supplier(pipe) -> None:  # type: ignore[no-untyped-def]
    aid = _claims(pipe, "The monitors found that rifles and mortar rounds from Belarus and Iran are being "
                        "imported into Chad every month.", "AID")
    assert aid and {"BLR", "IRN"} <= _countries(aid[0].actors)


def test_flow_of_weapons_into_a_place_is_kept_without_a_supplier(pipe) -> None:  # type: ignore[no-untyped-def]
    aid = _claims(pipe, "The steady flow of rifles into Niger worries the monitors.", "AID")
    assert aid and aid[0].event.trigger == "flow"
    assert not _claims(pipe, "The steady flow of rifles worries the monitors.", "AID")


def test_spending_on_mercenaries_is_funding(pipe) -> None:  # type: ignore[no-untyped-def]
    aid = _claims(pipe, "The opposition says the Iraqi government spent $3 million on foreign mercenaries.", "AID")
    assert aid and aid[0].event.trigger == "spent"
    assert "IRQ" in _countries(aid[0].funders)
    assert not _claims(pipe, "The Iraqi minister spent the night on the front line.", "AID")


def test_noun_control_gives_the_infinitive_its_subject(nlp: Any) -> None:
    m = FrameEngine().match(next(t for t in nlp("Attempts by Egypt to ship rockets to the militia failed.")
                                 if t.text == "ship"))
    assert m is not None and [t.text for t in m.roles["actor"]] == ["Egypt"]


# -- movements and fighting ------------------------------------------------------------------------------

def test_a_plane_shuttling_between_bases_is_a_movement(pipe) -> None:  # type: ignore[no-untyped-def]
    mob = _claims(pipe, "New pictures show a Turkish cargo plane shuttling between two airbases in the east.",
                  "MOBILIZE")
    assert mob and "TUR" in _countries(mob[0].actors)
    assert not _claims(pipe, "The minister shuttled between the two capitals last week.", "MOBILIZE")


def test_taking_part_in_a_war_puts_forces_into_it(pipe) -> None:  # type: ignore[no-untyped-def]
    mob = _claims(pipe, "The rebels repeated claims that Pakistani advisers participated in the war.", "MOBILIZE")
    assert mob and "PAK" in _countries(mob[0].actors)
    assert not _claims(pipe, "Pakistani students participated in the debate.", "MOBILIZE")


def test_frame_beside_the_rules_in_a_clause_of_its_own(pipe) -> None:  # type: ignore[no-untyped-def]
    text = ("A witness said a Turkish military convoy arrived at a base near Idlib, where Syrian jets have been "
            "bombing rebel positions for weeks.")
    types = {c.event.type for c in _claims(pipe, text)}
    assert {"ASSAULT", "MOBILIZE"} <= types
    # a participle describing fighters is no transfer of its own
    assert not _claims(pipe, "The village was attacked by militiamen armed with rifles.", "AID")


# -- coercion ----------------------------------------------------------------------------------------------

def test_decree_dissolving_a_force_is_its_issuer_coercing(pipe) -> None:  # type: ignore[no-untyped-def]
    co = _claims(pipe, "The army commander issued a decree dissolving the Rapid Support Forces.", "COERCE")
    assert co and co[0].event.trigger == "dissolving"
    assert any("commander" in a.text for a in co[0].actors)
    assert any("Rapid Support" in r.text for r in co[0].recipients)
    assert not [c for c in _claims(pipe, "The army commander issued a decree dissolving the Rapid Support Forces.")
                if c.event.trigger == "issued"]


def test_responsible_for_dispersing_protesters(nlp: Any) -> None:
    doc = nlp("The general is responsible for dispersing the protesters.")
    m = FrameEngine().match(next(t for t in doc if t.text == "dispersing"))
    assert m is not None and m.pattern.type == "COERCE"
    assert [t.text for t in m.roles["actor"]] == ["general"]
    assert [t.text for t in m.roles["target"]] == ["protesters"]


# -- raising adjectives and receivers hung on the goods ----------------------------------------------------

def test_subject_of_likely_to_provide_supplies(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Observers said Algerian helicopters are likely to provide air support for the militia fighters."
    aid = [c for c in _claims(pipe, text) if c.event.trigger.startswith("provide")]
    assert aid and "DZA" in _countries(aid[0].actors)
    assert any("militia" in r.text for r in aid[0].recipients)


def test_weapons_bound_for_a_party_are_a_transfer_from_their_owner(pipe) -> None:  # type: ignore[no-untyped-def]
    aid = _claims(pipe, "The navy seized Iranian rockets bound for the rebel militia off the coast.", "AID")
    assert aid and "IRN" in _countries(aid[0].actors)
    assert any("militia" in r.text for r in aid[0].recipients)
    assert {c.event.type for c in _claims(pipe, "The navy seized Iranian rockets bound for the rebel militia.")} \
        >= {"COERCE", "AID"}


def test_fighters_arriving_at_a_place_are_kept_without_an_organiser(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Monitors said the number of recruits who arrived in Benghazi this month rose to 900."
    mob = _claims(pipe, text, "MOBILIZE")
    assert mob and mob[0].location is not None and mob[0].location.country == "LBY"
    assert not _claims(pipe, "Monitors said the number of tourists who arrived in Benghazi this month rose to 900.",
                       "MOBILIZE")


def test_relative_clause_without_a_relative_word_has_the_noun_as_object(pipe, nlp: Any) -> None:  # type: ignore[no-untyped-def]
    aid = _claims(pipe, "The rebels could not hold the town without the weapons they were getting from Iran.", "AID")
    assert aid and "IRN" in _countries(aid[0].actors)
    assert aid[0].materiel and aid[0].materiel[0].text == "weapons"
    doc = nlp("The rebels could not hold the town without the weapons they were getting from Iran.")
    engine = FrameEngine()
    getting = next(t for t in doc if t.text == "getting")
    assert engine.object_gap(getting)
    assert [t.text for t in engine.arguments(getting).obj] == ["weapons"]
    assert not engine.object_gap(next(t for t in nlp("The men who attacked the post fled.") if t.text == "attacked"))


def test_shipments_bound_for_a_party_beside_their_seizure(pipe) -> None:  # type: ignore[no-untyped-def]
    claims = _claims(pipe, "Police seized two shipments of rifles that were bound for the rebel militia.")
    aid = [c for c in claims if c.event.type == "AID"]
    assert {"COERCE", "AID"} <= {c.event.type for c in claims}
    assert aid and any("militia" in r.text for r in aid[0].recipients)
    assert aid[0].materiel and aid[0].materiel[0].text == "rifles"


def test_goods_named_after_a_state_name_their_supplier(pipe) -> None:  # type: ignore[no-untyped-def]
    aid = _claims(pipe, "Crates of Turkish rifles were shipped into Libya last month.", "AID")
    assert aid and "TUR" in _countries(aid[0].actors)
