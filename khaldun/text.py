"""The TEXT stage: one canonical form of an article's text, its title and its page furniture.

Every character offset khaldun reports points into the string returned by :func:`normalize`, so
this module is the only place where text is changed. Later stages never rewrite text: they cut
slices of it. :func:`strip_furniture` does not rewrite either: it tells which contiguous slice of
the normalized text is the article body (so ``body == text[body_start:body_end]``) and which
spans around it were page furniture ("Related articles", share buttons, copyright lines).
:func:`detect_language` guesses the ISO 639-1 language code offline with py3langid.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = [
    "LANGUAGES",
    "Furniture",
    "detect_language",
    "ends_sentence",
    "is_furniture_line",
    "normalize",
    "strip_furniture",
]

# --------------------------------------------------------------------------------------------
# normalize
# --------------------------------------------------------------------------------------------

# Deleted outright: BOM / zero-width no-break space, zero-width space, word joiner, soft hyphen,
# Mongolian vowel separator, and the invisible bidi controls that Arabic copy-paste leaves
# behind (LRM, RLM, ALM, embeddings, overrides, isolates). ZWNJ (U+200C) and ZWJ (U+200D) are
# kept on purpose: they are spelling in Persian (mi-khaham), Urdu and Indic scripts and inside
# emoji, and deleting them glues words together.
_DELETE = "\ufeff\u200b\u2060\u00ad\u180e\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e" \
    "\u2066\u2067\u2068\u2069\ufff9\ufffa\ufffb"
# Line breaks other than \n: vertical tab, form feed, NEL, line separator; paragraph separator.
_NEWLINE = "\x0b\x0c\x85\u2028"
# Spaces that look like a space: NBSP, narrow NBSP, en/em/thin/hair... spaces, ideographic space.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
    "\u202f\u205f\u3000"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # C0 controls except \t and \n (\r is handled before the table runs), DEL, C1 controls.
    for cp in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        if chr(cp) not in "\t\n":
            table[cp] = None
    for ch in _DELETE:
        table[ord(ch)] = None
    for ch in _NEWLINE:
        table[ord(ch)] = "\n"
    table[0x2029] = "\n\n"
    for ch in _SPACES:
        table[ord(ch)] = " "
    return table


_TABLE = _build_table()
_CRLF = re.compile(r"\r\n?")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize(text: str) -> str:
    """Return the canonical form of ``text`` that every downstream offset points into.

    Steps, in order (the result is idempotent: ``normalize(normalize(t)) == normalize(t)``):

    1. ``\\r\\n`` and lone ``\\r`` become ``\\n``; vertical tab, form feed, NEL (U+0085) and
       U+2028 become ``\\n``; U+2029 (paragraph separator) becomes a blank line.
    2. The BOM, zero-width space, word joiner, soft hyphen and invisible bidi marks are deleted;
       ZWNJ/ZWJ are kept (they are spelling in Persian and Indic scripts).
    3. Other C0/C1 control characters are deleted, except ``\\n`` and ``\\t``.
    4. NBSP and the other Unicode space characters become an ordinary space.
    5. Unicode NFC (canonical composition: no compatibility folding, so Arabic presentation
       forms, ligatures and full-width digits are left as written).
    6. Each line is stripped of leading and trailing spaces and tabs, and runs of spaces inside
       a line become one space (so multi-word dictionary entries match); tabs inside a line stay.
    7. Three or more consecutive newlines (two or more blank lines) become exactly one blank
       line: a blank line marks a paragraph break, and more than one carries no information.
    8. Leading and trailing blank lines are removed.
    """
    text = _CRLF.sub("\n", text)
    text = text.translate(_TABLE)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACE_RUN.sub(" ", line.strip(" \t")) for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n")


# --------------------------------------------------------------------------------------------
# furniture
# --------------------------------------------------------------------------------------------

# Sentence-final punctuation, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?\u2026؟\u3002۔][\"'\u201d\u2019\u00bb\u203a)\]]*$")
# A title never ends like this: period, ellipsis, colon, semicolon, comma (question and
# exclamation marks are allowed: "Is the truce over?").
_NOT_TITLE_END = re.compile(r"[.\u2026:;,،؛][\"'\u201d\u2019\u00bb)\]]*$")
# Bullets and separators that may precede a furniture word ("» Related", "| Share").
_LEAD_JUNK = re.compile(r"^[\s\-\u2013\u2014*\u2022\u00b7|>#\u00bb\u00ab\u203a\u25ba\u25b6:]+")
_WORDS = re.compile(r"[^\W\d_]+")

# Phrases that mark page furniture when a line starts with them (after bullets), matched
# case-insensitively. Modes:
#   "p" prefix: anything may follow a word boundary ("Read more: Haftar's advance", "Follow us on X");
#   "b" bare: only non-letters may follow, or a colon and then anything ("Related", "Tags: Libya",
#       "Share \u00bb"); for single words that also start ordinary headlines ("Share prices fall",
#       "Recommended dose", "Copyright row erupts") - the copyright word also passes when a year,
#       (c) or the copyright sign follows it;
#   "s" strict: a prefix phrase so unambiguous that the line counts even when it ends like a
#       sentence ("All rights reserved.", "Subscribe to our newsletter.").
_PHRASES: tuple[tuple[str, str], ...] = (
    # English: lists of other articles
    ("other news", "p"), ("related articles", "p"), ("related stories", "p"),
    ("related news", "p"), ("related content", "p"), ("related coverage", "p"),
    ("related topics", "p"), ("related posts", "p"), ("related links", "p"),
    ("related reading", "p"), ("related", "b"), ("read more", "p"), ("read also", "p"),
    ("also read", "p"), ("read next", "p"), ("see also", "p"), ("more from", "p"),
    ("more on this story", "p"), ("more stories", "p"), ("more news", "p"),
    ("most read", "p"), ("most popular", "p"), ("most viewed", "p"), ("most shared", "p"),
    ("recommended", "b"), ("recommended for you", "s"), ("you may also like", "s"),
    ("you might also like", "s"), ("you may have missed", "s"), ("we recommend", "p"),
    ("don't miss", "p"), ("don\u2019t miss", "p"), ("editor's picks", "p"), ("editor\u2019s picks", "p"),
    ("trending", "b"), ("latest news", "b"), ("top stories", "b"),
    # English: sharing, subscribing, tags, ads, legal
    ("share this", "s"), ("share on", "p"), ("share via", "p"), ("share", "b"),
    ("follow us", "s"), ("subscribe to our", "s"), ("subscribe", "b"),
    ("sign up for our", "s"), ("sign up to our", "s"), ("sign up", "p"), ("newsletter", "b"),
    ("click here", "s"), ("tags", "b"), ("tagged", "b"), ("topics", "b"),
    ("advertisement", "b"), ("sponsored", "b"), ("copyright", "b"), ("\u00a9", "s"),
    ("all rights reserved", "s"), ("leave a comment", "s"), ("comments", "b"),
    ("print this", "s"), ("email this", "s"), ("back to top", "s"),
    # Arabic
    ("أخبار ذات صلة", "p"),  # akhbar dhat sila
    ("مواضيع ذات صلة", "p"),  # mawadi' dhat sila
    ("مقالات ذات صلة", "p"),  # maqalat dhat sila
    ("اقرأ أيضا", "s"),  # iqra' aydan (read also)
    ("إقرأ أيضا", "s"),  # (spelled with hamza below)
    ("اقرأ المزيد", "s"),  # iqra' al-mazid (read more)
    ("الأكثر قراءة", "p"),  # al-akthar qira'a (most read)
    ("شارك هذا", "s"),  # sharik hadha (share this)
    ("شارك عبر", "s"),  # sharik 'abr (share via)
    ("شارك", "b"),  # sharik (share); also the verb "took part", hence bare
    ("تابعونا", "s"),  # tabi'una (follow us)
    ("جميع الحقوق محفوظة", "s"),  # all rights reserved
    ("الكلمات المفتاحية", "p"),  # keywords
    ("كلمات مفتاحية", "p"),  # keywords
    ("قد يعجبك أيضا", "s"),  # you may also like
    # French
    ("lire aussi", "s"), ("à lire aussi", "s"), ("a lire aussi", "s"),
    ("articles similaires", "p"), ("sur le même sujet", "p"),
    ("tous droits réservés", "s"), ("partager", "b"),
)

# Phrases that head a list of other articles. When such a header stands alone on its line,
# the short lines under it are headlines, even when a headline ends with "?" or ".".
_LIST_HEADERS = frozenset({
    "other news", "related articles", "related stories", "related news", "related content",
    "related coverage", "related posts", "related links", "related reading", "related",
    "read more", "read also", "also read", "read next", "see also", "more stories", "more news",
    "most read", "most popular", "most viewed", "most shared", "recommended", "you may also like",
    "you might also like", "you may have missed", "we recommend", "editor's picks",
    "editor\u2019s picks", "trending", "latest news", "top stories",
    "أخبار ذات صلة",
    "مواضيع ذات صلة",
    "مقالات ذات صلة",
    "اقرأ أيضا", "إقرأ أيضا",
    "الأكثر قراءة", "قد يعجبك أيضا",
    "lire aussi", "à lire aussi", "a lire aussi", "articles similaires", "sur le même sujet",
})

# Single words that are furniture only when the whole line is made of such words
# ("Share | Tweet | Email", "Facebook Twitter WhatsApp"); a headline such as "Share prices
# fall" or the Arabic verb sharaka ("took part") must not match.
_TOKENS = frozenset({
    "share", "shares", "tweet", "email", "e", "mail", "print", "facebook", "twitter", "x",
    "whatsapp", "telegram", "linkedin", "reddit", "pinterest", "messenger", "copy", "link",
    "comment", "comments", "subscribe", "advertisement", "advertising", "ad", "sponsored",
    "newsletter", "home", "menu", "search", "login", "log", "in", "sign", "register", "next",
    "previous", "prev", "top", "back", "to", "save", "more", "close", "flipboard",
    "شارك", "مشاركة", "تويتر",
    "فيسبوك", "واتساب",
    "تليجرام", "طباعة",
    "إعلان", "اشترك", "تغريد",
    "partager", "imprimer", "publicité",
})

MAX_FURNITURE_WORDS = 8
MAX_TITLE_WORDS = 20
MAX_HEADLINE_WORDS = 20
MAX_HEADLINES = 12

_PHRASE_RE = re.compile(
    "(?:" + "|".join(re.escape(p) for p, _ in sorted(_PHRASES, key=lambda x: -len(x[0]))) + ")"
)
_MODE = dict(_PHRASES)
_COPYRIGHT_TAIL = re.compile(r"\s*(?:\u00a9|\(c\)|\d{4})")
_BYLINE = re.compile(r"^\s*by\s*:?\s+(.+)$", re.IGNORECASE)
_BYLINE_GLUE = frozenset({"and", "in", "&", "|", "-", "\u2013", "\u2014", "de", "al", "el", "bin", "ibn", "van", "von"})
_DATE_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "updated", "published", "gmt", "utc", "am", "pm",
})


def ends_sentence(line: str) -> bool:
    """True when ``line`` ends with sentence-final punctuation (. ! ? ... Arabic ?), quotes allowed."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def _word_count(line: str) -> int:
    return len(line.split())


def _furniture_match(line: str) -> tuple[str, bool] | None:
    """The lexicon phrase ``line`` starts with (after bullets), and whether it is glued to junk.

    Returns ``(phrase, glued)`` or None. ``glued`` is true when the phrase is followed directly,
    without a space, by a character that is neither a letter nor ordinary punctuation
    (``Other news{`` or ``Other news\u00bb``): markup debris that makes the line furniture
    whatever its length.
    """
    key = _LEAD_JUNK.sub("", line).casefold()
    m = _PHRASE_RE.match(key)
    if not m:
        return None
    phrase, rest = m.group(0), key[m.end():]
    if rest and (rest[0].isalnum() or rest[0] == "_"):
        return None  # "sharers", "relatedly", "tagsmith": not the phrase
    # a bare word: letters may follow only after a colon ("Tags: Libya") or, for the copyright
    # word, after a year or sign ("Copyright 2019 Example News")
    if (
        _MODE[phrase] == "b"
        and _WORDS.search(rest)
        and not rest.lstrip().startswith(":")
        and not (phrase == "copyright" and _COPYRIGHT_TAIL.match(rest))
    ):
        return None
    glued = bool(rest) and not rest[0].isspace() and rest[0] not in ".,:;!?()-\u2013\u2014'\"،"
    return phrase, glued


def is_furniture_line(line: str) -> bool:
    """True when one line looks like page furniture on its own.

    A line is furniture when either

    * it starts (after bullets) with a lexicon phrase and is short (at most
      ``MAX_FURNITURE_WORDS`` words) and does not end like a sentence; unambiguous phrases
      ("All rights reserved", "Subscribe to our", the copyright sign) may end with a period; or
    * it starts with a lexicon phrase glued to markup debris ("Other news{...": any length); or
    * every word on it is a share/navigation token ("Share | Tweet | Email").
    """
    line = line.strip()
    if not line:
        return False
    hit = _furniture_match(line)
    if hit is not None:
        phrase, glued = hit
        if glued:
            return True
        if _word_count(line) <= MAX_FURNITURE_WORDS and (_MODE[phrase] == "s" or not ends_sentence(line)):
            return True
    words = [w.casefold() for w in _WORDS.findall(line)]
    return bool(words) and _word_count(line) <= MAX_FURNITURE_WORDS and all(w in _TOKENS for w in words)


def _is_list_header(line: str) -> bool:
    """A lexicon list header alone on its line: "Related articles", "Other news \u00bb", "Read also:"."""
    hit = _furniture_match(line)
    if hit is None or hit[0] not in _LIST_HEADERS:
        return False
    key = _LEAD_JUNK.sub("", line.strip()).casefold()
    return not _WORDS.search(key[len(hit[0]):])


def is_byline(line: str) -> bool:
    """A line that names the writers and nothing else: "By Jane Reporter and Ali al-Writer, Tripoli",
    "By: J. Reporter"; every word is a capitalized name part or a joining word."""
    by = _BYLINE.match(line)
    return bool(by) and _word_count(line) <= MAX_TITLE_WORDS and all(
        w.casefold() in _BYLINE_GLUE or any(part[:1].isupper() for part in w.split("-"))
        for w in by.group(1).replace(",", " ").split())


def _looks_like_title(line: str) -> bool:
    if _word_count(line) > MAX_TITLE_WORDS or _NOT_TITLE_END.search(line):
        return False
    if is_byline(line):
        return False  # "By Jane Reporter and Ali al-Writer, Tripoli": a byline, not a title
    words = [w.casefold() for w in _WORDS.findall(line)]
    # not a date line ("Tuesday 9 April 2019") nor digits only
    return bool(words) and not all(w in _DATE_WORDS for w in words)


def _squash(s: str) -> str:
    return " ".join(s.casefold().split()).strip(" .:;,-\u2013\u2014|\"'\u201c\u201d\u2018\u2019")


_SITE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " \u00bb ")


def _repeats_title(line: str, title: str) -> bool:
    """True when ``line`` is the known title, possibly without a " | Site name" suffix."""
    key = _squash(line)
    if not key:
        return False
    forms = {_squash(title)}
    for sep in _SITE_SEPARATORS:
        if sep in title:
            forms.add(_squash(title.rsplit(sep, 1)[0]))
            forms.add(_squash(title.split(sep, 1)[1]))
    return key in forms


@dataclass(frozen=True)
class Furniture:
    """Where the article body lies in the normalized text, and what was cut around it.

    All offsets index the string given to :func:`strip_furniture`. ``body`` is exactly
    ``text[body_start:body_end]``. ``removed`` lists ``(start, end, text)`` spans of page
    furniture, in text order. Every character outside the body is whitespace, the title line
    (``title_span``) or inside a removed span.
    """

    body_start: int
    body_end: int
    body: str
    title: str | None = None
    title_span: tuple[int, int] | None = None
    removed: list[tuple[int, int, str]] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, with surrounding spaces excluded."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            out.append((start, start + len(stripped)))
        pos += len(raw) + 1
    return out


def strip_furniture(text: str, title: str | None = None) -> Furniture:
    """Find the article body of a normalized text: cut page furniture at its start and end.

    Rules (general page-layout rules, not tuned to any one site):

    * **Leading furniture**: the non-blank lines at the very start that are furniture lines
      (:func:`is_furniture_line`: a short lexicon line such as "Share | Tweet" or "Advertisement")
      or bylines (:func:`is_byline`) are cut. The same runs again just below the title.
    * **Title**: if ``title`` is given (from HTML or JSON metadata), it is returned as the title,
      and the first body line is cut as the title line only when it repeats it. Otherwise the
      first non-blank line becomes the title when it is short (at most ``MAX_TITLE_WORDS``
      words), does not end with a period, colon, semicolon or comma, is not a byline ("By ...")
      or a bare date, and is followed by a blank line and more text.
    * **Trailing furniture**: the *trailing block* is everything after the last line that ends
      a sentence and is not itself furniture. One exception lets a list of related headlines
      join the block: when a list header stands alone on its line ("Related articles", "Other
      news", "Read also") and at most ``MAX_HEADLINES`` lines follow it, all short (at most
      ``MAX_HEADLINE_WORDS`` words), those lines belong to the block even if they end with "?"
      or ".". The cut runs from the first furniture line of the trailing block to the end of the
      text; lines before it in the block (a credit line such as "(Reporting by ...)") stay.
      A legitimate last sentence, or a short final quote line, ends a sentence and is not a
      lexicon line, so it is never cut.

    Furniture in the middle of the body is left alone: the body stays one contiguous slice so
    offsets into it are offsets into the normalized text.
    """
    spans = _lines(text)
    n = len(spans)
    removed: list[tuple[int, int, str]] = []

    def line(k: int) -> str:
        return text[spans[k][0]:spans[k][1]]

    def cut_leading(k: int) -> int:
        first = k
        while k < n and (is_furniture_line(line(k)) or is_byline(line(k))):
            k += 1
        if k > first:
            s, e = spans[first][0], spans[k - 1][1]
            removed.append((s, e, text[s:e]))
        return k

    i = cut_leading(0)
    title_span: tuple[int, int] | None = None
    found_title: str | None = title
    if i < n:
        first = line(i)
        if title is not None:
            if _repeats_title(first, title):
                title_span = spans[i]
        elif i + 1 < n and _looks_like_title(first) and "\n\n" in text[spans[i][1]:spans[i + 1][0]]:
            title_span = spans[i]
            found_title = first
        if title_span is not None:
            i = cut_leading(i + 1)

    # trailing block
    j = n - 1
    while j >= i:
        cur = line(j)
        if is_furniture_line(cur) or not ends_sentence(cur):
            j -= 1
            continue
        header = None
        for h in range(j - 1, max(i, j - MAX_HEADLINES) - 1, -1):
            if _is_list_header(line(h)):
                header = h
                break
            if _word_count(line(h)) > MAX_HEADLINE_WORDS:
                break
        if header is not None and _word_count(cur) <= MAX_HEADLINE_WORDS:
            j = header - 1
            continue
        break
    cut = next((k for k in range(max(j + 1, i), n) if is_furniture_line(line(k))), None)
    last = n - 1
    if cut is not None:
        s = spans[cut][0]
        removed.append((s, len(text), text[s:]))
        last = cut - 1

    if i <= last:
        body_start, body_end = spans[i][0], spans[last][1]
    else:
        body_start = body_end = spans[i][0] if i < n else len(text)
    return Furniture(
        body_start=body_start,
        body_end=body_end,
        body=text[body_start:body_end],
        title=found_title,
        title_span=title_span,
        removed=removed,
    )


# --------------------------------------------------------------------------------------------
# language
# --------------------------------------------------------------------------------------------

# Languages khaldun expects in conflict news about Libya and its neighbours and backers.
# Restricting py3langid to them stops short texts drifting to rare languages.
LANGUAGES: tuple[str, ...] = (
    "en", "ar", "fr", "tr", "ru", "it", "es", "de", "fa", "he", "uk", "pt", "nl", "zh", "ur",
)
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 4000


def _langid_model() -> tuple[Any, ...]:
    """py3langid's model cut down to :data:`LANGUAGES`: the columns ``set_languages`` would keep, the
    DFA unchanged, so its decisions are the same; decompressing the packaged model takes most of a second."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, _load_model_file

    ptc, pc, classes, nextmove, row, output = _load_model_file(MODEL_DIR / MODEL_FILE)
    keep = set(LANGUAGES)
    idx = [i for i, c in enumerate(classes) if c in keep]
    # the DFA as a NumPy array (not array.array): the disk cache maps its 40 MB from the file instead of reading it
    return (np.ascontiguousarray(np.asarray(ptc)[:, idx]), np.asarray(pc)[idx], [classes[i] for i in idx],
            np.frombuffer(nextmove, dtype=np.dtype(nextmove.typecode)), row, np.asarray(output, dtype=np.int32))


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from .cache import cached

    version = getattr(py3langid, "__version__", "")
    ptc, pc, classes, nextmove, row, output = cached(
        "langid", [MODEL_DIR / MODEL_FILE, __file__], _langid_model, extra=f"py3langid {version} {LANGUAGES}")
    # a memoryview, indexed byte by byte as py3langid walks its DFA, gives plain ints as array.array does
    ident = LanguageIdentifier(ptc, pc, classes, memoryview(nextmove).cast("B").cast("I"), output.tolist(), norm_probs=True, tk_row=row)
    ident.set_languages(list(LANGUAGES))
    return ident


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` letters (counting stops at the n-th)."""
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n <= 0:
                return True
    return n <= 0


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, offline, or None when the text is too short.

    Uses py3langid restricted to :data:`LANGUAGES`, on the first few thousand characters.
    Returns None for fewer than ``MIN_LETTERS`` letters, where any guess is noise, and when the
    best language has a normalized probability below ``MIN_CONFIDENCE`` (a list of names such
    as "Haftar LNA GNA Sarraj Misrata" is no language). The model is loaded on first use, from the
    user disk cache (:mod:`khaldun.cache`) once a first run has decompressed it; a call then takes under
    1 ms per article.
    """
    sample = text[:_SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return None
    lang, conf = _identifier().classify(sample)
    return str(lang) if conf >= MIN_CONFIDENCE else None


class OffsetMap:
    """Maps offsets in a derived text (`dst`, e.g. ``Document.text``) back to the text it came from (`src`).

    Identity when both are equal; a whitespace-insensitive index when they differ only in spacing;
    otherwise a character alignment (difflib) of the two texts.
    """

    def __init__(self, src: str, dst: str):
        self.src_len = len(src)
        self.identity = src == dst
        self._ns: tuple[list[int], list[int], int] | None = None
        self._blocks: list[tuple[int, int, int]] = []
        if self.identity:
            return
        src_ns = [i for i, ch in enumerate(src) if not ch.isspace()]
        dst_ns = [i for i, ch in enumerate(dst) if not ch.isspace()]
        src_chars = "".join(src[i] for i in src_ns)
        dst_chars = "".join(dst[i] for i in dst_ns)
        # dst is src with other spacing, possibly with leading/trailing parts removed
        shift = src_chars.find(dst_chars) if dst_chars else -1
        if shift >= 0:
            self._ns = (dst_ns, src_ns, shift)
            return
        matcher = difflib.SequenceMatcher(None, dst, src, autojunk=False)
        self._blocks = [(b.a, b.b, b.size) for b in matcher.get_matching_blocks() if b.size]
        self._block_starts = [a for a, _, _ in self._blocks]

    def pos(self, p: int, side: str = "start") -> int:
        """Source offset of dst offset `p`; off an aligned block, the next (start) or previous (end) one."""
        if self.identity:
            return p
        if self._ns is not None:
            dst_ns, src_ns, shift = self._ns
            if side == "end":
                j = bisect.bisect_left(dst_ns, p) - 1  # last visible char before p
                return src_ns[shift + j] + 1 if j >= 0 else (src_ns[shift] if src_ns else 0)
            j = bisect.bisect_left(dst_ns, p)  # first visible char at or after p
            return src_ns[shift + j] if j < len(dst_ns) else src_ns[shift + len(dst_ns) - 1] + 1
        if not self._blocks:
            return 0
        probe = p - 1 if side == "end" else p
        i = bisect.bisect_right(self._block_starts, probe) - 1
        if i >= 0:
            a, b, size = self._blocks[i]
            if a <= probe < a + size:
                return b + (probe - a) + (1 if side == "end" else 0)
        if side == "end":
            return self._blocks[i][1] + self._blocks[i][2] if i >= 0 else 0
        return self._blocks[i + 1][1] if i + 1 < len(self._blocks) else self.src_len

    def span(self, start: int | None, end: int | None) -> tuple[int, int] | None:
        if start is None or end is None:
            return None
        s, e = self.pos(start, "start"), self.pos(end, "end")
        return (s, e) if e > s else None
