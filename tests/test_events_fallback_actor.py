"""The nearest-actor fallback of `Pipeline.code_at` passes over a name the parse gives another part: the phrase a
relative clause's antecedent hangs in, the subject that controls an adjunct gerund governing a nominal trigger,
and a name inside a coordinated clause that does not hold the trigger. Sentences are khaldun's own."""

from __future__ import annotations

import pytest

from khaldun.pipeline import default_pipeline


@pytest.fixture(scope="module")
def pipe():  # type: ignore[no-untyped-def]
    return default_pipeline()


def _claim(pipe, text: str, word: str, event_type: str | None):  # type: ignore[no-untyped-def]
    start = text.index(word)
    _, (claim,) = pipe.code_at(text, [(start, start + len(word), event_type)])
    assert claim is not None
    return claim


def test_relative_clause_on_an_apposition_is_not_the_persons(pipe) -> None:  # type: ignore[no-untyped-def]
    text = ("Karim Nassar, a retired colonel and leading figure of the militia that captured the airport during "
            "the war, was arrested on Friday.")
    claim = _claim(pipe, text, "captured", None)
    assert all("Nassar" not in a.text for a in claim.actors)


def test_adjunct_gerund_subject_is_not_the_nominals_actor(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Besides arranging the sales, Maria Lopez ran a shipping company in Chile for ten years."
    claim = _claim(pipe, text, "sales", "AID")
    assert all("Lopez" not in a.text for a in claim.actors)


def test_name_in_another_coordinated_clause_is_not_the_actor(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "We obtained financing for the clinic but Ahmed Karimi's charity lost its licence and closed."
    claim = _claim(pipe, text, "financing", "AID")
    assert all("Karimi" not in a.text for a in claim.actors)


def test_fallback_still_takes_a_name_of_the_governing_clause(pipe) -> None:  # type: ignore[no-untyped-def]
    # the name's clause is the one the trigger's clause is coordinated to, so it governs it: not barred
    text = "Sudan sent a convoy, and the transfer of the rifles took a week."
    claim = _claim(pipe, text, "transfer", None)
    assert any("Sudan" in a.text for a in claim.actors)
    assert "nearest named actor" in claim.why["actors"]
