"""Arabic text for matching: normalization that keeps offsets, clitic-aware tokens, sentences.

Normalization is for matching only (the Document keeps the text as written): diacritics, shadda and
tatweel are dropped; alef forms (أ إ آ ٱ) -> ا; alef maqsura ى -> ي; ta marbuta ة -> ه; hamza seats
ؤ -> و, ئ -> ي; Arabic-Indic digits -> ASCII digits. Each token keeps the offsets of its written form.

A token's `keys` are the forms it may stand for once proclitics are split off: the conjunctions و/ف,
the prepositions ب/ل/ك, the future particle س (only before an imperfect prefix), and the article ال
(with ل+ال written لل). The lexicons are written in the same normalized, article-less form, so
"وبالطائرات" offers "طائرات" among its keys, and a key's `prefix` says which clitics were split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lexicon import words as lexicon_words

_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {chr(c) for c in (0x0670, 0x0640, 0x06E1, 0x06ED)}
_CLITIC_PREPS = lexicon_words("arabic", "clitic_preps")  # bi-, li-, ka- glued to a word
_PERSON_PREFIXES = lexicon_words("arabic", "imperfect_person_prefixes")  # after the future sa-
_MAP = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك"}
_MAP.update({chr(0x0660 + i): str(i) for i in range(10)})
_MAP.update({chr(0x06F0 + i): str(i) for i in range(10)})
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
_WORD_RE = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+(?:[.\-][\w\u0640\u064B-\u065F\u0670]+)*")
_SENT_END = re.compile(r"(?<=[.!?؟])[\"'»”)]*\s+|\n\s*\n|\n(?=\S)")


def norm(text: str) -> str:
    """The matching form of an Arabic string (no offsets)."""
    return "".join(_MAP.get(c, c) for c in text if c not in _DROP).lower()


def norm_key(text: str) -> str:
    """A lexicon key: normalized words, each without its article, single spaces."""
    return " ".join(strip_article(w) for w in norm(text).split())


def strip_article(w: str) -> str:
    if w.startswith("ال") and len(w) > 3:
        return w[2:]
    return w


@dataclass
class Key:
    form: str  # normalized form without the split clitics
    prefix: str  # the clitics split off, in order ("و", "ب", "ال", "س" ...)


@dataclass
class Token:
    text: str  # as written
    start: int
    end: int
    norm: str  # normalized full form
    i: int = 0
    keys: list[Key] = field(default_factory=list)

    def forms(self) -> set[str]:
        return {k.form for k in self.keys}

    def has_prefix(self, clitic: str) -> bool:
        """Some reading of the token splits off `clitic` (and the base is longer than 1 letter)."""
        return any(clitic in k.prefix for k in self.keys)


def _keys(w: str) -> list[Key]:
    """Readings of a normalized word: the word itself and the word with proclitics split off."""
    out: list[Key] = [Key(w, "")]
    seen = {w}

    def add(form: str, prefix: str) -> None:
        if len(form) >= 2 and form not in seen:
            seen.add(form)
            out.append(Key(form, prefix))

    conj = [("", w)]
    if w[:1] in ("و", "ف") and len(w) > 3:
        conj.append((w[0], w[1:]))
    for c, rest in conj:
        preps = [("", rest)]
        if rest[:1] in _CLITIC_PREPS and len(rest) > 3:
            preps.append((rest[0], rest[1:]))
        if rest.startswith("لل") and len(rest) > 4:
            preps.append(("لال", rest[2:]))  # li- + al-: "للجيش"
        if rest[:1] == "س" and rest[1:2] in _PERSON_PREFIXES and len(rest) > 4:
            preps.append(("س", rest[1:]))  # future sa- on an imperfect
        for p, base in preps:
            add(base, c + p)
            if p != "لال" and base.startswith("ال") and len(base) > 3:
                add(base[2:], c + p + "ال")
    return out


def tokenize(text: str) -> list[Token]:
    """Words of `text` (Arabic or Latin), offsets into `text`, with their clitic readings."""
    toks: list[Token] = []
    for m in _WORD_RE.finditer(text):
        n = norm(m.group())
        if not n:
            continue
        t = Token(text=m.group(), start=m.start(), end=m.end(), norm=n, i=len(toks))
        t.keys = _keys(n)
        toks.append(t)
    return toks


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`: split at . ! ? ؟ followed by space, and at line breaks."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        _add_span(text, pos, m.start(), spans)
        pos = m.end()
    _add_span(text, pos, len(text), spans)
    return spans


def _add_span(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


def is_arabic(text: str, share: float = 0.3) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if ARABIC_RE.match(c)) / len(letters) >= share
