"""Speech-act claims and their participants: denials are negative claims by the denier, accusations name the
accused, battle outcomes name winner and loser, proxies used by a state, agent nouns ("a sponsor of"), support
described by a clause of getting, deployments into a country. Sentences are khaldun's own."""

from __future__ import annotations

import pytest

from khaldun.nlp import _lemma
from khaldun.pipeline import default_pipeline


@pytest.fixture(scope="module")
def pipe():  # type: ignore[no-untyped-def]
    return default_pipeline()


def _ids(actors) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.country or a.text for a in actors}


def _of(doc, etype: str):  # type: ignore[no-untyped-def]
    return [c for c in doc.claims if c.event.type == etype]


def test_a_denial_is_negative(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The Kingdom of Saudi Arabia has repeatedly denied any military involvement in Lebanon.")
    rej = _of(doc, "REJECT")
    assert rej and rej[0].factuality.polarity == "negative", [(c.event.type, c.factuality) for c in doc.claims]
    assert "SAU" in _ids(rej[0].actors)


def test_a_plain_rejection_stays_positive(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Iran rejected the proposal for a ceasefire on Monday.")
    rej = _of(doc, "REJECT")
    assert rej and rej[0].factuality.polarity == "positive"


def test_two_denials_of_different_things_stay_apart(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Qatar denied responsibility for the bombing in March. Analysts doubt it. "
                       "Qatar has also denied military involvement in Syria.")
    assert len(_of(doc, "REJECT")) == 2, [(c.event.type, c.evidence.text) for c in doc.claims]


def test_denying_taking_sides_is_the_deniers_negative_support(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Diplomats say Mohamed Hamdan Dagalo has backed the militia, although he denies taking sides.")
    neg = [c for c in _of(doc, "SUPPORT") if c.factuality.polarity == "negative"]
    assert neg, [(c.event.type, c.factuality.polarity) for c in doc.claims]
    assert any(a.id == "person/mohamed-hamdan-dagalo" for a in neg[0].actors)
    assert neg[0].attribution.speaker is not None and "Dagalo" in neg[0].attribution.speaker.text


def test_a_setback_names_the_loser(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The Nigerian army acknowledged a serious setback in Borno state on Friday.")
    fight = _of(doc, "ASSAULT")
    assert fight and "NGA" in _ids(fight[0].recipients), [(c.event.type, c.recipients) for c in doc.claims]
    assert not fight[0].actors


def test_accusations_that_name_the_accused(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The rebel leader repeated his accusations that Eritreans fought alongside the army.")
    acc = _of(doc, "ACCUSE")
    assert acc and "ERI" in _ids(acc[0].recipients), [(c.event.type, c.recipients) for c in doc.claims]


def test_a_state_using_a_militia_mobilizes_it(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("According to the Pentagon, Iran has used the Houthis to hide its direct role in Yemen.")
    mob = _of(doc, "MOBILIZE")
    assert mob and "IRN" in _ids(mob[0].actors) and "YEM" in _ids(mob[0].recipients)


def test_using_drones_is_no_proxy(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The ministry uses engineers to repair the roads.")
    assert not _of(doc, "MOBILIZE")


def test_support_gotten_from_a_state(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The rebels cannot fight without help -- support they are receiving from Iran.")
    assert any("IRN" in _ids(c.actors) for c in doc.claims if c.event.type in ("SUPPORT", "AID")), \
        [(c.event.type, c.actors) for c in doc.claims]


def test_a_sponsor_of_is_its_supporter(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The foreign minister said on Monday that Iran is a sponsor of terrorism.")
    sup = _of(doc, "SUPPORT")
    assert sup and "IRN" in _ids(sup[0].actors)


def test_an_apposed_backer(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Turkey, the main backer of the Tripoli government, hosted the talks in Ankara.")
    sup = _of(doc, "SUPPORT")
    assert sup and "TUR" in _ids(sup[0].actors) and "LBY" in _ids(sup[0].recipients)


def test_a_deployment_into_a_country_is_located_there(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("U.S. officials said Russia has deployed fighter jets to Libya to back the Wagner Group.",
                       published="2020-05-27")
    mob = _of(doc, "MOBILIZE")
    assert mob and mob[0].location is not None and mob[0].location.country == "LBY"
    assert any("1970" in f.instrument and f.status == "potential_violation" for f in mob[0].embargo), \
        [(f.instrument, f.status) for f in mob[0].embargo]


def test_likely_to_lends_its_subject(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Iranian drones are likely to attack the tankers, according to the US Navy.")
    assert any("IRN" in _ids(c.actors) for c in _of(doc, "ASSAULT")), [(c.event.type, c.actors) for c in doc.claims]


def test_a_call_on_misparsed_as_a_modifier(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The parliament-backed government called Sunday on the Arab League to act against Turkey.")
    assert _of(doc, "REQUEST"), [(c.event.type, c.event.trigger) for c in doc.claims]


def test_a_named_group_is_no_call(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("A group called the Free Officers attacked a checkpoint in Darfur.")
    assert not _of(doc, "REQUEST")


@pytest.mark.parametrize("form,base", [("reiterated", "reiterate"), ("participated", "participate"),
                                       ("shuttling", "shuttle"), ("combated", "combat"), ("taking", "take"),
                                       ("installed", "install")])
def test_silent_e_lemmas(form: str, base: str) -> None:
    assert _lemma(form, "VBD") == base


def test_inspecting_a_ship_is_an_interdiction(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("An EU naval operation inspected a cargo ship bound for Tobruk.")
    co = _of(doc, "COERCE")
    assert co and any("EU" in a.text for a in co[0].actors), [(c.event.type, c.actors) for c in doc.claims]


def test_inspecting_a_site_stays_an_investigation(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("IAEA experts inspected the nuclear plant near Isfahan.")
    assert not _of(doc, "COERCE")


def test_the_news_network_is_the_outlet_that_spoke(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("A drone killed 12 soldiers near Sirte in March, a CNN investigation has revealed. CNN says "
                       "Egypt has denied responsibility.\n\nThe news network also found new evidence that Egypt is "
                       "allowing Russia to use its air bases.")
    later = [c for c in doc.claims if "air bases" in c.evidence.text]
    assert later and later[0].attribution.speaker is not None and later[0].attribution.speaker.text == "CNN"


def test_where_a_launch_hits_before_where_it_came_from(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Militants fired three rockets from Tunisia at the port of Zuwara on Monday.")
    fire = _of(doc, "ASSAULT")
    assert fire and fire[0].location is not None and "Zuwara" in (fire[0].location.name or fire[0].location.text), \
        [(c.event.type, c.location) for c in doc.claims]


def test_dismissing_accusations_is_a_denial(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Egypt dismissed the accusations as baseless.")
    rej = _of(doc, "REJECT")
    assert rej and rej[0].factuality.polarity == "negative"


def test_losses_need_an_armed_side(pipe) -> None:  # type: ignore[no-untyped-def]
    war = pipe.analyze("Chadian rebels inflicted heavy losses on government troops near Abeche.")
    assert any("TCD" in _ids(c.actors) for c in _of(war, "ASSAULT")), [(c.event.type, c.actors) for c in war.claims]
    firm = pipe.analyze("The retailer reported heavy losses in its third quarter.")
    assert not _of(firm, "ASSAULT")
