"""Event types as CAMEO codes wire events (stop 16): a protest made by a state or its government is a
disapproval (CAMEO 110, PLOVER ACCUSE), a crowd's protest a demonstration (CAMEO 14, PLOVER PROTEST). Sentences
written for these tests."""

from __future__ import annotations

import pytest


def _types(text: str) -> set[tuple[str, str]]:
    from khaldun.pipeline import default_pipeline

    return {(c.event.type, ",".join(a.country or "" for a in c.actors)) for c in default_pipeline().analyze(text).claims}


@pytest.mark.parametrize("text,country", [
    ("Egypt protested to Jordan over the arrest of two fishermen.", "EGY"),
    ("The Jordanian foreign ministry filed a formal protest with Egypt.", "JOR"),
    ("Jordanian officials protested the decision to close the crossing.", "JOR"),
])
def test_a_state_protesting_disapproves(text: str, country: str) -> None:
    got = _types(text)
    assert ("ACCUSE", country) in got
    assert not any(t == "PROTEST" for t, _ in got)


@pytest.mark.parametrize("text", [
    "Thousands of students protested in Amman against the new tax.",
    "Jordanians protested in the streets of Amman on Friday.",  # a bare demonym: the people, not the state
    "Jordanian police protested over unpaid wages.",  # an agent of the state other than its government
])
def test_a_crowd_protesting_demonstrates(text: str) -> None:
    got = _types(text)
    assert any(t == "PROTEST" for t, _ in got)
    assert not any(t == "ACCUSE" for t, _ in got)
