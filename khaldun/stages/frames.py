"""The frame stage: per paragraph, the reporting frames (who says what, through whom) and the events with
their roles, read from the paragraph's mention table; the role repairs of `roles.py`; the quotes; and, for
each candidate, what the words governing its trigger say it rests on (its evidence basis)."""

from __future__ import annotations

from typing import Any

from ..attribution import Attributor, SpeakerBook
from ..events import EventExtractor
from ..lexicon import words as lexicon_words
from ..mentions import ParaMentions
from ..models import Passage, Quote, Span
from ..nlp import sent_list
from ..trusted import trusted
from .base import WorkDoc
from .common import unnamed_speaker
from .roles import charged_agents, under_act, weapon_wielders

QUOTE_KINDS = lexicon_words("pipeline", "quote_kinds")


class FrameStage:
    name = "frames"

    def __init__(self, registry: Any) -> None:
        self.registry = registry

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        book = SpeakerBook()
        att = Attributor(book, self.registry)
        doc.book, doc.attributor = book, att
        sent_offset = 0
        for p in doc.paras:
            pm = p.table
            assert pm is not None, "the frame stage reads the mention stage's table"
            frames = att.frames(pm, sent_offset)
            ex = EventExtractor(pm, frames, self.registry, doc.focus, sent_offset, book,
                                earlier_materiel=p.earlier_materiel)
            p.frames, p.extractor = frames, ex
            new = ex.extract()
            for rc in new:
                charged_agents(rc, ex)
                weapon_wielders(rc, ex)
                under_act(rc, ex)
                doc.bases.append(att.evidence_basis(rc.trigger, rc.frame.cue_tok if rc.frame is not None else None))
            doc.raws.extend(new)
            sents = sent_list(p.sdoc)
            for s in sents:
                doc.sent_spans.append((p.start + s.start_char, p.start + s.end_char))
            for f in frames:
                if f.content and f.quotable:
                    doc.quotes.append(quote_of(f, pm, doc.body, att))
            sent_offset += len(sents)
        return doc


def quote_of(f: Any, pm: ParaMentions, body: str, att: Attributor) -> Quote:
    doc = pm.doc
    first, last = doc[min(f.content)], doc[max(f.content)]
    # what the source says its words rest on ("analysis of the calls showed that ..."), as for claims
    basis = f.evidence_basis or att.evidence_basis(f.content_root if f.content_root is not None else first,
                                                   f.own_cue_tok if f.own_cue_tok is not None else f.cue_tok,
                                                   include_self=True)
    s = pm.base + first.idx
    e = pm.base + last.idx + len(last)
    while e > s and body[e - 1] in ' ,."“”\'':
        e -= 1
    while s < e and body[s] in ' "“”\'':
        s += 1
    sp = None
    if f.speaker_span is not None:
        sp = trusted(Span, start=f.speaker_span[0], end=f.speaker_span[1])
    elif f.speaker_tok is not None:
        st = list(f.speaker_tok.subtree)
        sp = trusted(Span, start=pm.base + st[0].idx, end=pm.base + st[-1].idx + len(st[-1]))
    cue = None
    if f.cue_start is not None:
        cue = trusted(Passage, text=body[f.cue_start:f.cue_end], start=f.cue_start, end=f.cue_end,
                      sentence=f.sentence)
    qk = f.quote if f.quote in QUOTE_KINDS else "indirect"
    # a frame nested in another speaker's words carries that speaker for its claims; the quote is its own
    speaker = f.own_speaker if f.nested or f.speaker is None else f.speaker
    if speaker is None and sp is not None:
        speaker = unnamed_speaker(body[sp.start:sp.end], f.affiliation, f.anonymous, start=sp.start)
    # (built without validation: every field is given as the model's type, the list of outlets copied)
    return trusted(Quote, speaker=speaker, speaker_span=sp, cue=cue,
                   content=trusted(Passage, text=body[s:e], start=s, end=e, sentence=f.sentence), quote=qk,
                   via=list(f.via if f.own_via is None else f.own_via), evidence_basis=basis)


