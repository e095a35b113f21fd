"""A first-person pronoun in a quote whose speaker's side the same sentence names takes that name (sentences
written for these tests)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def pipe():  # type: ignore[no-untyped-def]
    from khaldun.pipeline import default_pipeline

    return default_pipeline()


def _actors(doc):  # type: ignore[no-untyped-def]
    return [(a.text, a.id, doc.text[a.start:a.end]) for c in doc.claims for a in c.actors]


def test_we_is_the_side_the_sentence_names(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze('"We have sent two battalions to the border," Kenyan army spokesman Paul Otieno said on Monday.')
    assert ("Kenyan", "KEN", "Kenyan") in _actors(doc)
    # the subject of an adjective of readiness is still the actor, and its name is the side's
    doc = pipe.analyze('"We are ready to impose an arms embargo on the rebels," the Kenyan envoy to the talks, '
                       'John Mwangi, told lawmakers.')
    assert ("Kenyan", "KEN", "Kenyan") in _actors(doc)
    assert not [a for a in _actors(doc) if a[0] == "We"]


def test_we_stays_as_written_when_no_side_is_named(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze('"We will never send troops there," Otieno said.')
    assert [a[0] for a in _actors(doc)] == ["We"]
