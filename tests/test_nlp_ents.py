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


def test_no_ner_is_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KHALDUN_NO_NER", raising=False)
    assert not no_ner_requested()
    monkeypatch.setenv("KHALDUN_NO_NER", "1")
    assert no_ner_requested()
