"""Tests of the factuality stage: certainty, polarity and tense of any event mention (assess_spans,
assess_tokens), their scope, and the sentence-level hedge test. Sentences are made up for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from khaldun.factuality import Fact, assess_spans, assess_tokens, sentence_is_hedged

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def fact(text: str, word: str, nth: int = 0) -> Fact:
    """The factuality of the nth occurrence of `word` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    got = assess_spans(text, [(start, start + len(word))])[0]
    assert got is not None
    return got


def triple(text: str, word: str) -> tuple[str, str, str]:
    f = fact(text, word)
    return f.certainty, f.polarity, f.tense


@pytest.mark.parametrize("text, word, want", [
    ("The army shelled the town on Monday.", "shelled", ("certain", "positive", "past")),
    ("The army will shell the town.", "shell", ("certain", "positive", "future")),
    ("The army may shell the town.", "shell", ("possible", "positive", "future")),
    ("The rebels can reach the capital within a day.", "reach", ("possible", "positive", "present")),
    ("The rebels probably reached the capital.", "reached", ("probable", "positive", "past")),
    ("Officials believe that the rebels reached the capital.", "reached", ("probable", "positive", "past")),
    ("The convoy did not reach the border.", "reach", ("certain", "negative", "past")),
    ("The militia plans to attack the base.", "attack", ("probable", "positive", "future")),
    ("The ministry has been allowed to bid for the contract.", "bid", ("possible", "positive", "future")),
    ("The firm won a contract to supply the navy with tankers.", "supply", ("certain", "positive", "future")),
    ("The firm negotiated the purchase of six tankers.", "purchase", ("possible", "positive", "future")),
    ("The army claimed to have hit three gunmen.", "hit", ("certain", "positive", "past")),
    ("The police sent officers to secure the building.", "secure", ("certain", "positive", "past")),
    ("The airline would stop selling tickets.", "selling", ("certain", "negative", "future")),
    ("The now-cancelled deal was worth a billion.", "deal", ("certain", "negative", "past")),
    ("The delivery of the jets was delayed until May.", "delivery", ("certain", "negative", "past")),
    ("The plane will be painted when it arrives in Paris.", "arrives", ("certain", "positive", "future")),
    ("The iPod was said to be faster than its predecessor.", "be", ("possible", "positive", "future")),
])
def test_assess_spans(text: str, word: str, want: tuple[str, str, str]) -> None:
    assert triple(text, word) == want


def test_scope_stops_at_subjects_relative_clauses_and_siblings() -> None:
    # a negated report does not negate what it reports on, nor an event in its time clause
    assert fact("The glitch was not reported when the plane made its maiden flight.", "made").polarity == "positive"
    assert fact("The glitch was not reported when the plane made its maiden flight.", "glitch").polarity == "positive"
    # the modal of a verb does not reach its subject
    assert fact("Repair operations could push the value of the contract higher.", "operations").certainty == "certain"
    # a coordinated event shares auxiliaries, not meaning: "killed" does not negate "wounded"
    f = fact("The blast killed one soldier and wounded two others.", "wounded")
    assert (f.polarity, f.tense) == ("positive", "past")
    # negation on an attempt leaves the attempted event unnegated (MEANTIME, FactBank)
    assert fact("The new design does not attempt to compete with the A380.", "compete").polarity == "positive"
    # a denied clause is negative
    assert fact("The ministry denied that its jets struck the market.", "struck").polarity == "negative"


def test_assess_tokens_and_by_line() -> None:
    text = "Boeing will build jets\nApple sold phones."
    got = {text[s:e]: f for s, e, f in assess_tokens(text, by_line=True)}
    assert got["build"].tense == "future" and got["sold"].tense == "past"
    assert "Boeing" not in got  # proper names are not event mentions
    assert assess_spans(text, [(0, 0), (100, 104)], by_line=True) == [None, None]


@pytest.mark.parametrize("text, hedged", [
    ("Some critics argue that the reform went too far.", True),
    ("It is believed that the painting was lost in a fire.", True),
    ("The town is considered one of the oldest in the region.", True),
    ("The bridge was probably built in the twelfth century.", True),
    ("The band might have recorded a second album.", True),
    ("The town was founded in 1804 by settlers from the coast.", False),
    ("He was described by the press as a reformer.", False),  # the claimant is named
    ("The museum opens in May 2024.", False),
    ("The law may be amended by parliament.", False),  # a lone "may": permission as often as doubt
    # weasel sources: unnamed people who say or think, or a sentence speaking for a vague majority
    ("Critics say the sequel lacks the charm of the original.", True),
    ("Several historians have argued that the treaty was signed under duress.", True),
    ("Most scholars date the manuscript to the ninth century.", True),
    ("Most of the tracks were recorded in a single week.", False),
    # epistemic hedges beyond single words
    ("The chapel may have been rebuilt after the earthquake.", True),
    ("It is quite possible that the letters were forged.", True),
    ("There is ongoing debate about the origin of the name.", True),
    ("The stadium is often described as the finest in the country.", True),  # adverb inside the passive
    # peacock words: a ranking without its ranker
    ("She is one of the country's most admired novelists.", True),
    # quantifiers that state an amount, not a vague source
    ("The village lies some 40 km north of the capital.", False),
    ("The company stayed in the town for several years.", False),
    ("The festival draws as many visitors as the carnival.", False),
    ("The duke gave his many horses to the abbey.", False),  # a definite set, not an unnamed group
    ("The new line carries many more passengers than the old one.", False),  # a comparison of amounts
    # adverbs of consensus count only before a verb of opinion or naming
    ("The bridge is generally regarded as the oldest in the region.", True),
    ("The island is widely believed to have been settled from the north.", True),
    ("The pass is commonly known as the eagle's gate.", True),
    ("The roofs are generally made of slate.", False),
    ("The alloy is widely used in shipbuilding.", False),
    # epistemic modal perfect, a belief clause, a peacock adjective
    ("The fire could have started in the kitchen.", True),
    ("Residents believe that the well never runs dry.", True),
    ("Her debut was a best-selling novel.", True),
    ("People with the condition need regular check-ups.", False),  # generic "people" opener
])
def test_sentence_is_hedged(text: str, hedged: bool) -> None:
    assert sentence_is_hedged(text) is hedged


@pytest.mark.skipif(not (SHARED / "eval" / "meantime_dev").is_dir(), reason="../shared/eval/meantime_dev is absent")
def test_meantime_sample_uses_assess_spans() -> None:
    from khaldun.evaluation import run_suite

    report = run_suite("meantime", SHARED, limit=8)
    m = report["metrics"]
    assert m["gold_events"] > 50
    assert m["polarity_acc"] > 0.9 and m["tense_acc"] > 0.8 and m["certainty_acc"] > 0.9
    assert "assess_spans" in report["scoring"]


@pytest.mark.parametrize("text", [
    "Gunmen attempted to storm the army base in Sabha on Monday.",
    "Militants tried to attack a checkpoint near Derna, the army said.",
])
def test_an_attempt_is_a_past_event_not_a_threat(text: str) -> None:
    from khaldun.pipeline import default_pipeline

    claims = default_pipeline().analyze(text).claims
    assert [(c.event.type, c.factuality.tense) for c in claims] == [("ASSAULT", "past")]
