"""Classes of event parties coded to a country (issue 12, the actor half of event coding): the target of an
act the event governs ("refused to receive X", "threatened to bomb X's ports", a protest "to denounce X"), the
target a light verb carries for its event noun ("held rallies ... against X"), the partner of a passive
meeting verb ("X was received by Y"), the host of a visit ("arrived in <capital>"), and an agent noun owned
by a role phrase ("the <demonym> president's troops"), a title before a head of state's family name. Sentences are khaldun's own."""

from __future__ import annotations

from typing import Any

import pytest

from khaldun.pipeline import default_pipeline


@pytest.fixture(scope="module")
def pipe():  # type: ignore[no-untyped-def]
    return default_pipeline()


def _claim(pipe: Any, text: str, etype: str) -> Any:
    found = [c for c in pipe.analyze(text).claims if c.event.type == etype]
    assert found, f"no {etype} claim in {text!r}"
    return found[0]


def _countries(actors: list[Any]) -> set[str]:
    return {a.country for a in actors if a.country}


# -- the governed act's target -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, etype, source, target", [
    ("Kenya threatened to bomb Somali villages on Monday.", "THREATEN", "KEN", "SOM"),
    ("Peru threatened to sever ties with Chile.", "THREATEN", "PER", "CHL"),
    ("Egypt refused to receive Sudan's foreign minister in Cairo.", "REJECT", "EGY", "SDN"),
])
def test_a_refused_or_threatened_act_lends_its_target(pipe: Any, text: str, etype: str, source: str,
                                                       target: str) -> None:
    c = _claim(pipe, text, etype)
    assert _countries(c.actors) == {source}
    assert target in _countries(c.recipients)
    assert "act it governs" in c.why["recipients"]


def test_the_governed_act_is_still_not_coded_on_its_own(pipe: Any) -> None:
    claims = pipe.analyze("Kenya threatened to bomb Somali villages on Monday.").claims
    assert [c.event.type for c in claims] == ["THREATEN"]


def test_a_protest_takes_the_target_of_its_demand(pipe: Any) -> None:
    c = _claim(pipe, "Hundreds of Kenyan teachers marched through Nairobi to denounce the Kenyan government's "
                     "pay freeze.", "PROTEST")
    assert _countries(c.recipients) == {"KEN"}


def test_a_head_with_a_target_of_its_own_keeps_it(pipe: Any) -> None:
    c = _claim(pipe, "Norway warned Sweden that it would halt gas deliveries to Finnish towns.", "THREATEN")
    assert "FIN" not in _countries(c.recipients)


# -- a light verb's 'against' phrase -----------------------------------------------------------------------

def test_rallies_held_against_a_minister(pipe: Any) -> None:
    c = _claim(pipe, "Cocoa farmers held rallies on Monday against the Ghanaian finance minister.", "PROTEST")
    assert _countries(c.recipients) == {"GHA"}


# -- meetings and visits ------------------------------------------------------------------------------------

@pytest.mark.parametrize("verb", ["received", "phoned", "visited"])
def test_the_passive_subject_of_a_meeting_verb_is_the_partner(pipe: Any, verb: str) -> None:
    c = _claim(pipe, f"The Chadian minister was {verb} by the Nigerian president.", "CONSULT")
    assert _countries(c.actors) == {"NGA"}
    assert _countries(c.recipients) == {"TCD"}


@pytest.mark.parametrize("text", [
    "The Zambian president arrived in Harare on Monday.",
    "The Zambian president began a visit to Harare on Monday.",
])
def test_the_host_of_a_visit_is_the_country_visited(pipe: Any, text: str) -> None:
    c = _claim(pipe, text, "CONSULT")
    assert _countries(c.actors) == {"ZMB"}
    assert _countries(c.recipients) == {"ZWE"}
    assert "visit" in c.why["recipients"]


def test_a_visit_at_home_has_no_host(pipe: Any) -> None:
    c = _claim(pipe, "The Zambian president visited Livingstone on Monday.", "CONSULT")
    assert c.recipients == []


# -- an agent noun owned by a role phrase -------------------------------------------------------------------

@pytest.mark.parametrize("text, etype, country", [
    ("The Ghanaian president's troops attacked the town.", "ASSAULT", "GHA"),
    ("The Chilean government's police arrested dozens of students.", "COERCE", "CHL"),
])
def test_troops_of_a_role_phrase_take_its_country(pipe: Any, text: str, etype: str, country: str) -> None:
    c = _claim(pipe, text, etype)
    assert _countries(c.actors) == {country}


# -- a protest's implicit target ------------------------------------------------------------------------------

def test_a_protest_against_an_unregistered_phrase_names_its_state(pipe: Any) -> None:
    c = _claim(pipe, "Kenyan nurses walked off the job in protest against the new Kenyan pay rules.", "PROTEST")
    assert _countries(c.recipients) == {"KEN"}


def test_a_protest_with_no_target_faces_the_government_where_it_happens(pipe: Any) -> None:
    c = _claim(pipe, "Some two thousand students marched in Nairobi on Friday.", "PROTEST")
    assert _countries(c.recipients) == {"KEN"}
    assert all(a.kind == "state" and a.sector == "GOV" for a in c.recipients)
    assert c.why["recipients"].startswith("no target named")


def test_a_protest_with_no_target_or_place_faces_the_protesters_government(pipe: Any) -> None:
    c = _claim(pipe, "Some two thousand Peruvian students marched on Friday.", "PROTEST")
    assert [(a.text, a.country) for a in c.recipients] == [("Peru", "PER")]


def test_a_protest_with_a_target_keeps_it(pipe: Any) -> None:
    c = _claim(pipe, "Cocoa farmers held rallies on Monday against the Ghanaian finance minister.", "PROTEST")
    assert [a.country for a in c.recipients] == ["GHA"]
    assert not c.why.get("recipients", "").startswith("no target named")


def test_an_arrest_with_no_target_named_gets_none(pipe: Any) -> None:
    c = _claim(pipe, "Kenyan police carried out mass arrests on Friday.", "COERCE")
    assert c.recipients == []


# -- the possessor of a phrase that names no party -------------------------------------------------------------

def test_the_possessor_of_a_protested_act_is_its_target(pipe: Any) -> None:
    c = _claim(pipe, "Opposition deputies marched through Nairobi to protest Mwai Kibaki's refusal to meet them.",
               "PROTEST")
    assert _countries(c.recipients) == {"KEN"}


# -- a head of state named by title and family name --------------------------------------------------------------

def test_a_title_and_a_registered_heads_family_name(pipe: Any) -> None:
    c = _claim(pipe, "Prime Minister Prodi met President Kikwete in Rome on Monday.", "CONSULT")
    assert [(a.id, a.country) for a in c.actors] == [("person/romano-prodi", "ITA")]
    assert [(a.id, a.country) for a in c.recipients] == [("person/jakaya-kikwete", "TZA")]


def test_a_family_name_without_a_title_stays_unresolved(pipe: Any) -> None:
    c = _claim(pipe, "Kikwete met the Kenyan president in Nairobi on Monday.", "CONSULT")
    assert not any(a.id == "person/jakaya-kikwete" for a in c.actors)


def test_a_given_name_after_a_title_is_no_family_name() -> None:
    from khaldun.actors import ActorRegistry

    reg = ActorRegistry.default()
    assert reg.head_by_surname("Kikwete") is not None
    assert reg.head_by_surname("Jakaya") is None  # a given name of registered people too
    assert reg.head_by_surname("Sudan") is None  # a name of its own


def test_rebels_saying_their_president_must_act_ask_him(pipe: Any) -> None:
    c = _claim(pipe, "Tanzanian rebels said that President Kikwete must withdraw the army from the north.",
               "REQUEST")
    assert [a.sector for a in c.actors] == ["REB"]
    assert [a.id for a in c.recipients] == ["person/jakaya-kikwete"]


# -- a group of no country facing one country's authorities -------------------------------------------------------

def test_teachers_demanding_a_ministers_dismissal_are_of_his_country(pipe: Any) -> None:
    c = _claim(pipe, "Striking teachers demanded the dismissal of the Malian education minister.", "REQUEST")
    assert _countries(c.actors) == {"MLI"}
    assert "authorities it faces" in (c.actors[0].why or "")


def test_foreign_ministers_demanding_a_withdrawal_keep_no_country(pipe: Any) -> None:
    c = _claim(pipe, "Visiting defence ministers urged the Malian army to pull its troops back from the border.", "REQUEST")
    assert not _countries(c.actors)


@pytest.mark.parametrize("text, country", [
    ("Ethiopian-led forces shelled rebel positions near the border on Monday.", "ETH"),
    ("Iranian-backed militias shelled rebel positions near the border on Monday.", None),
])
def test_forces_led_by_a_state_are_its_own_not_those_it_backs(pipe: Any, text: str, country: str | None) -> None:
    c = _claim(pipe, text, "ASSAULT")
    assert _countries(c.actors) == ({country} if country else set())


def test_a_counterpart_of_a_demonym_is_that_states(pipe: Any) -> None:
    c = _claim(pipe, "The head of the Kenyan army met his Tanzanian counterpart in Arusha.", "CONSULT")
    assert _countries(c.actors) == {"KEN"}
    assert _countries(c.recipients) == {"TZA"}


@pytest.mark.parametrize("text, country", [
    ("Croatian Serbs shelled the town on Monday.", "HRV"),
    ("Kenyan troops shelled the town on Monday.", "KEN"),
])
def test_a_people_living_in_another_state_is_coded_to_it(pipe: Any, text: str, country: str) -> None:
    c = _claim(pipe, text, "ASSAULT")
    assert _countries(c.actors) == {country}


# -- a state's name inside a longer place name ------------------------------------------------------------

@pytest.mark.parametrize("text, etype, target, not_target", [
    ("The police arrested a leader in Benin City on Monday.", "COERCE", "NGA", "BEN"),
    ("Mexican police arrested a smuggler in New Mexico on Monday.", "COERCE", "USA", "MEX"),
])
def test_a_phrase_in_a_region_named_after_another_state_takes_the_region_s_country(
        pipe: Any, text: str, etype: str, target: str, not_target: str) -> None:
    c = _claim(pipe, text, etype)
    assert target in _countries(c.recipients)
    assert not_target not in _countries(c.recipients)


def test_a_state_named_alone_keeps_its_own_country(pipe: Any) -> None:
    c = _claim(pipe, "France warned an armed group in Mali on Monday.", "THREATEN")
    assert _countries(c.recipients) == {"MLI"}


# -- a restraint on a place ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, etype, target", [
    ("The governor imposed a night curfew in Mombasa on Friday.", "SANCTION", "KEN"),
    ("The president threatened to declare a curfew in Nairobi after the riots.", "THREATEN", "KEN"),
    ("The Kenyan government lifted the curfew in Mombasa.", "RETREAT", "KEN"),
])
def test_a_restraint_on_a_place_targets_the_place_s_country(pipe: Any, text: str, etype: str, target: str) -> None:
    c = _claim(pipe, text, etype)
    assert _countries(c.recipients) == {target}
    assert "restrained" in (c.recipients[0].why or "")


def test_a_meeting_in_a_place_gets_no_target_from_the_place(pipe: Any) -> None:
    c = _claim(pipe, "Kenyan ministers held talks in Nairobi on Monday.", "CONSULT")
    assert not c.recipients


# -- the party a promised act is directed to -----------------------------------------------------------------

@pytest.mark.parametrize("text, source, target", [
    ("Peru offered to hand over two suspects to Bolivia.", "PER", "BOL"),
    ("Japan promised to extend new credits to Vietnam.", "JPN", "VNM"),
])
def test_a_promise_takes_the_state_its_act_is_directed_to(pipe: Any, text: str, source: str, target: str) -> None:
    c = _claim(pipe, text, "AGREE")
    assert _countries(c.actors) == {source}
    assert _countries(c.recipients) == {target}


def test_a_promise_to_move_something_to_a_plain_place_has_no_target(pipe: Any) -> None:
    c = _claim(pipe, "Chile agreed to send troops to the border.", "AGREE")
    assert not _countries(c.recipients)
