"""The chain of transmission through a text an outlet saw ("a report seen by X"), and UN Panels of Experts
resolved by the embargo regime the document is about. Sentences written for these tests."""

from __future__ import annotations

import khaldun
from khaldun.attribution import EXAMINING_VERBS
from khaldun.lexicon import words as lexicon_words
from khaldun.models import Claim, Document
from khaldun.panels import GENERIC_PANEL, document_panel


def analyze(text: str) -> Document:
    return khaldun.analyze(text, published="2023-03-01")


def aid(doc: Document) -> Claim:
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    return c


def chain(c: Claim) -> list[tuple[str, str]]:
    return [(v.name, v.kind) for v in c.attribution.via]


# -- "seen by X" ---------------------------------------------------------------------------------------------
def test_examining_verbs_are_a_lexicon_class() -> None:
    assert EXAMINING_VERBS == lexicon_words("attribution", "examining_verbs")
    assert {"see", "obtain", "review", "view", "consult"} <= EXAMINING_VERBS


def test_according_to_an_unauthored_report_seen_by_an_outlet() -> None:
    c = aid(analyze("The militia received mortar rounds from a foreign supplier in April, according to a "
                    "confidential report seen by Reuters."))
    a = c.attribution
    # no author named: the report is the basis, the outlet and the report the chain, nearest first
    assert a.speaker is None
    assert a.evidence_basis == "a confidential report"
    assert chain(c) == [("Reuters", "outlet"), ("confidential report", "document")]


def test_a_named_author_speaks_through_the_report_the_outlet_saw() -> None:
    c = aid(analyze("Chad delivered pickup trucks to the rebels in May, according to a UN report reviewed by "
                    "Al Jazeera."))
    assert c.attribution.speaker is not None and c.attribution.speaker.id == "igo/un"
    assert chain(c) == [("Al Jazeera", "outlet"), ("UN report", "document")]


def test_passive_subject_text_seen_by_an_outlet() -> None:
    doc = analyze("A letter obtained by The Associated Press says that Egypt shipped rifles to the eastern forces.")
    c = aid(doc)
    # the outlet is never the speaker of a text it obtained, nor is the letter a person
    assert c.attribution.speaker is None
    assert c.attribution.evidence_basis == "A letter"
    assert chain(c) == [("Associated Press", "outlet"), ("letter", "document")]
    (q,) = doc.quotes
    assert q.speaker is None and q.evidence_basis == "A letter"  # the quote and the claim agree


def test_relative_clause_the_outlet_has_seen() -> None:
    c = aid(analyze("The memo, which Reuters has seen, says Chad provided trucks to the fighters."))
    assert c.attribution.speaker is None
    assert chain(c) == [("Reuters", "outlet"), ("memo", "document")]


def test_apposition_naming_the_text_the_outlet_saw() -> None:
    c = aid(analyze("The internal file, a ten-page memo viewed by the BBC, said the company supplied helicopters "
                    "to the army."))
    a = c.attribution
    assert a.speaker is None or a.speaker.kind != "media"
    assert ("BBC", "outlet") in chain(c) and chain(c)[0] == ("BBC", "outlet")


def test_speaker_writing_in_a_report_an_outlet_saw() -> None:
    c = aid(analyze("In a report seen by Reuters, the ministry said Sudan had sold ammunition to the rebels."))
    assert c.attribution.speaker is not None and c.attribution.speaker.text == "ministry"
    assert chain(c) == [("Reuters", "outlet"), ("report", "document")]


def test_the_outlet_that_saw_a_text_is_no_quoted_speaker() -> None:
    doc = analyze("The panel wrote in a report seen by Reuters that the UAE had delivered armored vehicles to the "
                  "militia.")
    assert [q.speaker.text if q.speaker else None for q in doc.quotes] == ["panel"]
    assert [(v.name, v.kind) for v in doc.quotes[0].via] == [("Reuters", "outlet"), ("report", "document")]


def test_consulted_documents() -> None:
    c = aid(analyze("Turkey flew drones to the western forces in March, according to shipping records consulted by "
                    "AFP."))
    assert chain(c)[0][1] == "outlet" and "France" in chain(c)[0][0]
    assert chain(c)[1] == ("shipping records", "document")


def test_a_report_seen_by_a_person_is_no_step() -> None:
    c = aid(analyze("Rwanda sent rifles to the rebels, according to a report seen by the minister."))
    assert all(kind != "outlet" for _, kind in chain(c))


# -- UN Panels of Experts ------------------------------------------------------------------------------------
def panel_of(doc: Document) -> str | None:
    a = aid(doc).attribution.speaker
    assert a is not None
    return a.id


def test_generic_panel_on_a_sudan_page() -> None:
    doc = analyze("UN experts said the UAE sent weapons to the RSF in Darfur. The Sudanese army accused the RSF of "
                  "shelling El Fasher.")
    assert panel_of(doc) == "igo/un-panel-of-experts-sudan"
    # the quote list and the mentions carry the same panel
    assert {q.speaker.id for q in doc.quotes if q.speaker and q.speaker.text == "UN experts"} == {
        "igo/un-panel-of-experts-sudan"}
    assert all(m.id != GENERIC_PANEL for m in doc.mentions)


def test_generic_panel_on_a_libya_page_stays_the_libya_panel() -> None:
    doc = analyze("U.N. sanctions monitors said the UAE delivered armoured vehicles to Haftar's forces in Benghazi.")
    assert panel_of(doc) == "igo/un-panel-of-experts-libya"


def test_explicit_panel_names_resolve_directly() -> None:
    doc = analyze("The Panel of Experts on Yemen found that Iran shipped missiles to the Houthis.")
    assert panel_of(doc) == "igo/un-panel-of-experts-yemen"
    doc = analyze("The Yemen panel said Iran shipped drone engines to the Houthis.")
    assert panel_of(doc) == "igo/un-panel-of-experts-yemen"
    # a generic name after an explicit one is that panel, whatever other country the page names more
    doc = analyze("The Panel of Experts on Sudan visited Libya, Libya and Libya.\n\n"
                  "UN experts said Chad supplied rifles to the fighters.")
    assert panel_of(doc) == "igo/un-panel-of-experts-sudan"


def test_apposition_on_the_panel_and_the_regime_from_places() -> None:
    doc = analyze("The Panel of Experts, a body of the Security Council, reported that militias in Juba received "
                  "rifles from Uganda.")
    assert panel_of(doc) == "igo/un-panel-of-experts-south-sudan"


def test_no_regime_evident_keeps_the_generic_panel() -> None:
    doc = analyze("UN experts said the company sold weapons last year.")
    assert panel_of(doc) == GENERIC_PANEL
    pid, why = document_panel(doc)
    assert pid is None and why


def test_arabic_panel_names() -> None:
    doc = analyze("قال خبراء الأمم المتحدة إن الإمارات أرسلت أسلحة إلى قوات الدعم السريع في دارفور بالسودان.")
    assert panel_of(doc) == "igo/un-panel-of-experts-sudan"
    doc = analyze("قال فريق الخبراء المعني باليمن إن إيران أرسلت صواريخ إلى الحوثيين.")
    assert panel_of(doc) == "igo/un-panel-of-experts-yemen"
    doc = analyze("قال فريق الخبراء إن الإمارات أرسلت مدرعات إلى قوات حفتر في بنغازي.")
    assert panel_of(doc) == "igo/un-panel-of-experts-libya"
