"""Tests for khaldun.text: normalization, page furniture and title, language detection."""

from __future__ import annotations

import unicodedata

import pytest

from khaldun.text import (
    Furniture,
    detect_language,
    ends_sentence,
    is_furniture_line,
    normalize,
    strip_furniture,
)

# ------------------------------------------------------------------ normalize


def test_line_endings_and_blank_lines() -> None:
    assert normalize("a\r\nb\rc\n\n\n\n d  \n") == "a\nb\nc\n\nd"
    assert normalize("one\u2028two\u2029three\x0cfour") == "one\ntwo\n\nthree\nfour"


def test_invisible_and_control_characters() -> None:
    raw = "\ufeffStart\u200b of\x00 text\x07\u200e here\u00ad.\tTab\x85next"
    assert normalize(raw) == "Start of text here.\tTab\nnext"


def test_spaces() -> None:
    assert normalize("Tripoli\u00a0airport  was\u202fhit") == "Tripoli airport was hit"
    assert normalize("   indented line   \n\t tabbed\t") == "indented line\ntabbed"


def test_nfc_and_kept_joiners() -> None:
    decomposed = "e\u0301"  # e + combining acute
    assert normalize(decomposed) == "\u00e9"
    assert normalize("\u0627\u0654") == "\u0623"  # alef + hamza above -> alef with hamza
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ is spelling in Persian
    assert normalize(persian) == persian
    assert unicodedata.is_normalized("NFC", normalize("A\u030angstr\u00f6m"))


@pytest.mark.parametrize("raw", [
    "Title\r\n\r\n\r\nBody\u00a0text.  \n\n\n",
    "\ufeff  x\u200b\u0301y \u2029\u2029 z",
    "a\x85\x85\x85b",
    "",
    "\n\n \t\n",
])
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw)
    assert normalize(once) == once


# ------------------------------------------------------------------ helpers


def test_ends_sentence() -> None:
    assert ends_sentence("He said so.")
    assert ends_sentence('"We will not retreat."')
    assert ends_sentence("Is it over?")
    assert ends_sentence("هل انتهت الحرب؟")
    assert not ends_sentence("Other news")
    assert not ends_sentence("Tags: Libya")


@pytest.mark.parametrize("line", [
    "Other news", "Other news{\"items\":[1,2,3]} var x = 1; function(){ return 42 } and more junk words",
    "Other news\u00bb", "» Related articles", "Read more", "Read also:", "Share | Tweet | Email",
    "Share this article", "Tags: Libya, Tripoli", "Advertisement", "© 2020 Example Media",
    "Copyright 2020 Example Media", "All rights reserved.", "Subscribe to our newsletter.",
    "You may also like", "أخبار ذات صلة", "اقرأ أيضا", "شارك", "Facebook Twitter WhatsApp",
])
def test_furniture_lines(line: str) -> None:
    assert is_furniture_line(line)


@pytest.mark.parametrize("line", [
    "Share prices fall in Tripoli", "Related clashes killed three people.", "Copyright row erupts",
    "Recommended dose exceeded", "شارك آلاف في المظاهرة", "The ministry did not respond.",
    "Subscribers were told to leave", "", "Reading more into the ceasefire",
])
def test_not_furniture_lines(line: str) -> None:
    assert not is_furniture_line(line)


# ------------------------------------------------------------------ strip_furniture


def check_offsets(text: str, f: Furniture) -> None:
    """Body is one honest slice; every other character is whitespace, title or removed."""
    assert f.body == text[f.body_start:f.body_end]
    covered = [False] * len(text)
    for s, e in [(f.body_start, f.body_end), *[(s, e) for s, e, _ in f.removed],
                 *([f.title_span] if f.title_span else [])]:
        for k in range(s, e):
            covered[k] = True
    for s, e, cut in f.removed:
        assert text[s:e] == cut
    assert all(c or text[k].isspace() for k, c in enumerate(covered))


def test_furniture_at_end_with_glued_junk() -> None:
    text = normalize(
        "Fighters shelled the port on Friday, officials said.\n"
        "The port authority suspended operations.\n"
        'Other news{"id": 1, "slug": "weather"}\n'
        "Football: local derby postponed\n"
        "Weather"
    )
    f = strip_furniture(text)
    check_offsets(text, f)
    assert f.body.endswith("The port authority suspended operations.")
    assert len(f.removed) == 1 and f.removed[0][2].startswith("Other news{")
    assert f.removed[0][1] == len(text)


def test_furniture_at_end_without_junk() -> None:
    text = normalize("Forces withdrew from the town overnight, residents said.\nRelated\nShare")
    f = strip_furniture(text)
    check_offsets(text, f)
    assert f.body == "Forces withdrew from the town overnight, residents said."
    assert [r[2] for r in f.removed] == ["Related\nShare"]


def test_related_headlines_list_is_cut_even_with_question_marks() -> None:
    text = normalize(
        "The envoy met both delegations in Geneva on Thursday, his office said.\n\n"
        "Related articles\nCan the ceasefire hold?\nEnvoy resigns after two years.\nMarkets rally"
    )
    f = strip_furniture(text)
    check_offsets(text, f)
    assert f.body == "The envoy met both delegations in Geneva on Thursday, his office said."
    assert f.removed[0][2].startswith("Related articles\nCan the ceasefire hold?")


def test_credit_line_before_furniture_stays() -> None:
    text = normalize("The airport reopened on Sunday.\n(Reporting by A. Writer; editing by B. Editor)\n"
                     "Tags: Libya, aviation")
    f = strip_furniture(text)
    assert f.body.endswith("(Reporting by A. Writer; editing by B. Editor)")
    assert f.removed[0][2] == "Tags: Libya, aviation"


def test_furniture_at_start() -> None:
    text = normalize("Share | Tweet\nAdvertisement\n"
                     "Gunmen attacked a checkpoint south of the city, police said.")
    f = strip_furniture(text)
    check_offsets(text, f)
    assert f.body == "Gunmen attacked a checkpoint south of the city, police said."
    assert f.removed == [(0, 27, "Share | Tweet\nAdvertisement")]
    assert f.title is None


def test_legitimate_last_sentence_kept() -> None:
    text = normalize("Clashes resumed at dawn.\nThe ministry did not respond to a request for comment.")
    f = strip_furniture(text)
    assert f.body == text and f.removed == []


def test_short_final_quote_kept() -> None:
    text = normalize('The commander addressed his troops on Monday.\n"We will not retreat," he said.')
    f = strip_furniture(text)
    assert f.body == text and f.removed == []
    text2 = normalize("The commander addressed his troops on Monday.\n\u201cNo retreat.\u201d")
    assert strip_furniture(text2).body == text2


def test_mid_body_furniture_left_alone() -> None:
    body = ("First paragraph of the report, which is long enough to be a body paragraph here.\n"
            "Read more: why the port matters\n"
            "Second paragraph continues the report with more detail about the shelling of the port.")
    f = strip_furniture(normalize(body))
    assert f.body == body and f.removed == []


def test_title_split() -> None:
    text = normalize("Rockets hit Mitiga airport\n\n"
                     "Rockets landed near the runway on Monday, an official said.\n"
                     "Flights were diverted.")
    f = strip_furniture(text)
    check_offsets(text, f)
    assert f.title == "Rockets hit Mitiga airport"
    assert f.title_span == (0, len("Rockets hit Mitiga airport"))
    assert f.body.startswith("Rockets landed near the runway")


def test_title_starting_with_by() -> None:
    f = strip_furniture(normalize("By air and sea, arms reach the coast\n\nShips unloaded crates on Monday."))
    assert f.title == "By air and sea, arms reach the coast"


def test_title_with_question_mark_and_furniture_below() -> None:
    text = normalize("Is the truce over?\n\nShare this\n\nShelling resumed on Tuesday.")
    f = strip_furniture(text)
    check_offsets(text, f)
    assert f.title == "Is the truce over?"
    assert f.body == "Shelling resumed on Tuesday."
    assert [r[2] for r in f.removed] == ["Share this"]


@pytest.mark.parametrize("text", [
    "The first line ends with a period.\n\nSecond paragraph.",
    "Rockets hit the airport\nno blank line follows, so this is not a title.",
    "Tuesday 9 April 2019\n\nThe body starts here.",
    "Only one line without a period",
    "The minister said:\n\nWe will respond.",
])
def test_no_title(text: str) -> None:
    f = strip_furniture(normalize(text))
    assert f.title is None and f.title_span is None
    assert f.body == normalize(text)


@pytest.mark.parametrize("text", [
    "By Jane Reporter\n\nThe body starts here.",
    "By Jane Reporter and Ali al-Writer, Tripoli\n\nThe body starts here.",
])
def test_a_byline_is_neither_title_nor_body(text: str) -> None:
    f = strip_furniture(normalize(text))
    assert f.title is None and f.title_span is None
    assert f.body == "The body starts here."
    assert [r[2] for r in f.removed] == [normalize(text).split("\n")[0]]


def test_known_title_repeated_in_text_is_cut() -> None:
    text = normalize("Shelling closes Mitiga airport\nRockets landed near the runway on Monday.")
    f = strip_furniture(text, title="Shelling closes Mitiga airport | Coastal Courier")
    assert f.title == "Shelling closes Mitiga airport | Coastal Courier"
    assert f.title_span == (0, 30)
    assert f.body == "Rockets landed near the runway on Monday."


def test_known_title_not_repeated_keeps_first_line() -> None:
    text = normalize("A different first line\n\nRockets landed near the runway on Monday.")
    f = strip_furniture(text, title="Shelling closes Mitiga airport")
    assert f.title_span is None and f.body == text


def test_arabic_furniture_at_end() -> None:
    text = normalize("قالت وزارة الدفاع إن طائرة مسيرة أسقطت قرب المطار.\nاقرأ أيضا\nعنوان خبر آخر\nشارك")
    f = strip_furniture(text)
    check_offsets(text, f)
    assert f.body == "قالت وزارة الدفاع إن طائرة مسيرة أسقطت قرب المطار."


def test_all_furniture_gives_empty_body() -> None:
    text = normalize("Share | Tweet\nAdvertisement")
    f = strip_furniture(text)
    assert f.body == "" and f.body_start == f.body_end
    check_offsets(text, f)


def test_empty_text() -> None:
    f = strip_furniture("")
    assert (f.body, f.title, f.removed) == ("", None, [])


# ------------------------------------------------------------------ language


@pytest.mark.parametrize(("text", "lang"), [
    ("Forces loyal to the eastern commander shelled the only working airport in the capital.", "en"),
    ("قصفت قوات موالية للقائد الشرقي المطار الوحيد العامل في العاصمة الليبية يوم الاثنين.", "ar"),
    ("Les forces du maréchal ont bombardé l'aéroport de la capitale lundi, selon des responsables.", "fr"),
    ("Doğu komutana bağlı güçler başkentteki tek havalimanını pazartesi günü bombaladı.", "tr"),
    ("Силы восточного командующего обстреляли единственный работающий аэропорт столицы.", "ru"),
])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_detect_language_too_short() -> None:
    assert detect_language("Tripoli 2019") is None
    assert detect_language("12345 67890 !!! ???") is None
    assert detect_language("") is None


def test_detect_language_unsure() -> None:
    assert detect_language("Haftar LNA GNA Sarraj Misrata Zawiya Gharyan") is None


def test_random_layouts_keep_offsets_honest() -> None:
    """Seeded fuzz: any mix of body, title-like, furniture and junk lines keeps the invariants."""
    import random

    pool = [
        "Fighters shelled the port on Friday, officials said.", "Short line", "Other news{\"a\":1}",
        "Related articles", "Can the truce hold?", "Share | Tweet", "\u00a9 2020 Example", "",
        '"We will not retreat," he said.', "Tags: Libya", "  spaced   out\u00a0line  ", "\u200b",
        "أخبار ذات صلة", "قالت الوزارة إن الهجوم وقع فجرا.", "Advertisement", "(Reporting by A. B.)",
    ]
    rng = random.Random(7)
    for _ in range(500):
        raw = "\n".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        text = normalize(raw)
        assert normalize(text) == text
        f = strip_furniture(text)
        check_offsets(text, f)
        assert f.body == f.body.strip()
        if f.title_span:
            assert text[f.title_span[0]:f.title_span[1]] == f.title


def test_a_leading_byline_line_is_furniture_not_part_of_the_first_sentence() -> None:
    from khaldun.text import strip_furniture

    text = "By: Hana Writer\nTwo freighters unloaded armoured vehicles at the port of Tobruk on Sunday.\n"
    f = strip_furniture(text)
    assert any("Hana Writer" in r[2] for r in f.removed)
    assert "Hana Writer" not in text[f.body_start:f.body_end]
    # a line that starts with "By" and goes on as a sentence is text, not a byline
    text = "By Sunday the convoy had reached Sirte.\nIt carried fuel.\n"
    f = strip_furniture(text)
    assert "convoy" in text[f.body_start:f.body_end]
