"""Tests for khaldun.mentions: noun-phrase entity mentions in ``Document.mentions``."""

from __future__ import annotations

import pytest

import khaldun
from khaldun.models import Mention


def mentions(text: str) -> list[Mention]:
    return khaldun.analyze(text, published="2019-07-31").mentions


def by_text(text: str) -> dict[str, Mention]:
    return {m.text: m for m in mentions(text) if m.kind != "date"}


def test_titles_and_names_are_one_person_mention() -> None:
    ms = by_text("Iraqi President Fuad Masum met Deputy Secretary of State Antony Blinken in Baghdad.")
    masum = ms["Iraqi President Fuad Masum"]
    assert (masum.kind, masum.label, masum.country) == ("actor", "person", "IRQ")
    blinken = ms["Deputy Secretary of State Antony Blinken"]
    assert (blinken.label, blinken.id, blinken.country) == ("person", "person/antony-blinken", "USA")
    assert "Iraqi" not in ms and "President" not in ms  # the pieces are not mentions of their own
    assert ms["Baghdad"].kind == "place"


def test_agent_phrases_carry_sector_and_country() -> None:
    ms = by_text("The Iraqi military said that the Government of Iraq had asked for help.")
    mil = ms["The Iraqi military"]
    assert (mil.kind, mil.label, mil.country) == ("agent", "MIL", "IRQ")
    gov = ms["the Government of Iraq"]
    assert gov.kind == "agent" and gov.label == "GOV" and gov.country == "IRQ"


def test_country_acting_or_located() -> None:
    ms = by_text("Turkey condemned the strikes in Syria.")
    assert (ms["Turkey"].kind, ms["Turkey"].label) == ("actor", "state")
    assert (ms["Syria"].kind, ms["Syria"].label) == ("place", "country")
    ms = by_text("The talks were held with Jordan, and U.S. assistance reached Lebanon.")
    assert ms["Jordan"].kind == "actor"      # object of "with": a party
    assert ms["U.S."].kind == "actor"        # "U.S. assistance": who gives
    assert ms["Lebanon"].kind == "actor"     # direct object


def test_people_nouns_and_pronouns() -> None:
    ms = by_text("He said that at least 13 women and children were killed and a spokesman confirmed it.")
    assert (ms["He"].kind, ms["He"].label) == ("actor", "person")
    group = ms["at least 13 women and children"]
    assert group.kind == "agent"
    assert (ms["a spokesman"].kind, ms["a spokesman"].label) == ("actor", "person")
    assert "it" not in ms  # "it" refers to things as often as to actors


def test_places_from_head_nouns_and_appositions() -> None:
    ms = by_text("The militants fled to the port city of Tartus and later to Berlin, Germany.")
    assert ms["the port city of Tartus"].kind == "place"
    assert ms["the port city of Tartus"].country == "SYR"
    assert ms["Berlin, Germany"].kind == "place"
    assert ms["The militants"].kind == "agent" and ms["The militants"].label == "UAF"


def test_possessor_inside_a_non_entity_phrase() -> None:
    ms = by_text("The United States condemned the Asad regime's escalating attacks.")
    assert "the Asad regime" in ms and ms["the Asad regime"].kind == "agent"
    assert "the Asad regime's escalating attacks" not in ms


def test_materiel_mentions_unchanged() -> None:
    ms = mentions("Israeli jets fired missiles at a military airport west of Damascus.")
    mat = [(m.text, m.label) for m in ms if m.kind == "materiel"]
    assert ("jets", "aircraft") in mat or ("Israeli jets", "aircraft") in mat
    assert any(t == "missiles" for t, _ in mat)


def test_registry_name_over_several_chunks() -> None:
    ms = by_text("He joined the Islamic State of Iraq and the Levant in 2014.")
    isil = ms["the Islamic State of Iraq and the Levant"]
    assert (isil.kind, isil.id) == ("actor", "org/isil")
    assert isil.country is None  # Iraq inside the name is not the group's country
    assert "Iraq" not in ms


@pytest.mark.parametrize("text", ["", "   ", "12345.", "It was raining."])
def test_nothing_to_mention(text: str) -> None:
    assert [m for m in mentions(text) if m.kind != "date"] == []


def test_mentions_are_fast() -> None:
    text = ("Iraqi forces said on Tuesday that the Government of Iraq and the US-led coalition had "
            "retaken the town of Qayyarah, south of Mosul, from Islamic State militants. ") * 40
    khaldun.analyze(text)  # warm up the models
    doc = khaldun.analyze(text)
    assert len([m for m in doc.mentions if m.kind != "date"]) >= 200


@pytest.mark.parametrize(("text", "expected"), [
    ("Fathi al-Ghariani, a lawyer in Zawiya, said the militia had shelled the school.", None),
    ("Sheikh al-Ghariani said the militia had shelled the school.", "person/sadiq-al-ghariani"),
    ("Khalifa Belqasim Haftar ordered strikes on Tripoli.", "person/khalifa-haftar"),
])
def test_a_shared_family_name_is_not_the_registered_person(text: str, expected: str | None) -> None:
    from khaldun.pipeline import default_pipeline

    doc = default_pipeline().analyze(text)
    first = next(m for m in doc.mentions if m.kind == "actor")
    assert first.id == expected, first


def test_the_namesake_keeps_his_family_name_later_in_the_document() -> None:
    from khaldun.pipeline import default_pipeline

    text = ("Libyan National Army spokesman Fathi al-Ghariani said on Saturday that Turkey had shipped drones "
            "to Tripoli.\n\nSpeaking in Benghazi, al-Ghariani said the army would target any vessel carrying "
            "weapons.")
    doc = default_pipeline().analyze(text)
    assert not [m for m in doc.mentions if m.id == "person/sadiq-al-ghariani"]
    speakers = {c.attribution.speaker.text for c in doc.claims if c.attribution.speaker}
    assert speakers and all("Ghariani" in s for s in speakers)
    assert all(c.attribution.speaker_affiliation is not None for c in doc.claims if c.attribution.speaker)


def test_head_class_remembered_by_what_it_reads() -> None:
    """head_class remembers its answers by the token's tags, its word and the modifier word right before it:
    the same answers with or without the token table, and a two-word head ("front line") is not taken for the
    same noun alone ("the line")."""
    from khaldun import mentions as M
    from khaldun.pipeline import default_pipeline
    from khaldun.token_table import token_table

    nlp = default_pipeline().nlp
    text = "A spokesman said the soldiers held the front line, and the line held near the radio station."
    M._HEAD_CLASSES.clear()
    plain = nlp(text)
    assert M.TABLE_KEY not in plain.user_data
    first = [M.head_class(t) for t in plain]  # from the Token's attributes
    tabled = nlp(text)
    token_table(tabled)
    again = [M.head_class(t) for t in tabled]  # from the table, and remembered
    assert again == first
    got = {(t.i, t.text): c for t, c in zip(plain, first, strict=True)}
    assert got[(1, "spokesman")] == "person" and got[(4, "soldiers")] == "group"
    assert got[(8, "line")] == "place"  # "front line"
    assert got[(12, "line")] is None  # the line alone names no place
    M._HEAD_CLASSES.clear()
    assert [M.head_class(t) for t in tabled] == first
