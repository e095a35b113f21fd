"""The stages' speed shortcuts must not change what they build: models built without validation (`trusted`),
subtrees read from the token table, and frame matches remembered per Doc, each checked against the plain way
on sentences written for these tests (fictional places and groups)."""

from __future__ import annotations

from typing import Any

import pytest

from khaldun.frames import FrameEngine
from khaldun.models import Actor, Attribution, Claim, Event, Evidence, Factuality, Place, Via
from khaldun.token_table import children_of, subtree_indices
from khaldun.trusted import trusted

SENTENCES = [
    "The Varnish army sent forty armoured trucks and two helicopters to the rebels in Ostrel on Monday.",
    "Rockets supplied by Karvonia, which denied it, were fired at the port late on Tuesday, officials said.",
    "A ship the militia had bought last year unloaded vehicles in Dorport, where fighters were waiting.",
]


def _claim_fields() -> dict[str, Any]:
    actor = Actor(text="the Varnish army", id="VRN", kind="state", country="VRN", sector="MIL", start=4, end=20)
    return dict(id="", event=Event(type="AID", trigger="sent", trigger_start=21, trigger_end=25),
                actors=[actor], recipients=[], materiel=[], location=Place(text="Ostrel", lat=2.5, lon=3.0),
                factuality=Factuality(cues=["said"]),
                attribution=Attribution(quote="indirect", via=[Via(name="Radio Ostrel", kind="broadcast")]),
                evidence=Evidence(text="The Varnish army sent trucks.", start=0, end=29, sentence=0),
                why={"actors": "subject"})


def test_trusted_builds_the_validated_model() -> None:
    fields = _claim_fields()
    built, validated = trusted(Claim, **fields), Claim(**fields)
    assert built == validated
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_fields_set == validated.model_fields_set
    # defaults filled as validation fills them: a fresh list per instance, the default When
    assert built.embargo == [] and built.embargo is not trusted(Claim, **fields).embargo
    assert built.when.model_dump() == validated.when.model_dump()


def test_trusted_keeps_the_models_field_order() -> None:
    fields = _claim_fields()
    for cls, values in ((Claim, fields), (Actor, dict(country="VRN", text="the army")), (Via, dict(kind="outlet",
                                                                                               name="Radio Ostrel"))):
        built, validated = trusted(cls, **values), cls(**values)  # type: ignore[operator]
        assert list(built.__dict__) == list(validated.__dict__) == list(cls.model_fields)  # type: ignore[attr-defined]


def test_trusted_refuses_unknown_and_missing_fields() -> None:
    with pytest.raises(TypeError, match="unknown field"):
        trusted(Actor, text="x", nickname="y")
    with pytest.raises(TypeError, match="required"):
        trusted(Actor, id="VRN")


def test_subtree_indices_are_spacys_subtree(nlp: Any) -> None:
    for text in SENTENCES:
        doc = nlp(text)
        for tok in doc:
            assert subtree_indices(doc, tok.i) == [t.i for t in tok.subtree]
            assert children_of(doc)[tok.i] == [c.i for c in tok.children]


def test_remembered_matches_are_the_fresh_matches(nlp: Any) -> None:
    engine, fresh = FrameEngine(), FrameEngine()
    for text in SENTENCES:
        doc = nlp(text)
        verbs = engine.match_span(doc, lambda t: t.pos_ == "VERB")  # remembered ...
        every = engine.match_span(doc)  # ... and read again here
        got = [(m.trigger.i, m.pattern.source, m.why) for m in every]
        want = [(m.trigger.i, m.pattern.source, m.why) for m in (fresh.match(t) for t in doc) if m is not None]
        assert got and got == want
        assert {m.trigger.i for m in verbs} <= {m.trigger.i for m in every}
        assert all(any(v is m for m in every) for v in verbs)  # the same matches, not computed twice


def test_numpy_matmul_only_on_one_openblas_thread() -> None:
    from khaldun.nlp import _openblas_threads, load_model

    blis = {getattr(node.ops, "use_blis", None) for _name, proc in load_model().pipeline
            if hasattr(getattr(proc, "model", None), "walk") for node in proc.model.walk()}
    # NumPy's product only when its OpenBLAS runs on one thread (on several it doubles the parse's CPU time)
    assert blis == ({False} if _openblas_threads() == 1 else {True})


PHRASE_SENTENCES = [
    "On 4 May 2031, armed herders from the valley, who had lost their cattle, attacked the mill and the depot.",
    "The governor of Ostrel, a former colonel, and his deputy met envoys that the council had sent.",
    "In Dorport, dockers loading a ship bound for Karvonia found crates, a discovery the port denied.",
]


def _phrase_by_tokens(tok: Any) -> list[int]:
    """The phrase of `tok` read through spaCy's Tokens, as attribution.phrase_tokens read it before the token
    table (kept here as the reference)."""
    from khaldun.attribution import SENTENCE_ADVERBIAL

    keep = []
    cut: set[int] = set()
    for c in tok.lefts:
        if c.dep_ in SENTENCE_ADVERBIAL and c.right_edge.i + 1 < tok.i and tok.doc[c.right_edge.i + 1].text == ",":
            cut.update(range(c.left_edge.i, c.right_edge.i + 2))
    for t in tok.subtree:
        if t.dep_ in ("relcl",) or (t.dep_ == "acl" and t.head.i == tok.i):
            cut.update(x.i for x in t.subtree)
    doc = tok.doc
    stop = min((c.left_edge.i for c in tok.children if c.i > tok.i and (c.dep_ in ("cc", "conj") or (
        c.dep_ == "appos" and c.left_edge.i > 0 and doc[c.left_edge.i - 1].is_punct))), default=None)
    for t in tok.subtree:
        if stop is not None and t.i >= stop:
            break
        if t.i not in cut:
            keep.append(t)
    while keep and keep[-1].is_punct:
        keep.pop()
    return [t.i for t in keep]


def test_phrases_read_from_the_token_table_are_the_phrases_read_from_tokens(nlp: Any) -> None:
    from khaldun.attribution import _phrase_tokens

    cut_somewhere = False
    for text in PHRASE_SENTENCES:
        doc = nlp(text)
        for tok in doc:
            got = [t.i for t in _phrase_tokens(tok)]
            assert got == _phrase_by_tokens(tok), (text, tok.text)
            cut_somewhere |= len(got) < len(list(tok.subtree))
    assert cut_somewhere  # the sentences hold relative clauses, appositions or coordinations that end a phrase
