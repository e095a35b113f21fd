"""The event stage's shortcuts (mentions under a token told by their heads, the trigger positions read from the
token table, a frame match tried only for a caller that can keep it) must not change what it reads: each is
checked against the plain reading, on sentences written for these tests (fictional places and groups)."""

from __future__ import annotations

from typing import Any

import pytest

from khaldun.events import EventExtractor, _beside_pattern, _ments_under, _names_object
from khaldun.frames import FrameEngine
from khaldun.token_table import token_table

PARAGRAPH = ("Karvonia sent two helicopters and forty rifles to Benghazi and Tripoli on Monday. In Cairo, the army "
             "of Egypt shelled Misrata with rockets, and the council of Dorland severed relations with Ostrel. The militia "
             "resumed talks with the government in Tripoli, officials said, after Karvonia suspended the shipments "
             "of drones to the port. The Varnish navy seized a ship carrying mortars bound for the rebels.")


@pytest.fixture(scope="module")
def pipe() -> Any:
    from khaldun.pipeline import default_pipeline

    return default_pipeline()


@pytest.fixture(scope="module")
def pm(nlp: Any, pipe: Any) -> Any:
    from khaldun.mentions import build

    return build(nlp(PARAGRAPH), 0, None, pipe.registry, pipe.gazetteer)


def test_mentions_under_a_token_are_those_of_its_subtree(pm: Any) -> None:
    several = 0
    for tok in pm.doc:
        for kind in ("actor", "place", "materiel", "date"):
            plain = pm.within(list(tok.subtree), kind)
            assert _ments_under(pm, tok, kind) == plain, (tok.text, kind)
            several += len(plain) > 1
    assert several  # the order of two or more mentions under one token is checked too


def test_trigger_positions_hold_every_trigger(pm: Any, pipe: Any) -> None:
    ex = EventExtractor(pm, [], pipe.registry, None, 0)
    positions = ex._trigger_positions(token_table(pm.doc))
    found = [t.i for t in pm.doc if ex._match_trigger(t)[0] is not None]
    assert found and set(found) <= set(positions)
    assert positions == sorted(positions) and len(positions) < len(pm.doc)  # most words are skipped


@pytest.mark.parametrize("want", [_names_object, _beside_pattern])
def test_a_wanted_match_is_the_plain_match(nlp: Any, want: Any) -> None:
    doc = nlp(PARAGRAPH)
    plain = FrameEngine().match_span(doc)
    engine = FrameEngine()
    wanted = engine.match_span(doc, None, want)
    # every match of a pattern the caller wants, the same pattern at the same token; the others may be missing
    assert [(m.trigger.i, m.pattern) for m in wanted if want(m.pattern)] == \
        [(m.trigger.i, m.pattern) for m in plain if want(m.pattern)]
    assert {(m.trigger.i, id(m.pattern)) for m in wanted} <= {(m.trigger.i, id(m.pattern)) for m in plain}
    # a later caller without `want` gets every match, the triggers prepared before tried now
    assert [(m.trigger.i, m.pattern) for m in engine.match_span(doc)] == [(m.trigger.i, m.pattern) for m in plain]


def test_wanted_patterns_are_found(nlp: Any) -> None:
    doc = nlp(PARAGRAPH)
    assert any(_names_object(m.pattern) for m in FrameEngine().match_span(doc, None, _names_object))
    # a caller wanting no pattern is handed no match (none tried yet), and tries none for the next caller
    engine = FrameEngine()
    assert engine.match_span(doc, None, lambda p: False) == []
    assert [m.pattern for m in engine.match_span(doc)] == [m.pattern for m in FrameEngine().match_span(doc)] != []
