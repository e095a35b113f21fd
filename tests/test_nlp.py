"""The NLP stage: the table-driven attribute ruler must give exactly what spaCy's own ruler gives."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest

from khaldun.nlp import load_model, paragraphs
from khaldun.nlp_ruler import TableRuler

ROOT = Path(__file__).resolve().parents[1]
HEDGE = ROOT.parent / "shared" / "eval" / "hedge_train" / "train.csv"

# the ruler's exceptions: contractions, two-token rules ("gon na", "let 's", "there is"), pronoun case
# by dependency, auxiliaries, determiners used as pronouns, whitespace tokens
EXCEPTIONS = [
    "I ain't gonna sign it, y'all. Let's go now. C'mon, we gotta leave before they're here.",
    "There is a convoy and there's more. There were two. I'd have said it's his, not hers.",
    "She'd done it herself; nothin' doin', ol' man, 'nuff said. He gets what he got.",
    "That is what those who know say: this was theirs, and that one is ours.",
    "You told me you'd seen it. It hit us, and we hit it.   Double  spaces\tand a tab.",
    "Does he have it? He does. Did they? They did, had they not been stopped. Being there has been hard.",
]


def _signature(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, str(t.morph), t.lemma_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def models():
    return load_model(("lemmatizer",), table_ruler=False), load_model(("lemmatizer",), table_ruler=True)


def _assert_same(models, texts: list[str]) -> int:
    plain, table = models
    n = 0
    for a, b in zip(plain.pipe(texts), table.pipe(texts), strict=True):
        assert _signature(a) == _signature(b), a.text
        n += len(a)
    return n


def test_table_ruler_is_installed(models):
    plain, table = models
    assert isinstance(table.get_pipe("attribute_ruler"), TableRuler)
    assert not isinstance(plain.get_pipe("attribute_ruler"), TableRuler)
    assert table.pipe_names == plain.pipe_names


def test_table_ruler_matches_spacy_on_exceptions(models):
    doc = models[1]("I ain't gonna sign it. Let's go. There is a convoy.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["na"] == "to" and lemmas["'s"] == "us"  # index-1 rules of two-token patterns
    assert [t.pos_ for t in doc if t.text == "is"] == ["VERB"]  # expletive "there is"
    assert _assert_same(models, EXCEPTIONS) > 100


def test_table_ruler_matches_spacy_on_corpus(models):
    lines = (ROOT / "tests" / "corpus" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [p.text for line in lines for p in paragraphs(json.loads(line)["text"])]
    assert _assert_same(models, texts) > 2000


@pytest.mark.skipif(not HEDGE.exists(), reason="../shared not present")
def test_table_ruler_matches_spacy_on_encyclopedic_text(models):
    with HEDGE.open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] for row in itertools.islice(csv.DictReader(fh), 1500)]
    assert _assert_same(models, texts) > 20000


def test_unreadable_pattern_keeps_spacy_ruler():
    class Fake:
        patterns = [{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"POS": "DET"}, "index": 0}]

    assert TableRuler.from_ruler(Fake()) is None


class _RecordingNlp:
    """Stands in for a spaCy pipeline: records the batches it is given and returns each text."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def pipe(self, texts: list[str], batch_size: int = 0) -> list[str]:
        assert batch_size == len(texts)
        self.batches.append(list(texts))
        return list(texts)


def test_parse_batches_are_bounded_in_paragraphs_and_characters() -> None:
    from khaldun.nlp import parse_paragraphs

    texts = [f"short paragraph {i}." for i in range(10)] + ["x" * 500] + ["tail one.", "tail two."]
    nlp = _RecordingNlp()
    out = list(parse_paragraphs(texts, nlp, batch_size=4, batch_chars=200))
    assert out == texts  # every paragraph, in order
    assert [len(b) for b in nlp.batches] == [4, 4, 2, 1, 2]  # the long paragraph goes alone
    assert all(len(b) <= 4 and (len(b) == 1 or sum(map(len, b)) <= 200) for b in nlp.batches)
    assert list(parse_paragraphs([], _RecordingNlp())) == []


def test_parse_batching_does_not_change_annotation() -> None:
    from khaldun.nlp import parse_paragraphs

    nlp = load_model()
    texts = ["Rebels shelled the port of Qarvan on Monday, the navy said.",
             "A convoy of 40 trucks reached the border town after the ceasefire.",
             "The minister denied that the country had supplied drones to either side."] * 3

    def sig(docs: list) -> list:
        return [[(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in d] for d in docs]

    one_by_one = sig([nlp(t) for t in texts])
    assert sig(list(parse_paragraphs(texts, nlp, batch_size=4, batch_chars=150))) == one_by_one
    assert sig(list(parse_paragraphs(texts, nlp))) == one_by_one
