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
