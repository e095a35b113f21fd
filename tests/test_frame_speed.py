"""The frame engine's shortcuts (pattern gates, shared memo, token table) must not change what it matches: each
is checked against the plain reading, on sentences written for these tests (fictional places and groups)."""

from __future__ import annotations

from typing import Any

import pytest

from khaldun.frames import FrameEngine
from khaldun.frames.engine import _Memo
from khaldun.nlp import _lemma, lemma
from khaldun.token_table import span_bounds, token_table

SENTENCES = [
    "The Varnish army sent forty armoured trucks and two helicopters to the rebels in Ostrel on Monday.",
    "Rockets supplied by Karvonia were fired at the port, and hundreds of fighters crossed the border.",
    "The council agreed to ship fuel to the northern towns, officials said, before the militia seized it.",
    "Ministers of Dorland took delivery of a number of drones that the company had built for the navy.",
    "The guards opened fire on protesters, killing three, and the government imposed a curfew on the city.",
    "Police arrested the leader of the group and set up checkpoints around the capital after the attack.",
]


def _plain_match(engine: FrameEngine, tok: Any) -> Any:
    """The first pattern of the trigger's list that its clause meets, every pattern tried, nothing shared."""
    a = engine.arguments(tok)
    for p in engine.candidates(tok):
        if engine._satisfies(tok, p, a, _Memo()):
            return p
    return None


def test_gated_match_is_the_plain_match(nlp: Any, engine: FrameEngine) -> None:
    tried = 0
    for text in SENTENCES:
        for tok in nlp(text):
            if not engine.candidates(tok):
                continue
            tried += 1
            plain = _plain_match(engine, tok)
            m = engine.match(tok)
            if plain is None or plain.type is None:
                assert m is None, (text, tok.text)
            else:
                assert m is not None and m.pattern is plain, (text, tok.text)
    assert tried >= 10  # the sentences do reach the patterns


def test_match_span_keep_only_filters(nlp: Any, engine: FrameEngine) -> None:
    doc = nlp(SENTENCES[0] + " " + SENTENCES[4])
    every = engine.match_span(doc)
    verbs = engine.match_span(doc, lambda t: t.pos_ == "VERB")
    assert every and [m.trigger.i for m in verbs] == [m.trigger.i for m in every if m.trigger.pos_ == "VERB"]
    assert [m.trigger.i for m in engine.match_span(doc, lambda t: False)] == []


def test_token_table_is_the_tokens(nlp: Any) -> None:
    doc = nlp(" ".join(SENTENCES) + "\n\n  Ölkä  \u00a0 said:")
    tab = token_table(doc)
    assert tab.lower == [t.lower_ for t in doc]
    assert tab.pos == [t.pos_ for t in doc]
    assert tab.tag == [t.tag_ for t in doc]
    assert tab.dep == [t.dep_ for t in doc]
    assert tab.lemma == [lemma(t) for t in doc]
    assert tab.text == [t.text for t in doc] and tab.space == [t.is_space for t in doc]
    assert tab.head == [t.head.i for t in doc]  # heads before and after their tokens, roots their own
    assert any(h < i for i, h in enumerate(tab.head)) and any(h > i for i, h in enumerate(tab.head))
    assert token_table(doc) is tab  # built once per Doc
    # once the table is built, lemma() reads it: the same base forms as from the token's own strings
    assert [lemma(t) for t in doc] == [_lemma(t.lower_, t.tag_) for t in doc]
    empty = nlp("")
    assert token_table(empty) == ([], [], [], [], [], [], [], [])
    sent = list(doc.sents)[1]
    assert span_bounds(sent) == (doc, sent.start, sent.end)
    assert span_bounds(doc) == (doc, 0, len(doc))


def test_mentions_within_a_span_are_those_of_its_tokens(nlp: Any) -> None:
    from khaldun.mentions import build
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    doc = nlp("Karvonia sent two helicopters to Benghazi and Tripoli. In Cairo, the army of Egypt shelled Misrata "
              "with rockets on Monday.")
    pm = build(doc, 0, None, pipe.registry, pipe.gazetteer)
    for sent in doc.sents:
        for kind in ("actor", "place", "materiel", "date"):
            assert pm.within(sent, kind) == pm.within(list(sent), kind)
            assert pm.within_range(sent.start, sent.end, kind) == pm.within(iter(sent), kind)
    assert [m.text for m in pm.within(doc[:], "place")][:2] == ["Benghazi", "Tripoli"]


def test_attributors_share_the_cue_word_sets_built_once() -> None:
    from khaldun import lexicon
    from khaldun.attribution import Attributor, SpeakerBook

    a, b = Attributor(SpeakerBook(), None), Attributor(SpeakerBook(), None)
    assert a.lex is b.lex and a.no_fallback is b.no_fallback  # not rebuilt for every document
    assert set(a.reporting) <= a.lex and not a.no_fallback & set(a.reporting)
    assert a.stance_or_copula == a.stance_verbs | a.copulas
    lexicon.cues.cache_clear()  # a reloaded lexicon gives new sets (equal ones: the same files)
    try:
        c = Attributor(SpeakerBook(), None)
        assert c.lex is not a.lex and c.lex == a.lex
    finally:
        lexicon.cues.cache_clear()


def test_noun_chunks_from_the_table_are_spacys(nlp: Any) -> None:
    from khaldun.mentions import noun_chunks

    texts = SENTENCES + [
        "Doctors, nurses and teachers from the northern villages and the coastal towns met the governor and his aides.",
        "The old fort, a ruin since the war, and the harbour it guards were shelled by gunboats and by artillery.",
        "She told them that we would give her brother's company the contract and the trucks they asked for.",
        "What the minister, who resigned on Friday, said about it surprised nobody in Ostrel or in Karvonia.",
    ]
    seen = 0
    for doc in nlp.pipe(texts):
        assert doc.noun_chunks_iterator.__module__ == "spacy.lang.en.syntax_iterators"  # the table's reading is used
        ours = [(c.start, c.end, c.root.i) for c in noun_chunks(doc)]
        theirs = [(c.start, c.end, c.root.i) for c in doc.noun_chunks]
        assert ours == theirs
        seen += len(ours)
    assert seen > 40


@pytest.mark.parametrize("text", [
    "Plain ASCII text about Ostrel.",
    "The “convoy” reached Zürich — and São Tomé’s port.",
    "Ölkä, Čačak and Ålesund",
    "مدينة طرابلس",  # Arabic letters fold one to one
    "طَرَابُلُس and the ﬁrst town",  # diacritics fold to nothing, a ligature to two letters
    "",
])
def test_fold_text_maps_every_folded_character_back(text: str) -> None:
    from khaldun.places import _ASCII_TABLE, _fold_char, fold_text

    folded, src = fold_text(text)
    parts = [(i, _fold_char(c)) for i, c in enumerate(text)]  # the plain reading, one character at a time
    plain = text.lower().translate(_ASCII_TABLE) if text.isascii() else "".join(f for _, f in parts)
    assert folded == plain
    if src is not None:
        assert src == [i for i, f in parts for _ in f]
    else:
        assert text.isascii()


def test_phrase_tokens_are_read_once_and_handed_out_as_new_lists(nlp: Any) -> None:
    from khaldun.attribution import _phrase_tokens, phrase_tokens

    doc = nlp("The governor of the province, who resigned on Friday, and his deputy met the envoys in Ostrel.")
    for tok in doc:
        first = phrase_tokens(tok)
        assert [t.i for t in first] == [t.i for t in _phrase_tokens(tok)]
        first.clear()  # a caller trimming its list (phrase_text pops punctuation) leaves the next caller's whole
        assert [t.i for t in phrase_tokens(tok)] == [t.i for t in _phrase_tokens(tok)]
    gov = next(t for t in doc if t.lower_ == "governor")
    assert [t.text for t in phrase_tokens(gov)][:5] == ["The", "governor", "of", "the", "province"]


@pytest.mark.parametrize(("text", "n"), [("", 1), ("", 0), ("ab 12 cd", 4), ("ab 12 cd", 5), ("1234 ... !", 1),
                                         ("Ölkä ٣ طرابلس", 9), ("Ölkä ٣ طرابلس", 10)])
def test_has_letters_counts_as_the_plain_sum(text: str, n: int) -> None:
    from khaldun.text import _has_letters

    assert _has_letters(text, n) == (sum(1 for ch in text if ch.isalpha()) >= n)
