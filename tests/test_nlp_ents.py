"""The entity finder that can stand in for spaCy's NER (KHALDUN_NO_NER=1): labels from the registry,
the gazetteer, date words and proper-noun runs."""

from __future__ import annotations

import pytest

from khaldun.nlp_ents import EntityFinder, no_ner_requested
from khaldun.pipeline import default_pipeline


def test_entities_from_registry_places_dates_and_proper_nouns() -> None:
    pipe = default_pipeline()
    finder = EntityFinder(pipe.registry, pipe.gazetteer)
    doc = finder(pipe.nlp("Turkish officials met Anna Kowalczyk of the Velmar Trust in Ankara on Monday, "
                          "March 3, 2021, and Qatar sent aid."))
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Turkish", "NORP") in ents and ("Qatar", "GPE") in ents and ("Ankara", "GPE") in ents
    assert ("Anna Kowalczyk", "PERSON") in ents
    assert ("Monday", "DATE") in ents and ("March 3, 2021", "DATE") in ents
    assert any(label == "ORG" and "Velmar" in text for text, label in ents)


def test_the_finder_is_asked_by_either_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KHALDUN_NER", raising=False)
    monkeypatch.setenv("KHALDUN_NO_NER", "1")
    assert no_ner_requested()
    monkeypatch.setenv("KHALDUN_NER", "spacy")
    assert not no_ner_requested()


def test_mention_stage_reuses_the_finders_registry_and_gazetteer_matches() -> None:
    """Without spaCy's NER the finder has already matched the registry and the gazetteer on the paragraph:
    the mention table reads those answers (each automaton runs once per paragraph, not twice) and is the
    same table as one built from scratch."""
    from khaldun.mentions import build
    from khaldun.nlp_ents import FOUND_KEY

    pipe = default_pipeline()
    calls: list[str] = []

    class Counting:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def find(self, text: str, *args: object, **kw: object) -> object:
            calls.append(type(self.inner).__name__)
            return self.inner.find(text, *args, **kw)  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

    reg, gaz = Counting(pipe.registry), Counting(pipe.gazetteer)
    text = "Turkish officials said drones struck a convoy near Sirte on Monday, and Qatar sent aid to Misrata."
    doc = EntityFinder(reg, gaz)(pipe.nlp(text))
    assert doc.user_data[FOUND_KEY][2] == text and len(calls) == 2
    reused = build(doc, 0, None, reg, gaz)
    assert len(calls) == 2  # nothing matched again
    del doc.user_data[FOUND_KEY]
    fresh = build(doc, 0, None, reg, gaz)
    assert len(calls) == 4
    assert [(m.kind, m.start, m.end, m.text) for m in reused.all] == [(m.kind, m.start, m.end, m.text) for m in fresh.all]
    assert {m.kind for m in reused.all} >= {"actor", "place"}
    doc.user_data[FOUND_KEY] = (reg, gaz, text, [], [])  # answers that name nothing ...
    assert "place" not in {m.kind for m in build(doc, 0, None, reg, gaz).all}
    other = build(doc, 0, None, pipe.registry, pipe.gazetteer)  # ... are another registry's: not read
    assert [(m.kind, m.start, m.end) for m in other.all] == [(m.kind, m.start, m.end) for m in fresh.all]


# -- the finder's typing of proper-noun runs, dates and times (sentences written for these tests) --------------

@pytest.fixture(scope="module")
def finder_nlp(monkeypatch_module: pytest.MonkeyPatch) -> tuple[object, EntityFinder]:
    from khaldun.nlp_ents import model_for

    pipe = default_pipeline()
    monkeypatch_module.setenv("KHALDUN_NER", "finder")  # whatever entity source the run names
    nlp = model_for(pipe.registry, pipe.gazetteer)
    return nlp, dict(nlp.pipeline)[EntityFinder.name]


@pytest.fixture(scope="module")
def monkeypatch_module() -> object:
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _ents(finder_nlp: tuple[object, EntityFinder], text: str) -> set[tuple[str, str]]:
    nlp = finder_nlp[0]
    return {(e.text, e.label_) for e in nlp(text).ents}  # type: ignore[operator]


def test_model_without_ner_runs_the_finder(finder_nlp: tuple[object, EntityFinder]) -> None:
    nlp, _ = finder_nlp
    assert "ner" not in nlp.pipe_names  # type: ignore[attr-defined]
    assert any(name == EntityFinder.name for name, _ in nlp.pipeline)  # type: ignore[attr-defined]


def test_title_is_cut_off_and_makes_a_person(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Lieutenant General Okwuosa Brannick inspected the trenches on the hill.")
    assert ("Okwuosa Brannick", "PERSON") in ents
    assert not any("Lieutenant" in text for text, _ in ents)


def test_a_body_named_before_a_title_stays_a_body(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "The Kestrel Air Force Colonel Reyland Vents toured the base.")
    assert ("Kestrel Air Force", "ORG") in ents and ("Reyland Vents", "PERSON") in ents


def test_office_words_before_a_title_belong_to_it(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "He met Foreign Minister Reyland Vents in the capital.")
    assert ("Reyland Vents", "PERSON") in ents
    assert not any(text.startswith("Foreign") for text, _ in ents)


def test_head_noun_of_a_body_wins_over_a_first_name(finder_nlp: tuple[object, EntityFinder]) -> None:
    """"Dario" is a first name, but a run ending in "Agency" names a body."""
    ents = _ents(finder_nlp, "Investigators from Dario Relief Agency counted the tents.")
    assert ("Dario Relief Agency", "ORG") in ents


def test_ministry_of_is_one_name(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Engineers from the Ministry of Irrigation repaired the canal.")
    assert ("Ministry of Irrigation", "ORG") in ents


def test_hyphened_arabic_name_is_one_person(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Yusuf al-Darrani inspected the warehouse.")
    assert ("Yusuf al-Darrani", "PERSON") in ents
    assert ("al", "ORG") not in ents


def test_apposition_with_a_person_noun_makes_a_person(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Brannock Tull, a spokesman for the militia, visited the camp.")
    assert ("Brannock Tull", "PERSON") in ents
    ents = _ents(finder_nlp, "Brannock Tull visited the camp.")
    assert ("Brannock Tull", "PERSON") not in ents  # nothing says it is a person: an unknown name is ORG


def test_subject_of_a_reporting_verb_is_a_person(finder_nlp: tuple[object, EntityFinder]) -> None:
    assert ("Vantabo", "PERSON") in _ents(finder_nlp, "Vantabo said the road was closed.")
    assert ("Vantabo", "PERSON") not in _ents(finder_nlp, "Vantabo lies beyond the ridge.")


def test_unknown_name_after_a_locative_preposition_is_a_place(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "The convoy reached the outskirts of Dumayra after passing through Harzat.")
    assert ("Dumayra", "GPE") in ents and ("Harzat", "GPE") in ents


def test_events_laws_languages_and_regions(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "After the Marsh War the council passed Resolution 4410, printed in Arabic, "
                             "and sent observers to Europe.")
    assert ("Marsh War", "EVENT") in ents and ("Resolution", "LAW") in ents
    assert ("Arabic", "LANGUAGE") in ents and ("Europe", "LOC") in ents


def test_capitalized_common_noun_alone_is_no_name(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Rebels shelled the market.")
    assert not any(text == "Rebels" for text, _ in ents)


def test_registry_match_leaves_out_the_article(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Aid workers asked the UN for more trucks.")
    assert ("UN", "ORG") in ents and ("the UN", "ORG") not in ents


def test_stretches_of_time_and_clock_times(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Talks resumed earlier this year and collapsed two weeks ago at 9:30 pm.")
    assert ("earlier this year", "DATE") in ents and ("two weeks ago", "DATE") in ents
    assert ("9:30 pm", "TIME") in ents
    ents = _ents(finder_nlp, "Drought had lasted for years and dried the wells while days passed.")
    assert not any(label in ("DATE", "TIME") for _, label in ents)  # a bare "day" or "years" is no date


def test_a_document_carries_a_persons_name_to_its_lone_uses(finder_nlp: tuple[object, EntityFinder]) -> None:
    from khaldun.nlp_ents import document_ents

    nlp = finder_nlp[0]
    first, second = nlp("Colonel Idris Vantabo commands the northern sector."), nlp("Vantabo inspected the trucks.")  # type: ignore[operator]
    assert ("Vantabo", "ORG") in {(e.text, e.label_) for e in second.ents}  # alone, nothing says a person
    document_ents(nlp, [first, second])
    assert ("Vantabo", "PERSON") in {(e.text, e.label_) for e in second.ents}
    alone = nlp("Vantabo inspected the trucks.")  # type: ignore[operator]
    document_ents(nlp, [alone])
    assert ("Vantabo", "ORG") in {(e.text, e.label_) for e in alone.ents}


def test_document_ents_does_nothing_with_spacys_ner(nlp: object) -> None:
    from khaldun.nlp_ents import document_ents

    doc = nlp("Colonel Idris Vantabo commands the sector. Vantabo denied it.")  # type: ignore[operator]
    before = [(e.start, e.end, e.label_) for e in doc.ents]
    document_ents(nlp, [doc])
    assert [(e.start, e.end, e.label_) for e in doc.ents] == before


def test_a_place_or_state_inside_a_persons_name(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Hana Jordan flew to Jordan, and Hilary B. Paris met Douglas Brannick.")
    assert ("Hana Jordan", "PERSON") in ents and ("Jordan", "GPE") in ents
    assert ("Hilary B. Paris", "PERSON") in ents and ("Douglas Brannick", "PERSON") in ents


def test_middle_initial_makes_a_person_even_before_a_body_noun(finder_nlp: tuple[object, EntityFinder]) -> None:
    assert ("Quillon R. Tribe", "PERSON") in _ents(finder_nlp, "Quillon R. Tribe wrote the letter.")


def test_lower_case_text_keeps_its_names(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "gunmen killed maria elena vargas, a judge, near the river on monday.")
    assert ("maria elena vargas", "PERSON") in ents
    ents = _ents(finder_nlp, "The reservoir holds 150,000 m3 of water.")
    assert not any(label in ("PERSON", "ORG") for _, label in ents)  # a unit tagged PROPN is no name


def test_speaker_is_the_subjects_own_name_not_one_in_its_apposition(monkeypatch: pytest.MonkeyPatch) -> None:
    from khaldun.pipeline import Pipeline

    text = "\"The bridge is closed,\" said Hilary Bexton, a teacher at Marlow College in Scott's village."
    for mode in ("spacy", "finder"):
        monkeypatch.setenv("KHALDUN_NER", mode)
        doc = Pipeline().analyze(text, language="en")
        assert [q.speaker.text for q in doc.quotes if q.speaker] == ["Hilary Bexton"], mode


def test_a_place_before_an_outlet_word_names_the_outlet(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "The Tripoli Times reported that Tripoli was calm.")
    assert ("Tripoli Times", "ORG") in ents and ("Tripoli", "GPE") in ents


def test_a_lone_name_coordinated_with_a_person_is_a_person(finder_nlp: tuple[object, EntityFinder]) -> None:
    assert ("Vantabo", "PERSON") in _ents(finder_nlp, "The envoy never met Vantabo or Hilary Bexton.")
    assert ("Vantabo", "ORG") in _ents(finder_nlp, "The envoy never met Vantabo.")


def test_apposition_hung_on_the_object_of_a_persons_noun(finder_nlp: tuple[object, EntityFinder]) -> None:
    """The parser often hangs "X Y" on "the centre" in "the director of the centre, X Y,": still a person."""
    ents = _ents(finder_nlp, "The director of the Marlow Centre, Quillon Brannick, visited the camp.")
    assert ("Quillon Brannick", "PERSON") in ents


def test_ner_source_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """KHALDUN_NER names the entity source; the older KHALDUN_NO_NER still works when it is unset."""
    from khaldun.nlp_ents import DEFAULT_NER, ner_source

    monkeypatch.delenv("KHALDUN_NER", raising=False)
    monkeypatch.delenv("KHALDUN_NO_NER", raising=False)
    assert ner_source() == DEFAULT_NER and no_ner_requested() == (DEFAULT_NER == "finder")
    monkeypatch.setenv("KHALDUN_NO_NER", "1")
    assert ner_source() == "finder"
    monkeypatch.setenv("KHALDUN_NO_NER", "0")
    assert ner_source() == "spacy" and not no_ner_requested()
    monkeypatch.setenv("KHALDUN_NER", "finder")  # the new variable wins
    assert ner_source() == "finder"
    monkeypatch.setenv("KHALDUN_NER", " SpaCy ")
    assert ner_source() == "spacy"
    monkeypatch.setenv("KHALDUN_NER", "bert")
    with pytest.raises(ValueError, match="KHALDUN_NER: 'bert'"):
        ner_source()


def test_model_for_follows_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    from khaldun.nlp_ents import model_for

    pipe = default_pipeline()
    monkeypatch.setenv("KHALDUN_NER", "spacy")
    assert "ner" in model_for(pipe.registry, pipe.gazetteer).pipe_names
    monkeypatch.setenv("KHALDUN_NER", "finder")
    nlp = model_for(pipe.registry, pipe.gazetteer)
    assert "ner" not in nlp.pipe_names and EntityFinder.name in dict(nlp.pipeline)


def test_words_naming_a_people_or_a_faith_are_norp(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Sunni clerics and European diplomats met the Kurds in the hall. Her aunt speaks Kurdish.")
    assert {("Sunni", "NORP"), ("European", "NORP"), ("Kurds", "NORP")} <= ents
    assert ("Kurdish", "NORP") not in ents  # the language
    ents = _ents(finder_nlp, "The European Bar Council wrote to the minister.")
    assert not any(text == "European" for text, _ in ents)  # a word of a longer name


def test_a_business_title_splits_company_and_person(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Kestrel CEO Maria Lund said the plant would close.")
    assert ("Maria Lund", "PERSON") in ents and ("Kestrel", "ORG") in ents


def test_a_name_ending_in_a_company_word_is_an_org(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Norland Airlines said it would buy six planes.")
    assert ("Norland Airlines", "ORG") in ents
    ents = _ents(finder_nlp, "Misrata Airlines cancelled its flights to Misrata.")
    assert ("Misrata Airlines", "ORG") in ents and ("Misrata", "GPE") in ents


def test_a_given_name_modifying_a_determined_noun_is_no_person(finder_nlp: tuple[object, EntityFinder]) -> None:
    """ "the Hilda bombing" names an event after a place or a venue; "Hilda said" is a person."""
    ents = _ents(finder_nlp, "Nobody was ever tried for the Hilda bombing.")
    assert not any(label == "PERSON" and "Hilda" in text for text, label in ents)
    assert ("Hilda Brannick", "PERSON") in _ents(finder_nlp, "Hilda Brannick was tried for the bombing.")


def _document_ents(finder_nlp: tuple[object, EntityFinder], *paragraphs: str) -> list[set[tuple[str, str]]]:
    """Each paragraph's (text, label) entities once the finder has read the paragraphs as one document."""
    from khaldun.nlp_ents import document_ents

    nlp = finder_nlp[0]
    docs = [nlp(t) for t in paragraphs]  # type: ignore[operator]
    document_ents(nlp, docs)
    return [{(e.text, e.label_) for e in d.ents} for d in docs]


def test_a_plan_named_after_a_person_of_the_document(finder_nlp: tuple[object, EntityFinder]) -> None:
    plan = "Okafor Plan for Roads Is Costly"
    assert ("Okafor", "PERSON") in _document_ents(finder_nlp, plan, "Ada Okafor has come up with a new plan.")[0]
    assert ("Okafor", "PERSON") not in _document_ents(finder_nlp, plan)[0]


def test_a_name_modifying_a_thing_is_no_person_but_one_modifying_a_body_is(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Police lined the route of Hilda Torch procession.")
    assert not any(label == "PERSON" and "Hilda" in text for text, label in ents)
    assert ("Hilda", "PERSON") in _ents(finder_nlp, "The Hilda administration cut the budget.")


def test_a_registered_persons_name_is_not_stretched_over_an_acronym(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "Reporters asked NYC Erdogan supporters.")
    assert ("Erdogan", "PERSON") in ents and not any(text.startswith("NYC ") for text, _ in ents)


def test_camel_case_brand_is_no_person_by_the_reporting_verb(finder_nlp: tuple[object, EntityFinder]) -> None:
    assert ("NewsHub", "PERSON") not in _ents(finder_nlp, "NewsHub said it had acquired a copy of the files.")
    assert ("Fennick", "PERSON") in _ents(finder_nlp, "Fennick said it had acquired a copy of the files.")


def test_the_plural_of_a_persons_name_is_the_family(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _document_ents(finder_nlp, "The Brannicks, with the help of a trust, built a school.", "Hilda Brannick opened it.")
    assert ("Brannicks", "PERSON") in ents[0]


def test_a_bodys_name_opened_by_capitalized_common_nouns(finder_nlp: tuple[object, EntityFinder]) -> None:
    ents = _ents(finder_nlp, "The Arms Monitoring Collective found that the depot had been emptied.")
    assert ("Arms Monitoring Collective", "ORG") in ents


def test_the_process_wide_pipeline_follows_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    from khaldun import pipeline

    monkeypatch.setattr(pipeline, "_DEFAULT", pipeline._DEFAULT)  # restored after the test
    monkeypatch.setattr(pipeline, "_DEFAULT_NER", pipeline._DEFAULT_NER)
    monkeypatch.setenv("KHALDUN_NER", "spacy")
    assert "ner" in pipeline.default_pipeline().nlp.pipe_names
    monkeypatch.setenv("KHALDUN_NER", "finder")
    pipe = pipeline.default_pipeline()
    assert "ner" not in pipe.nlp.pipe_names and pipeline.default_pipeline() is pipe
