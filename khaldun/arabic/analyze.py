"""The Arabic analysis engine: sentences -> reporting frames -> triggers -> roles over Arabic word order
(verb-subject-object and subject-verb-object) -> factuality -> contract Claims; merge and embargo as in English.

Generic code; every word it looks for is in khaldun/data/arabic (triggers.tsv, cues.yaml, actors.tsv, agents.tsv).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from ..lexicon import ordered as lexicon_ordered
from ..lexicon import words as lexicon_words
from ..materiel import find_materiel
from ..models import (
    Actor,
    AidType,
    Attribution,
    Claim,
    Document,
    Event,
    Evidence,
    Factuality,
    Materiel,
    Mention,
    Passage,
    Place,
    Quote,
    Source,
    Span,
    Via,
    When,
)
from . import lexicon as L
from .dates import find_dates
from .mentions import AMention, extra_materiel, find
from .mentions import places as find_places
from .text import Token, norm_key, sentences, tokenize

_THIRD_PERSON = lexicon_ordered("arabic", "third_person_suffixes")
AID_TYPES = frozenset(get_args(AidType))
CLAUSE_PUNCT = set("،,;؛:()«»\"“”")
PREPS = {"الي": "recipient", "لصالح": "recipient", "من": "source", "علي": "target", "ضد": "target",
         "في": "in", "عن": "about", "مع": "with", "بين": "in", "داخل": "in", "قرب": "in", "نحو": "recipient"}


@dataclass
class Frame:
    kind: str  # say | deny | allege | accuse | prep
    cue: Token
    speaker: AMention | None
    content: tuple[int, int]  # token indices [a, b) of the reported words
    via: list[Via] = field(default_factory=list)
    accused: AMention | None = None
    sentence: int = 0
    direct: bool = False  # no complementizer: "أعلن الجيش إسقاط ..." announces the speaker's own act
    pronoun: bool = False  # "أنه"/"إنها": the complementizer carries the speaker as the subject of the content


@dataclass
class Ctx:
    text: str
    toks: list[Token]
    ments: list[AMention]
    by_tok: dict[int, AMention]
    materiel: list[Materiel]
    places: list[Place]
    dates: list[tuple[int, int, When]]
    published: date | None
    registry: Any
    last_speaker: AMention | None = None
    frames: list[Frame] = field(default_factory=list)
    title_key: str = ""


def _tok_prep(ctx: Ctx, m: AMention) -> str | None:
    """The role a preposition gives a mention: a clitic on its first word (bi-, li-) or the word before it."""
    if "ل" in m.prefix.replace("ال", ""):
        return "recipient"
    if "ب" in m.prefix:
        return "by"
    if m.i > 0:
        prev = ctx.toks[m.i - 1]
        if prev.norm in L.word_set_raw("alongside"):
            return "with"  # "إلى جانب X": X fights on the same side
        if not _break_between(ctx, prev, ctx.toks[m.i]):
            for f in prev.forms() | {prev.norm}:
                if f in PREPS:
                    return PREPS[f]
    return None


def _break_between(ctx: Ctx, a: Token, b: Token) -> bool:
    return any(c in CLAUSE_PUNCT or c in ".!?؟\n" for c in ctx.text[a.end:b.start])


def _clause(ctx: Ctx, k: int, lo: int, hi: int, noun: bool = False) -> tuple[int, int]:
    """Token range of the clause around token k within [lo, hi); a noun keeps the relative clause after it."""
    words = L.word_set_raw("clause_words")
    if noun:
        words = words - L.word_set_raw("relatives")
    a = k
    while a > lo and not _break_between(ctx, ctx.toks[a - 1], ctx.toks[a]) and ctx.toks[a - 1].norm not in words:
        a -= 1
    b = k + 1
    while b < hi and not _break_between(ctx, ctx.toks[b - 1], ctx.toks[b]) and ctx.toks[b].norm not in words:
        b += 1
    return a, b


def _ments_in(ctx: Ctx, a: int, b: int) -> list[AMention]:
    return [m for m in ctx.ments if a <= m.i < b]


def _is_party(m: AMention) -> bool:
    return m.kind != "media" and (m.actor is not None or m.kind == "adj")


def _actor_of(ctx: Ctx, m: AMention) -> Actor | None:
    owner = getattr(m, "owner", None)
    if owner is not None and m.kind == "agent" and m.actor is not None and m.actor.kind == "person":
        return owner.model_copy(update=dict(why=f"'{m.text}' speaks for {owner.id or owner.text}"))
    if m.actor is not None:
        return m.actor
    if m.kind == "adj" and m.country:
        entry = ctx.registry.get(m.country)
        if entry is not None:
            a = ctx.registry.to_actor(entry, m.text, on=ctx.published, start=m.start, end=m.end)
            a.why = f"Arabic demonym '{m.text}' -> {m.country}"
            return a
    return None


# --------------------------------------------------------------------------- reporting frames


def _frames(ctx: Ctx, a: int, b: int, si: int) -> list[Frame]:
    verbs = L.cue_verbs()
    comps = L.word_set("complementizers")
    out: list[Frame] = []
    k = a
    while k < b:
        t = ctx.toks[k]
        kind = next((verbs[key.form] for key in t.keys if key.form in verbs and not set(key.prefix) & set("بلا")),
                    None)
        inside = any(f.content[0] <= k < f.content[1] for f in out) and _trigger_at(ctx, k) is not None
        if kind is not None and k not in ctx.by_tok and not inside:
            out.append(_verb_frame(ctx, k, a, b, kind, comps, si))
        else:
            fr = _prep_frame(ctx, k, a, b, si)
            if fr is not None:
                out.append(fr)
        k += 1
    return out


def _verb_frame(ctx: Ctx, k: int, a: int, b: int, kind: str, comps: frozenset[str], si: int) -> Frame:
    t = ctx.toks[k]
    comp = next((j for j in range(k + 1, min(b, k + 14)) if ctx.toks[j].norm in comps
                 or ctx.toks[j].forms() & comps and ctx.toks[j].norm[:1] in "اب"), None)
    after = [m for m in _ments_in(ctx, k + 1, comp if comp is not None else min(b, k + 8))
             if m.kind != "adj" and _tok_prep(ctx, m) is None]
    before = [m for m in _ments_in(ctx, max(a, k - 6), k) if m.kind != "adj" and _tok_prep(ctx, m) is None
              and m.j == k]
    speaker = after[0] if after else (before[-1] if before else None)
    if speaker is not None:
        speaker = _apposed_name(ctx, speaker, b, comps)
    accused = None
    if kind == "accuse" and speaker is not None:
        rest = [m for m in _ments_in(ctx, speaker.j, b) if _is_party(m)]
        accused = rest[0] if rest else None
    if speaker is not None and speaker.kind == "media":
        src = _about_source(ctx, speaker.j, b)
        via = [Via(name=speaker.text, kind="outlet")]
        if src is not None:
            speaker = src
    else:
        via = []
    if speaker is None and kind == "say" and (t.has_prefix("و") or t.has_prefix("ف")):
        speaker = ctx.last_speaker  # "wa-adafa": the speaker of the previous sentences goes on
    if speaker is not None and speaker.kind != "media":
        ctx.last_speaker = speaker
    if comp is not None:
        content = (comp + 1, b)
    elif k - a >= 3:  # «...»، قال X: the cue follows the words
        content = (a, k)
    elif k - a <= 1 or (speaker is not None and speaker.i > k):
        content = ((speaker.j if speaker is not None and speaker.i > k else k + 1), b)
    else:
        content = (a, k)
    pron = comp is not None and ctx.toks[comp].norm.endswith(_THIRD_PERSON) and len(ctx.toks[comp].norm) >= 3
    return Frame(kind, t, speaker, content, via, accused, si, direct=comp is None and speaker is not None
                 and speaker.i > k, pronoun=pron)


def _apposed_name(ctx: Ctx, m: AMention, b: int, comps: frozenset[str]) -> AMention:
    """"خبير الدفاع، فلان الفلاني، إن ...": an unnamed title followed by a name between commas is that person."""
    if m.kind != "agent" or m.actor is None or m.actor.id or m.actor.kind != "person" or m.j >= b:
        return m
    def comma(x: int) -> bool:  # a comma between token x - 1 and token x
        return any(c in "،," for c in ctx.text[ctx.toks[x - 1].end:ctx.toks[x].start])

    first = next((x for x in range(m.j, min(b, m.j + 3)) if comma(x)), None)  # "خبير عسكري، ..."
    if first is None or any(x in ctx.by_tok for x in range(m.j, first)):
        return m
    j = first
    while j < b and j - first < 4 and not (j > first and _break_between(ctx, ctx.toks[j - 1], ctx.toks[j])):
        if j in ctx.by_tok or ctx.toks[j].norm in comps or not ctx.toks[j].norm.isalpha():
            return m
        j += 1
    if j == first or j >= b or not comma(j):
        return m
    text = ctx.text[m.start:ctx.toks[j - 1].end]
    actor = m.actor.model_copy(update=dict(text=text, end=ctx.toks[j - 1].end, why=m.actor.why + "; named in apposition"))
    out = AMention(m.i, j, m.start, ctx.toks[j - 1].end, text, actor, m.kind, m.prefix, country=m.country)
    out.owner = getattr(m, "owner", None)  # type: ignore[attr-defined]
    return out


def _about_source(ctx: Ctx, j: int, b: int) -> AMention | None:
    """"X reported, citing Y" ("naqalat X 'an Y"): Y."""
    for k in range(j, min(b, j + 3)):
        if ctx.toks[k].norm == "عن" and k + 1 in ctx.by_tok:
            return ctx.by_tok[k + 1]
    return None


def _prep_frame(ctx: Ctx, k: int, a: int, b: int, si: int) -> Frame | None:
    t = ctx.toks[k]
    for phrase in L.phrase_set("source_preps"):
        n = len(phrase)
        if phrase == ("عن",):
            continue
        toks = ctx.toks[k:k + n]
        if len(toks) < n:
            continue
        ok = all((phrase[x] in toks[x].forms() or phrase[x] == toks[x].norm) for x in range(n))
        last_li = phrase[-1] in ("ل",)
        if not ok and n >= 2 and phrase[-1] == "ل":
            ok = all(phrase[x] in toks[x].forms() for x in range(n - 1))
            last_li = True
            n -= 1
        if not ok:
            continue
        nxt = k + n
        m = ctx.by_tok.get(nxt)
        if m is None and nxt < len(ctx.toks) and nxt + 1 in ctx.by_tok and ctx.toks[nxt].norm in ("ما",):
            m = ctx.by_tok[nxt + 1]
        if m is None or m.kind == "adj":
            return None
        via: list[Via] = []
        speaker = m
        if m.kind == "media":
            via = [Via(name=m.text, kind="outlet")]
            speaker = _about_source(ctx, m.j, b) or m
        del last_li
        content = (a, k) if k - a > 2 else (m.j, b)
        return Frame("prep", t, speaker, content, via, None, si)
    return None


def _vias(ctx: Ctx, a: int, b: int, frames: list[Frame]) -> list[Via]:
    """The channels of a reported sentence: outlets named after a channel noun ("في مقابلة مع قناة X"), a reporting
    word ("وفق ما نقل موقع X", "لوكالة X"), and outlet nouns with their names ("صحيفة "Y""). Nearest first."""
    if not frames:
        return []
    outlets = L.word_set("outlet_nouns")
    speakers = {id(f.speaker) for f in frames if f.speaker is not None}
    out: list[Via] = []
    k = a
    while k < b:
        m = ctx.by_tok.get(k)
        if m is not None and m.kind == "media" and id(m) not in speakers:
            out.append(Via(name=m.text, kind="outlet"))
            k = m.j
            continue
        if ctx.toks[k].forms() & outlets and k + 1 < b and not _covered(ctx, k):
            j = k
            while j + 1 < b and ctx.toks[j + 1].forms() & outlets:
                j += 1  # "موقع قناة X": the channel is the name
            e = ctx.toks[min(j + 1, b - 1)].end
            if j + 2 < b and not _break_between(ctx, ctx.toks[j + 1], ctx.toks[j + 2]) and (
                    ctx.toks[j + 2].norm.isdigit() or ctx.toks[j + 2].norm in L.word_set_raw("outlet_tails")):
                e = ctx.toks[j + 2].end
            s = ctx.toks[j].start + (1 if ctx.toks[j].norm[:1] == "ل" and ctx.toks[j].has_prefix("ل") else 0)
            name = ctx.text[s:e].replace('"', "").replace("«", "").replace("»", "").strip()
            if all(v.name != name for v in out):
                out.append(Via(name=name, kind="outlet"))
            k = j + 2
            continue
        k += 1
    return out


# --------------------------------------------------------------------------- triggers and roles


def _trigger_at(ctx: Ctx, k: int) -> tuple[L.Trigger, int, str] | None:
    """(trigger, end token, matched form) at token k."""
    single, multi = L.triggers()
    t = ctx.toks[k]
    for first in t.forms():
        for words, tr in multi.get(first, []):
            n = len(words)
            if k + n <= len(ctx.toks) and all(words[x] in ctx.toks[k + x].forms() for x in range(1, n)):
                return tr, k + n, first
    for key in t.keys:
        trs = single.get(key.form)
        if trs:
            return trs[0], k + 1, key.form
    return None


def _in_span(items: list[Any], s: int, e: int) -> bool:
    return any(x.start is not None and x.start < e and s < (x.end or 0) for x in items)


def _roles(ctx: Ctx, tr: L.Trigger, k: int, a: int, b: int, fr: Frame | None) -> dict[str, list[AMention]]:
    """Participants of the trigger at token k in clause [a, b): subject (VSO after the verb, SVO before it),
    objects by their prepositions."""
    roles: dict[str, list[AMention]] = {"actors": [], "recipients": [], "funders": [], "source": []}
    if tr.roles == "none":
        return roles
    after = [m for m in _ments_in(ctx, k + 1, b) if _is_party(m)]
    before = [m for m in _ments_in(ctx, a, k) if _is_party(m) and m.j <= k]
    speakers = {id(f.speaker) for f in ctx.frames if f.speaker is not None}
    before = [m for m in before if id(m) not in speakers]
    after = [m for m in after if id(m) not in speakers]
    if fr is not None:
        before = [m for m in before if m.i >= fr.content[0] or fr.content[0] > k]
    funder_words = L.word_set("funder_words")
    subj: AMention | None = None
    rest: list[AMention] = []
    svo = [m for m in before if _tok_prep(ctx, m) is None and (tr.pos != "n" or _light(ctx, m.j, k) and not any(
        (h := _trigger_at(ctx, x)) is not None and h[0].pos != "n" for x in range(a, m.i)))]
    for n, m in enumerate(after):
        prep = _tok_prep(ctx, m)
        if k > 0 and m.i > 0 and ctx.toks[m.i - 1].forms() & funder_words or m.i > 0 and ctx.toks[m.i - 1].norm in \
                funder_words:
            roles["funders"].append(m)
            continue
        if subj is None and not svo and n == 0 and prep is None and m.i - k <= 3 and (tr.pos != "n" or m.i == k + 1) \
                and tr.roles != "patient":
            subj = m
            continue
        rest.append(m)
    undergo = bool(svo) and tr.type in lexicon_words("arabic", "undergo_types") and any(
        t.forms() & L.undergo_verbs() for t in ctx.toks[svo[-1].j:k])
    if fr is not None and fr.pronoun and k == fr.content[0] and fr.speaker is not None and _is_party(fr.speaker):
        subj, svo = fr.speaker, []  # "أكدت X أنها اعترضت ...": X did it
        rest = [m for m in rest if m is not subj]
    if subj is None and svo and undergo:  # "X تلقت ضربات من Y": X is hit, Y strikes
        roles["recipients"].append(svo[-1])
        src = [m for m in after if _tok_prep(ctx, m) == "source"]
        if src:
            subj = src[0]
            after = [m for m in after if m is not src[0]]
        svo = []
        rest = [m for m in rest if m is not subj]
    if subj is None and svo:
        subj = svo[-1]
    if subj is None and tr.pos == "n":  # "الدعم الذي تقدمه X": the subject of the relative clause
        rel = L.word_set_raw("relatives")
        for m in rest:
            if _tok_prep(ctx, m) is None and m.kind != "adj" and any(
                    ctx.toks[x].norm in rel for x in range(k + 1, m.i)) and m.i - k <= 5:
                subj = m
                rest.remove(m)
                break
    if subj is None and fr is not None and fr.accused is not None and fr.accused.i < k:
        subj = fr.accused
    if subj is None and fr is not None and fr.speaker is not None and _is_party(fr.speaker) and (
            fr.kind == "deny" or fr.direct and tr.pos == "n" and not ctx.toks[k].has_prefix("ب")
            or fr.pronoun and fr.content[0] <= k):
        subj = fr.speaker  # "X denied sending arms": X's own (denied) action
    recv = tr.roles == "recv"
    if subj is not None:
        roles["recipients" if recv else "actors"].append(subj)
    _object_roles(ctx, tr, rest, roles, recv)
    if not roles["actors"] and tr.detail == "training":  # "trained in X": X's instructors
        where = [m for m in rest if _tok_prep(ctx, m) == "in" and m.actor is not None and m.actor.kind == "state"]
        roles["actors"] = where[:1]
    if not roles["actors"] and roles["source"] and tr.type in ("AID", "ASSAULT"):  # "from X": the sender, the firer
        roles["actors"] = roles["source"][:1]
    roles["recipients"] = [m for m in roles["recipients"] if m not in roles["actors"]
                           and not (m.actor is not None and m.actor.sector == "UAF" and not m.actor.id)]
    if tr.roles == "patient":  # "مقتل X على يد Y": Y is the attacker
        by = [m for m in roles["recipients"] if m.i >= 2 and ctx.toks[m.i - 1].norm == "يد"]
        if by and not roles["actors"]:
            roles["actors"] = by[:1]
            roles["recipients"] = [m for m in roles["recipients"] if m is not by[0]]
    for key in ("actors", "recipients"):
        specific = [m for m in roles[key] if m.kind == "adj" or m.actor is not None and (m.actor.id or m.actor.country)]
        roles[key] = specific or roles[key][:1]  # generic nouns ("القوات") only when nothing named, and one
    return roles


def _object_roles(ctx: Ctx, tr: L.Trigger, rest: list[AMention], roles: dict[str, list[AMention]], recv: bool) -> None:
    """The mentions after the verb that are not its subject, by their prepositions."""
    for m in rest:
        prep = _tok_prep(ctx, m)
        if m.kind == "adj" and prep is None:  # "أسلحة إيرانية": the origin of goods, the side of a target
            if tr.type == "AID" and not roles["actors"] and not recv:
                roles["actors"].append(m)
            elif tr.type == "ASSAULT":
                roles["recipients"].append(m)
            continue
        if prep == "source":
            roles["actors" if recv else "source"].append(m)
        elif prep in ("recipient", "target") or prep is None and m.kind != "adj":
            if not recv and m not in roles["actors"]:
                roles["recipients"].append(m)
        elif prep == "by" and tr.type == "AID" and not recv and not roles["recipients"] and m.kind != "adj":
            continue


def _light(ctx: Ctx, j: int, k: int) -> bool:
    """Only a light verb and prepositions stand between a subject ending at token j and the noun at k
    ("X يشارك في القتال", "X نفذ هجوما")."""
    light = L.light_verbs()
    between = ctx.toks[j:k]
    return len(between) <= 3 and all(t.norm in lexicon_words("arabic", "light_verb_preps") or t.forms() & (light | L.undergo_verbs())
                                     for t in between)


def _factuality(ctx: Ctx, k: int, a: int, form: str, tr: L.Trigger, fr: Frame | None) -> tuple[Factuality, bool]:
    """Factuality of the trigger at token k (clause from token a); the bool says the event is hypothetical."""
    t = ctx.toks[k]
    c = L.cues()
    hedges = {norm_key(w): lvl for lvl, ws in c["hedges"].items() for w in ws}
    neg = L.word_set("negation")
    fut = L.word_set("future")
    cond = L.word_set("conditional")
    cues: list[str] = []
    tense = "past"
    key = next((x for x in t.keys if x.form == form), t.keys[0])
    imperfect = tr.pos in ("v", "vi") and form[:1] in "يتنا" and not form.startswith(tr.form[:2])
    if "س" in key.prefix:
        tense = "future"
        cues.append(t.text)
    elif imperfect:
        tense = "present"
    window = ctx.toks[max(a, k - 4):k]
    if fr is not None and fr.content[0] <= k:
        window = ctx.toks[max(0, fr.content[0] - 1, k - 5):k]
    polarity = "positive"
    certainty = "certain"
    hypothetical = False
    for w in window:
        f = w.forms() | {w.norm}
        if f & neg and w.norm in neg:
            polarity = "negative"
            cues.append(w.text)
            if w.norm == "لن":
                tense = "future"
        if f & fut or any(x.prefix.endswith("س") for x in w.keys if x.form[:1] in "يتن" and len(x.form) > 3):
            tense = "future"
            cues.append(w.text)
        lvl = next((hedges[x] for x in f if x in hedges), None)
        if lvl is not None and (w.norm != "قد" or imperfect):
            certainty = lvl if certainty == "certain" or lvl == "possible" else certainty
            cues.append(w.text)
        if f & cond:
            hypothetical = True
    fut_after = L.word_set_raw("future_after")  # with their article: "القادمة" (next), not "قادمة" (coming)
    if tense != "future" and any(w.norm in fut_after for w in ctx.toks[k + 1:k + 12]):
        tense = "future"
    if fr is not None and fr.kind == "deny":
        polarity = "negative"
        cues.append(fr.cue.text)
    elif fr is not None and fr.kind == "allege":
        certainty = "possible"
        cues.append(fr.cue.text)
    if fr is not None and fr.cue.i < k:
        rank = {"certain": 2, "probable": 1, "possible": 0}
        for w in ctx.toks[fr.cue.i:k]:
            lvl = next((hedges[x] for x in w.forms() if x in hedges), None)
            if lvl is not None and w.norm != "قد" and rank[lvl] < rank[certainty]:
                certainty = lvl  # the weakest hedge wins
    return Factuality(certainty=certainty, polarity=polarity, tense=tense, cues=cues), hypothetical  # type: ignore


def _claims_of_sentence(ctx: Ctx, a: int, b: int, si: int, s: int, e: int, quotes: list[Quote]) -> list[Claim]:
    text = ctx.text
    if text[s:e].rstrip().endswith(L.cues().get("question_end", "؟")):
        return []
    if ctx.title_key and norm_key(text[s:e]) and norm_key(text[s:e]) in ctx.title_key:
        return []  # the headline repeated in the body (page furniture), not a new report
    frames = _frames(ctx, a, b, si)
    ctx.frames = frames
    vias = _vias(ctx, a, b, frames)
    for fr in frames:
        if fr.content[1] > fr.content[0]:
            cs, ce = ctx.toks[fr.content[0]].start, ctx.toks[fr.content[1] - 1].end
            sp = fr.speaker.actor if fr.speaker is not None else None
            quotes.append(Quote(speaker=sp, speaker_span=Span(start=fr.speaker.start, end=fr.speaker.end)
                                if fr.speaker is not None else None,
                                cue=Passage(text=fr.cue.text, start=fr.cue.start, end=fr.cue.end, sentence=si),
                                content=Passage(text=text[cs:ce], start=cs, end=ce, sentence=si),
                                quote="direct" if any(q in text[cs:ce] for q in "«\"“") else "indirect",
                                via=fr.via + [v for v in vias if v not in fr.via]))
    cue_toks = {fr.cue.i for fr in frames if fr.kind != "accuse"}
    out: list[Claim] = []
    k = a
    while k < b:
        if k in cue_toks or _covered(ctx, k):
            k += 1
            continue
        hit = _trigger_at(ctx, k)
        if hit is None:
            k += 1
            continue
        tr, kend, form = hit
        nxt = _trigger_at(ctx, kend) if kend < b and tr.roles == "recv" else None
        if nxt is not None or k > a and ctx.toks[k - 1].norm in L.word_set_raw("blockers"):
            k = kend
            continue
        t0, t1 = ctx.toks[k], ctx.toks[kend - 1]
        fr = _frame_for(frames, k)
        claim = _claim(ctx, tr, k, kend, form, a, b, si, s, e, fr, vias)
        if claim is not None:
            out.append(claim)
        del t0, t1
        k = kend
    # "X accused Y of ..." with no event inside: the accusation itself
    for fr in frames:
        if fr.kind == "accuse" and fr.speaker is not None and not any(
                c.event.trigger_start is not None and c.event.trigger_start > fr.cue.start and c.event.type != "ACCUSE"
                for c in out):
            pass
    if not any(c.event.type == "PROTEST" for c in out):
        out.extend(_protester_events(ctx, a, b, si, s, e, vias))
    if any(c.event.type != "ACCUSE" for c in out):
        out = [c for c in out if not (c.event.type == "ACCUSE" and any(
            fr.kind == "accuse" and fr.cue.start == c.event.trigger_start for fr in frames))]
    return out


def _protester_events(ctx: Ctx, a: int, b: int, si: int, s: int, e: int, vias: list[Via]) -> list[Claim]:
    """"وحمل المتظاهرون ...": protesters acting are a protest, whatever verb the sentence uses."""
    protesters = {w.strip() for w in L.cues().get("protester_agents", [])}
    for m in _ments_in(ctx, a, b):
        if m.actor is None or m.kind != "agent" or not any(w in (m.actor.why or "") for w in protesters) or \
                _tok_prep(ctx, m) is not None or m.i > a and ctx.toks[m.i - 1].norm in L.word_set_raw("victims"):
            continue  # protesters in a prepositional phrase ("fired on protesters") are not protesting here
        tr = L.Trigger(form=m.text, pos="n", type="PROTEST", detail=None, roles="agent", needs="-", source="khaldun")
        c = _claim(ctx, tr, m.i, m.j, ctx.toks[m.i].keys[0].form, a, b, si, s, e, _frame_for(ctx.frames, m.i), vias)
        if c is not None:
            c.actors = [m.actor] + [x for x in c.actors if x is not m.actor and x.country]
            return [c]
    return []


def _covered(ctx: Ctx, k: int) -> bool:
    """Token k lies inside an actor name ("الدعم السريع") or materiel phrase ("طائرات الشحن")."""
    t = ctx.toks[k]
    for m in ctx.ments:
        if m.i <= k < m.j:
            return True
    return any(x.start is not None and x.start < t.end and t.start < (x.end or 0) and x.start < t.start
               for x in ctx.materiel)


def _frame_for(frames: list[Frame], k: int) -> Frame | None:
    acc = [fr for fr in frames if fr.kind == "accuse" and fr.cue.i < k]
    if acc:
        fr = acc[-1]
        for other in frames:
            if other is not fr and other.speaker is not None and other.speaker.kind == "media":
                fr.via = fr.via + [v for v in other.via if v not in fr.via]
        return fr
    for fr in frames:
        if fr.content[0] <= k < fr.content[1] and fr.kind != "accuse":
            return fr
    return None


def _claim(ctx: Ctx, tr: L.Trigger, k: int, kend: int, form: str, a: int, b: int, si: int, s: int, e: int,
           fr: Frame | None, vias: list[Via]) -> Claim | None:
    ca, cb = _clause(ctx, k, fr.content[0] if fr is not None and fr.content[0] <= k else a, b, noun=tr.pos == "n")
    roles = _roles(ctx, tr, k, ca, cb, fr)
    t0 = ctx.toks[k]
    ms, me = ctx.toks[ca].start, ctx.toks[b - 1].end
    materiel = [m for m in ctx.materiel if m.start is not None and ms <= m.start < me]
    actors = [x for x in (_actor_of(ctx, m) for m in roles["actors"]) if x is not None]
    recipients = [x for x in (_actor_of(ctx, m) for m in roles["recipients"]) if x is not None]
    funders = [x for x in (_actor_of(ctx, m) for m in roles["funders"]) if x is not None]
    if tr.type == "AID" and not actors:
        origin = [m for m in ctx.ments if m.kind == "adj" and any(x.end == m.start - 1 or x.end == m.start
                                                                   for x in materiel)]
        actors = [x for x in (_actor_of(ctx, m) for m in origin[:1]) if x is not None]
        recipients = [x for x in recipients if (x.start, x.end) not in {(y.start, y.end) for y in actors}]
    troops = not materiel and tr.type == "AID" and any(
        m.kind == "agent" and m.actor is not None and m.actor.sector in ("MIL", "UAF") and not m.actor.id
        and m.i > k for m in _ments_in(ctx, ca, cb))
    if tr.needs == "materiel" and not materiel and not troops:
        return None
    if tr.needs == "party" and not (actors or recipients):
        return None
    fact, hypothetical = _factuality(ctx, k, ca, form, tr, fr)
    if hypothetical:
        return None
    why: dict[str, str] = {"event": f"Arabic trigger '{t0.text}' ({tr.source} lexicon)"}
    etype = tr.type
    speaker = fr.speaker.actor if fr is not None and fr.speaker is not None and fr.kind != "accuse" or \
        fr is not None and fr.kind == "accuse" and fr.speaker is not None else None
    if fr is not None and fr.kind == "accuse" and fr.speaker is not None:
        speaker = fr.speaker.actor
    via = (fr.via if fr is not None else []) + [v for v in vias if fr is not None and v not in fr.via]
    if tr.detail == "intercept" and {m.category for m in materiel} & lexicon_words("arabic", "interceptable_categories"):
        etype = "ASSAULT"  # intercepting a missile or a drone is shooting it down
        why["event"] += "; what was intercepted is a missile, drone or aircraft -> ASSAULT"
    etype = _intent(etype, fact, speaker, actors, why)
    mode = tr.detail if etype not in ("AID", "AGREE") and tr.detail != "intercept" else None
    aid = tr.detail if etype in ("AID", "AGREE") and tr.detail in AID_TYPES else None
    if etype in ("AID", "AGREE") and (troops or any(m.category == "mercenaries" for m in materiel)):
        aid = "personnel"
    when = _when_for(ctx, ca, cb, s, e)
    location = _location(ctx, k, ca, cb, s, e, actors + recipients)
    if not (actors or recipients or materiel or funders or location or when.date or _concrete(ctx, ca, cb)) and \
            tr.type not in ("COERCE", "PROTEST"):
        return None  # no party, materiel, place or date: nothing an analyst could use (seizures may be agentless)
    if etype == "PROTEST":
        _protest_sides(ctx, a, b, actors, recipients, why)
    if etype == "ASSAULT" and not any(x.country for x in recipients):
        target = _place_target(ctx, ca, cb, actors)
        if target is not None:
            recipients.append(target)
            why["recipients"] = f"no named target: the people of the place attacked ('{target.text}')"
    te = ctx.toks[kend - 1].end
    attribution = Attribution(speaker=speaker, cue=fr.cue.text if fr is not None else None,
                              quote="indirect" if fr is not None else "none", via=via,
                              speaker_affiliation=getattr(fr.speaker, "owner", None) if fr and fr.speaker else None,
                              speaker_role=None)
    return Claim(id="", event=Event(type=etype, mode=mode, aid_type=aid, trigger=ctx.text[t0.start:te],  # type: ignore
                                    trigger_start=t0.start, trigger_end=te),
                 actors=actors, recipients=recipients, funders=funders, materiel=materiel, location=location,
                 when=when, factuality=fact, attribution=attribution,
                 evidence=Evidence(text=ctx.text[s:e], start=s, end=e, sentence=si), why=why)


def _state_places(ctx: Ctx) -> None:
    """"في القاهرة", "ببغداد": a state's name or capital after "in" is also the place of the clause."""
    for m in ctx.ments:
        if m.actor is None or m.actor.kind != "state" or _tok_prep(ctx, m) not in ("in", "by"):
            continue
        # a state's capital beats a namesake village of the gazetteer ("القاهرة")
        ctx.places[:] = [p for p in ctx.places if not (p.start is not None and p.start < m.end and m.start < (p.end or 0))]
        ctx.places.append(Place(text=m.text, name=m.actor.name, kind="city" if m.actor.why and "capital" in
                                (m.actor.why or "") else "country", country=m.actor.country, start=m.start, end=m.end))
    ctx.places.sort(key=lambda p: p.start or 0)


def _concrete(ctx: Ctx, ca: int, cb: int) -> bool:
    """The clause names victims or a place ("قتل 5 مدنيين", "في بلدة X"): a concrete event, whoever did it."""
    victims = L.word_set_raw("victims") | L.word_set("victims")
    heads = L.word_set("place_heads")
    return any(t.norm in victims or t.forms() & (victims | heads) for t in ctx.toks[ca:cb])


def _protest_sides(ctx: Ctx, ca: int, cb: int, actors: list[Actor], recipients: list[Actor],
                   why: dict[str, str]) -> None:
    """Protesters with no stated nationality are people of the place they march in, and a protest with no named
    target addresses the authorities of that place (the default target in PLOVER coding)."""
    cs, ce = ctx.toks[ca].start, ctx.toks[cb - 1].end
    here = next((p for p in ctx.places if p.start is not None and cs <= p.start < ce and p.country), None)
    if here is None:
        return
    if not any(a.country for a in actors):
        actors.append(Actor(text=here.text, country=here.country, kind="unknown", start=here.start, end=here.end,
                            why=f"protesters in {here.name}"))
        why["actors"] = f"protesters of the place ('{here.text}')"
    if not any(r.country for r in recipients):
        recipients.append(Actor(text=here.text, country=here.country, kind="unknown", sector="GOV",
                                start=here.start, end=here.end, why=f"authorities of {here.name}"))
        why["recipients"] = f"no named target: the authorities of the place ('{here.text}')"


def _place_target(ctx: Ctx, ca: int, cb: int, actors: list[Actor]) -> Actor | None:
    """The country of the (non-country) place an attack with no named target hit, when it is not the attacker's."""
    cs, ce = ctx.toks[ca].start, ctx.toks[cb - 1].end
    mine = {a.country for a in actors}
    for p in ctx.places:
        if p.start is not None and cs <= p.start < ce and p.country and p.country not in mine and (
                p.kind != "country" or not mine):
            return Actor(text=p.text, country=p.country, kind="unknown", start=p.start, end=p.end,
                         why=f"place of the attack ({p.name}, {p.country})")
    return None


def _intent(etype: str, fact: Factuality, speaker: Actor | None, actors: list[Actor], why: dict[str, str]) -> str:
    """As in English (PLOVER): a side's own future action is intent (AGREE) or a threat; its refusal a REJECT."""
    from ..stages.retype import INTENT_TYPES, THREAT_TYPES, _own_side

    if fact.tense != "future" or not _own_side(speaker, actors):
        return etype
    if fact.polarity == "negative" and etype in INTENT_TYPES | {"AGREE", "AID"}:
        why["event"] += "; own side will not -> REJECT"
        fact.polarity = "positive"
        return "REJECT"
    if fact.polarity == "positive" and etype in INTENT_TYPES | {"AID"}:
        why["event"] += "; future, announced by its own side -> AGREE"
        return "AGREE"
    if fact.polarity == "positive" and etype in THREAT_TYPES:
        return "THREATEN"
    return etype


def _when_for(ctx: Ctx, ca: int, cb: int, s: int, e: int) -> When:
    cs, ce = ctx.toks[ca].start, ctx.toks[cb - 1].end
    inside = [w for (ds, de, w) in ctx.dates if cs <= ds < ce] or [w for (ds, de, w) in ctx.dates if s <= ds < e]
    return inside[0] if inside else When()


def _location(ctx: Ctx, k: int, ca: int, cb: int, s: int, e: int, parties: list[Actor]) -> Place | None:
    used = {(p.start, p.end) for p in parties}
    occupied = [(m.start, m.end) for m in ctx.ments if m.kind in lexicon_words("arabic", "party_mention_kinds")]
    cands = [p for p in ctx.places if p.start is not None and s <= p.start < e and (p.start, p.end) not in used
             and not any(a <= p.start < b and (a, b) != (p.start, p.end) for a, b in occupied)]
    if not cands:
        return None
    cs = ctx.toks[ca].start
    ce = ctx.toks[cb - 1].end
    local = [p for p in cands if p.kind != "country" and cs <= (p.start or 0) < ce]
    pick = local or [p for p in cands if p.kind != "country"] or [
        p for p in cands if not any(x.country == p.country and x.kind == "state" for x in parties)]
    return pick[0] if pick else None


# --------------------------------------------------------------------------- the document


def analyze_arabic(pr: dict[str, Any], registry: Any, gazetteer: Any) -> Document:
    """The contract Document of an Arabic text (`pr` is khaldun.pipeline's prepared item)."""
    from ..acled import acled_sub_type, acled_type
    from ..embargo import check_claim
    from ..stages.assemble import _claim_id
    from ..stages.merge import fold_payers, merge_claims
    from ..stages.signals import signals

    body: str = pr["body"]
    item = pr["item"]
    published: date | None = pr["published"]
    toks = tokenize(body)
    ments = find(body, toks, registry, published)
    by_tok = {m.i: m for m in ments}
    places = find_places(body, toks, gazetteer)
    materiel = find_materiel(body)
    extra = extra_materiel(body, toks)
    # a named system beats the generic word the shared lexicon saw in it ("طائرة" in "طائرة بيرقدار")
    named = [x for x in extra if x.designation]
    materiel = [x for x in materiel if x.designation or not _in_span(named, x.start or 0, x.end or 0)]
    materiel += [x for x in extra if not _in_span(materiel, x.start or 0, x.end or 0)]
    for m in ments:
        if m.actor is not None and m.actor.sector == "UAF" and not _in_span(materiel, m.start, m.end):
            materiel.append(Materiel(text=m.text, category="mercenaries", start=m.start, end=m.end))
    materiel.sort(key=lambda x: x.start or 0)
    ctx = Ctx(body, toks, ments, by_tok, materiel, places, find_dates(body, toks, published), published, registry,
              title_key=norm_key(pr.get("title") or ""))
    _state_places(ctx)
    claims: list[Claim] = []
    quotes: list[Quote] = []
    ti = 0
    for si, (s, e) in enumerate(sentences(body)):
        a = ti
        while a < len(toks) and toks[a].start < s:
            a += 1
        b = a
        while b < len(toks) and toks[b].end <= e:
            b += 1
        ti = b
        if b > a:
            claims.extend(_claims_of_sentence(ctx, a, b, si, s, e, quotes))
    fold_payers(claims)
    # a paying clause folded into a transfer's funders is not a second claim ("... with Qatar paying for it")
    claims = [c for c in claims if not (c.event.aid_type == "economic" and any(
        o is not c and o.evidence.start == c.evidence.start and o.materiel and {a.id for a in c.actors} <=
        {f.id for f in o.funders} for o in claims))]
    claims = merge_claims(claims)
    for c in claims:
        c.attribution.signals = signals(c, claims)
        c.event.acled_event_type = acled_type(c)
        c.event.acled_sub_event_type = acled_sub_type(c, c.event.acled_event_type)
        c.embargo = check_claim(c, published)
    doc_id = hashlib.sha256(body.encode("utf-8")).hexdigest()
    for i, c in enumerate(claims):
        c.id = _claim_id(doc_id, c, i)
    src = Source(path=item.get("path"), url=item.get("url"), outlet=item.get("outlet"),
                 published=published.isoformat() if published else None, language=pr["language"])
    return Document(id=doc_id, source=src, title=pr["title"], text=body, claims=claims, removed=pr["removed"],
                    mentions=_mentions(ctx), quotes=quotes)


def _mentions(ctx: Ctx) -> list[Mention]:
    out: list[Mention] = []
    for m in ctx.ments:
        a = _actor_of(ctx, m)
        if a is None:
            continue
        out.append(Mention(text=m.text, start=m.start, end=m.end, kind="agent" if m.kind == "agent" and a.id is None
                           else "actor", label=a.kind if m.kind != "agent" or a.id else a.sector, id=a.id,
                           country=a.country))
    for x in ctx.materiel:
        out.append(Mention(text=x.text, start=x.start or 0, end=x.end or 0, kind="materiel", label=x.category,
                           id=x.designation))
    for p in ctx.places:
        out.append(Mention(text=p.text, start=p.start or 0, end=p.end or 0, kind="place", label=p.kind,
                           id=p.gazetteer_id, country=p.country))
    for s, e, w in ctx.dates:
        out.append(Mention(text=ctx.text[s:e], start=s, end=e, kind="date", id=w.date))
    out.sort(key=lambda x: (x.start, x.end))
    return out
