"""The pipeline: ingest -> text -> mentions & actors -> events -> attribution & factuality -> resolution ->
merge (one claim per reported event) -> embargo. `analyze` and `analyze_many` are the public entry points.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, get_args

import yaml

from . import __version__
from .acled import acled_sub_type, acled_type
from .attribution import SPEAKER_ROLES, Attributor, SpeakerBook
from .claim_filter import HEADLINE_REASON, PageContext, drop_reason
from .dates import parse_published, resolve_when
from .embargo import check_claim
from .events import EventExtractor, RawClaim, focus_country
from .factuality import CERTAINTY_ORDER, UNLIKELY, assess
from .lexicon import words as lexicon_words
from .mentions import ParaMentions, build, mentions_for_document
from .models import (
    NO_CLAIM_WARNING,
    UNDATED_WARNING,
    Actor,
    ActorKind,
    Attribution,
    Claim,
    Document,
    Dropped,
    Event,
    Evidence,
    Factuality,
    Passage,
    Quote,
    Signal,
    Source,
    Span,
    Via,
    When,
)
from .nlp import BATCH_SIZE, Paragraph, lemma, paragraphs, sent_list
from .places import Gazetteer
from .text import OffsetMap, detect_language, normalize, strip_furniture

DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Z'.\- ]{1,40}[A-Z])(?:,\s*[A-Z][A-Za-z.]+\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?){0,3}"
    r"|(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?))"
    r"\s*(?:\((?P<agency>[^()]{2,50})\))?\s*[-\u2013\u2014:]+\s+")
PARTY_SECTORS = frozenset({"MIL", "REB", "GOV", "PRM", "SPY", "UAF", "INS"})


def document_warnings(published: date | None, claims: list[Any]) -> list[str]:
    """What a reader must know about a document's analysis (contract: ``Document.warnings``)."""
    out = []
    if published is None:
        out.append(UNDATED_WARNING)
    if not claims:
        out.append(NO_CLAIM_WARNING)
    return out


class Pipeline:
    def __init__(self, registry: Any = None, nlp: Any = None) -> None:
        from .config import registry_with_user_files

        self.registry = registry or registry_with_user_files()
        self.gazetteer = Gazetteer.default()
        if nlp is None:
            from .nlp_ents import model_for  # the default model, or without spaCy's NER (KHALDUN_NO_NER=1)

            nlp = model_for(self.registry, self.gazetteer)
        self.nlp = nlp
        self.errors: list[str] = []  # documents whose analysis failed, "PATH: reason"

    # -- public -----------------------------------------------------------------------------------------
    def analyze(self, text: str, published: str | date | None = None, outlet: str | None = None,
                url: str | None = None, language: str | None = None, title: str | None = None,
                path: str | None = None) -> Document:
        return next(self.analyze_many([dict(text=text, published=published, outlet=outlet, url=url,
                                            language=language, title=title, path=path)]))

    def analyze_many(self, items: Iterable[dict[str, Any]], batch_size: int = BATCH_SIZE) -> Iterator[Document]:
        """Analyze many articles, batching the spaCy work across documents; yields in input order."""
        batch: list[dict[str, Any]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def code_at(self, text: str, triggers: list[tuple[int, int, str | None]], published: str | date | None = None,
                outlet: str | None = None, url: str | None = None,
                language: str | None = "en") -> tuple[Document, list[Claim | None]]:
        """Code the event at each trigger the caller names: (start, end, type) with offsets into `text` and
        a PLOVER type or None (the lexicon's). This is argument linking for a known trigger (an analyst
        selecting a word in the UI; the RAMS task), not corpus coding: the claim is returned even when
        the event has no participant or is not asserted (its factuality says so), and it is not merged.
        Returns the analyzed Document (its own claims as `analyze` codes them) and one Claim or None per
        trigger (None: the span holds no word, or no type is known for it). Offsets in the claims index
        `Document.text`, as everywhere."""
        pr = self._prepare(dict(text=text, published=published, outlet=outlet, url=url, language=language))
        body: str = pr["body"]
        amap = OffsetMap(body, text)  # offsets in text -> offsets in body
        wanted = []
        for s, e, t in triggers:
            span = amap.span(s, e)
            wanted.append((span, t))
        parsed = list(zip(pr["paras"], self.nlp.pipe([p.text for p in pr["paras"]], batch_size=BATCH_SIZE),
                          strict=True))
        ctx: dict[str, Any] = {}
        document = self._document(pr, parsed, ctx)  # its stages' state is reused for the named triggers
        out: list[Claim | None] = [None] * len(triggers)
        extractors, sent_spans, book, att = ctx["extractors"], ctx["sent_spans"], ctx["book"], ctx["att"]
        for k, (span, etype) in enumerate(wanted):
            if span is None:
                continue
            for p, sdoc, ex in extractors:
                lo, hi = span[0] - p.start, span[1] - p.start
                toks = [t for t in sdoc if t.idx < hi and t.idx + len(t) > lo and not t.is_punct]
                if not toks:
                    continue
                ids = {t.i for t in toks}
                head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])
                rc = ex.at(head, etype)
                if rc is not None:
                    out[k] = self._claim(rc, body, pr["published"], sent_spans, book, att, keep_unasserted=True)
                break
        for k, c in enumerate(out):
            if c is not None:
                c.id = _claim_id(document.id, c, 10_000 + k)
                c.event.acled_event_type = acled_type(c)
                c.event.acled_sub_event_type = acled_sub_type(c, c.event.acled_event_type)
                c.embargo = check_claim(c, pr["published"])
        return document, out

    # -- stages ---------------------------------------------------------------------------------------------
    def _prepare(self, item: dict[str, Any]) -> dict[str, Any]:
        raw = item.get("text") or ""
        norm = normalize(raw)
        fur = strip_furniture(norm, title=item.get("title"))
        body = norm[fur.body_start:fur.body_end]
        pub = item.get("published")
        pub_date = pub if isinstance(pub, date) else (parse_published(pub) if pub else None)
        lang = item.get("language")
        if not lang or lang == "auto":
            lang = detect_language(body)
        # offsets of removed furniture index the normalized input (it is not part of document.text)
        removed = [Passage(text=t, start=a, end=b, sentence=-1) for (a, b, t) in fur.removed]
        paras = paragraphs(body) if lang in (None, "en") else []
        dateline = None
        if paras:
            m = DATELINE.match(paras[0].text)
            if m and (m.group("place") or m.group("agency")):
                # "TRIPOLI (Levant Wire) - ...", "May 26 (Wire) -- ...": the place, date and wire service of the
                # report, not a clause of the story (nor the date of the acts it reports)
                dateline = ((m.group("place") or "").strip() or None,
                            m.group("agency").strip() if m.group("agency") else None)
                p0 = paras[0]
                paras[0] = Paragraph(p0.start + m.end(), p0.text[m.end():], p0.index)
        return dict(item=item, body=body, title=item.get("title") or fur.title, published=pub_date,
                    language=lang, removed=removed, paras=paras, dateline=dateline)

    def _run(self, batch: list[dict[str, Any]]) -> Iterator[Document]:
        from .limits import item_problem

        problems = [item_problem(it) for it in batch]
        if any(problems):  # over the caps of khaldun.limits: reported, never parsed; the others go on
            for it, problem in zip(batch, problems, strict=True):
                if problem is None:
                    yield from self._run([it])
                    continue
                self.errors.append(f"{it.get('path') or '<text>'}: {problem}")
                yield Document(id=hashlib.sha256((it.get("text") or "").encode("utf-8", "replace")).hexdigest(),
                               source=Source(path=it.get("path")), text="")
            return
        preps = [self._prepare(it) for it in batch]
        flat = [(di, p) for di, pr in enumerate(preps) for p in pr["paras"]]
        docs_by = [[] for _ in preps]  # type: list[list[Any]]
        for (di, p), sdoc in zip(flat, self.nlp.pipe([p.text for _, p in flat], batch_size=BATCH_SIZE), strict=False):
            docs_by[di].append((p, sdoc))
        for pr, parsed in zip(preps, docs_by, strict=False):
            try:
                yield self._document(pr, parsed)
            except Exception as exc:  # one bad document never stops a batch: keep its text, report it
                where = pr["item"].get("path") or "<text>"
                self.errors.append(f"{where}: analysis failed ({type(exc).__name__}: {exc})")
                body = pr["body"]
                yield Document(id=hashlib.sha256(body.encode("utf-8")).hexdigest(),
                               source=Source(path=pr["item"].get("path")), title=pr["title"], text=body)

    def _document(self, pr: dict[str, Any], parsed: list[tuple[Any, Any]],
                  ctx: dict[str, Any] | None = None) -> Document:
        """One analyzed Document; with `ctx`, the stages' state (paragraph extractors, sentence spans, speaker
        book, attributor) is left there for `code_at`."""
        from .arabic.dispatch import other_language  # language dispatch: Arabic path, or a warning (issue 14)
        if (other := other_language(pr, self.registry, self.gazetteer)) is not None:
            if ctx is not None:  # code_at: no English stages to reuse
                ctx.update(extractors=[], sent_spans=[], book=None, att=None)
            return other
        body: str = pr["body"]
        item = pr["item"]
        published: date | None = pr["published"]
        doc_id = hashlib.sha256(body.encode("utf-8")).hexdigest()
        others: dict[str, str] = {}  # registered persons the document's own namesakes shadow
        pms: list[ParaMentions] = [build(sdoc, p.start, published, self.registry, self.gazetteer, others=others)
                                   for p, sdoc in parsed]
        focus = focus_country(pms)
        book = SpeakerBook()
        att = Attributor(book, self.registry)
        raws: list[RawClaim] = []
        quotes: list[Quote] = []
        extractors: list[tuple[Any, Any, EventExtractor]] = []
        sent_offset = 0
        sent_spans: list[tuple[int, int]] = []
        last_materiel = None  # the materiel named last in earlier paragraphs ("the first batch has arrived")
        for (p, sdoc), pm in zip(parsed, pms, strict=False):
            frames = att.frames(pm, sent_offset)
            ex = EventExtractor(pm, frames, self.registry, focus, sent_offset, book, earlier_materiel=last_materiel)
            last_materiel = next((m.materiel for m in reversed(pm.all) if m.kind == "materiel"
                                  and m.materiel is not None), last_materiel)
            new = ex.extract()
            for rc in new:
                charged_agents(rc, ex)
                weapon_wielders(rc, ex)
                under_act(rc, ex)
            raws.extend(new)
            extractors.append((p, sdoc, ex))
            for s in sent_list(sdoc):
                sent_spans.append((p.start + s.start_char, p.start + s.end_char))
            for f in frames:
                if f.content and f.quotable:
                    quotes.append(self._quote(f, pm, body, att))
            sent_offset += len(sent_list(sdoc))
        if ctx is not None:
            ctx.update(extractors=extractors, sent_spans=sent_spans, book=book, att=att)
        drops: list[Dropped] = []
        headlines: list[Claim] = []  # claims of the headline repeated in the body: they join the body's claim
        triggers: dict[int, Any] = {}  # id(claim) -> its trigger token
        page = PageContext(body, pr["title"])
        claims = []
        for rc in raws:
            c = self._claim(rc, body, published, sent_spans, book, att, drops=drops)
            if c is None:
                continue
            reason = drop_reason(c, rc.trigger, page)
            if reason == HEADLINE_REASON:
                headlines.append(c)
                continue
            if reason is not None:
                drops.append(Dropped(stage=reason.split(":")[0].replace(" ", "_"), reason=reason,
                                     event_type=c.event.type, trigger=c.event.trigger,
                                     evidence=Passage(text=c.evidence.text, start=c.evidence.start,
                                                      end=c.evidence.end, sentence=c.evidence.sentence)))
                continue
            claims.append(c)
            triggers[id(c)] = rc.trigger
        fold_payers(claims)
        claims = fold_purposes(claims, triggers)
        resolve_definites(quotes, claims, body)
        speak_from_quotes(claims, quotes, body)
        relay_speakers(claims, triggers, body)
        examiner_speakers(claims, triggers, body)
        doc_mentions = mentions_for_document(pms)
        authors_of_products(claims, quotes, doc_mentions)
        claims = merge_claims(claims)
        for h in headlines:
            if not fold_headline(h, claims):
                drops.append(Dropped(stage="furniture", reason=HEADLINE_REASON + " (no claim of the body reports it)",
                                     event_type=h.event.type, trigger=h.event.trigger,
                                     evidence=Passage(text=h.evidence.text, start=h.evidence.start,
                                                      end=h.evidence.end, sentence=h.evidence.sentence)))
        agency = pr.get("dateline") and pr["dateline"][1]
        for c in claims:
            if agency and all(v.name != agency for v in c.attribution.via):
                c.attribution.via.insert(0, Via(name=agency, kind="outlet"))
                c.why["via"] = f"the story carries the dateline of {agency}"
            if not c.attribution.via and c.attribution.speaker is not None:
                e = book.get(c.attribution.speaker)
                if e and e.via:
                    c.attribution.via = chain_order(e.via)
                    c.why["via"] = "the chain this speaker was introduced with in the document"
            c.attribution.signals = signals(c, claims)
            c.event.acled_event_type = acled_type(c)
            c.event.acled_sub_event_type = acled_sub_type(c, c.event.acled_event_type)
            c.embargo = check_claim(c, published)
        for i, c in enumerate(claims):
            c.id = _claim_id(doc_id, c, i)
        src = Source(path=item.get("path"), url=item.get("url"), outlet=item.get("outlet"),
                     published=published.isoformat() if published else None, language=pr["language"])
        return Document(id=doc_id, source=src, title=pr["title"], text=body, claims=claims,
                        warnings=document_warnings(published, claims),
                        removed=pr["removed"], mentions=doc_mentions, quotes=quotes,
                        dropped=drops)

    def _quote(self, f: Any, pm: ParaMentions, body: str, att: Attributor) -> Quote:
        toks = sorted(f.content)
        doc = pm.doc
        # what the source says its words rest on ("analysis of the calls showed that ..."), as for claims
        basis = f.evidence_basis or att.evidence_basis(f.content_root if f.content_root is not None else doc[toks[0]],
                                                       f.own_cue_tok if f.own_cue_tok is not None else f.cue_tok,
                                                       include_self=True)
        s = pm.base + doc[toks[0]].idx
        e = pm.base + doc[toks[-1]].idx + len(doc[toks[-1]])
        while e > s and body[e - 1] in ' ,."“”\'':
            e -= 1
        while s < e and body[s] in ' "“”\'':
            s += 1
        sp = None
        if f.speaker_span is not None:
            sp = Span(start=f.speaker_span[0], end=f.speaker_span[1])
        elif f.speaker_tok is not None:
            st = list(f.speaker_tok.subtree)
            sp = Span(start=pm.base + st[0].idx, end=pm.base + st[-1].idx + len(st[-1]))
        cue = None
        if f.cue_start is not None:
            cue = Passage(text=body[f.cue_start:f.cue_end], start=f.cue_start, end=f.cue_end, sentence=f.sentence)
        qk = f.quote if f.quote in ("direct", "indirect", "mixed") else "indirect"
        # a frame nested in another speaker's words carries that speaker for its claims; the quote is its own
        speaker = f.own_speaker if f.nested or f.speaker is None else f.speaker
        if speaker is None and sp is not None:
            speaker = unnamed_speaker(body[sp.start:sp.end], f.affiliation, f.anonymous, start=sp.start)
        return Quote(speaker=speaker, speaker_span=sp, cue=cue,
                     content=Passage(text=body[s:e], start=s, end=e, sentence=f.sentence), quote=qk,
                     via=f.via if f.own_via is None else f.own_via,
                     evidence_basis=basis)

    def _claim(self, rc: RawClaim, body: str, published: date | None, sent_spans: list[tuple[int, int]],
               book: SpeakerBook, att: Attributor, keep_unasserted: bool = False,
               drops: list[Dropped] | None = None) -> Claim | None:
        f = rc.frame
        own_cue = f is not None and f.cue_tok is not None and rc.trigger.i == f.cue_tok.i
        # the denial itself ("The UAE denied arming either side": REJECT) is asserted, not denied
        fact = assess(rc.trigger, f.content_root if f else None, f.certainty if f else None,
                      f.cue_text if f else None, f.denial if f and not own_cue else None)
        if "negates" in rc.spec.flags:  # "denied military involvement": a negative claim by the denier
            fact.polarity = "negative" if fact.polarity == "positive" else "positive"
            fact.cues.append(rc.trigger.text)
        s, e = sent_spans[rc.sentence]
        ev_text = body[s:e]
        # trim whitespace at the ends so the evidence is the sentence itself
        while ev_text and ev_text[-1].isspace():
            e -= 1
            ev_text = body[s:e]
        if not keep_unasserted:
            why_not = _unasserted_reason(fact, rc.trigger)
            if why_not is not None:
                if drops is not None:
                    drops.append(Dropped(stage="assertion", reason=why_not, event_type=rc.type,
                                         trigger=rc.trigger_text,
                                         evidence=Passage(text=ev_text, start=s, end=e, sentence=rc.sentence)))
                return None
        when = When()
        dms = [m for m in rc.date_ments if not _bounds_period(body[max(0, m.start - 30):m.start])]
        if dms:
            dm = dms[0]
            when = resolve_when(dm.text, published)
            rc.why["when"] = f"date expression '{dm.text}' in the event's clause"
        elif rc.date_ments:
            rc.why["when"] = f"'{rc.date_ments[0].text}' bounds a period ('since ...'), it is not the date of the act"
        if f is not None and f.speaker is not None:
            basis = att.evidence_basis(rc.trigger, f.cue_tok)
            entry = book.get(f.speaker)
            if basis and entry is not None:
                entry.evidence_basis = entry.evidence_basis or basis
            speaker = f.speaker
            attribution = Attribution(speaker=speaker, speaker_affiliation=f.affiliation, speaker_role=f.role,
                                      cue=f.cue_text, quote=f.quote, via=chain_order(f.via), evidence_basis=basis,
                                      stated=stated_when(f, published))
            rc.why["speaker"] = f"reporting cue '{f.cue_text}'" if f.cue_text else "direct quote continuing"
        elif f is not None:
            attribution = Attribution(speaker=None, speaker_affiliation=f.affiliation, speaker_role=f.role,
                                      cue=f.cue_text, quote=f.quote, via=chain_order(f.via),
                                      evidence_basis=att.evidence_basis(rc.trigger, f.cue_tok),
                                      stated=stated_when(f, published))
            rc.why["speaker"] = "unnamed source" if f.anonymous else "speaker not resolved"
        else:
            attribution = Attribution(speaker=None, quote="none",
                                      evidence_basis=att.evidence_basis(rc.trigger, None))
            rc.why["speaker"] = "no reporting cue: the outlet states it in its own voice"
        event = Event(type=rc.type, mode=rc.mode, aid_type=rc.aid_type if rc.type in ("AID", "AGREE") else None,
                      cameo=rc.cameo, trigger=rc.trigger_text, trigger_start=rc.trigger_start,
                      trigger_end=rc.trigger_end)
        verb = rc.trigger.head if rc.trigger.pos_ == "ADJ" and rc.trigger.dep_ == "acomp" else rc.trigger
        if attribution.speaker is not None and not _own_side(attribution.speaker, rc.actors) and any(
                c.dep_ == "aux" and c.lower_ in DEONTIC for c in verb.children) and event.type != "REQUEST":
            # "X said Y must hand over ...": X asks Y (PLOVER REQUEST)
            rc.why["event"] = f"'{attribution.speaker.text}' says others must {event.trigger} -> REQUEST"
            rc.recipients, rc.actors = rc.actors, [attribution.speaker]
            event.type, event.mode, event.cameo, event.aid_type = "REQUEST", None, "020", None
        elif fact.polarity == "negative" and fact.tense == "future" and event.type in INTENT_TYPES | {"AGREE"} \
                and _own_side(attribution.speaker, rc.actors) and not {c.lower() for c in fact.cues} & UNLIKELY.keys():
            # (not an outside judgement: "Turkey is unlikely to send troops" is no refusal by Turkey)
            rc.why["event"] = f"own side will not {event.trigger} -> REJECT (PLOVER)"
            event.type, event.mode, event.cameo = "REJECT", None, "120"
            # the refusal is what is asserted ("Egypt will not allow ..." is a REJECT that happens), not its negation
            fact.polarity = "positive"
            rc.why["polarity"] = "the negation is the refusal itself (REJECT)"
        elif fact.tense == "future" and fact.polarity == "positive" and _own_side(attribution.speaker, rc.actors):
            # PLOVER: an actor announcing what it will do expresses intent (AGREE), or threatens
            if _conditional(rc.trigger) and event.type in THREAT_TYPES | {"SANCTION", "RETREAT"}:
                rc.why["event"] = f"future {event.type} on a condition ('unless', 'if') -> THREATEN (PLOVER)"
                event.type = "THREATEN"
                event.cameo = "130"
            elif event.type in INTENT_TYPES:
                rc.why["event"] = f"future {event.type} announced by its own side -> AGREE (PLOVER intent)"
                event.type = "AGREE"
                event.cameo = {"military": "0332", "economic": "0331", "humanitarian": "0333"}.get(
                    event.aid_type or "", "030")
            elif event.type in THREAT_TYPES:
                rc.why["event"] = f"future {event.type} announced by its own side -> THREATEN (PLOVER)"
                event.type = "THREATEN"
                event.cameo = "138" if rc.type == "ASSAULT" else "130"
        if event.type == "AGREE" and event.aid_type is not None and event.cameo in ("030", None):
            event.cameo = "033"
        claim = Claim(id="", event=event, actors=rc.actors, recipients=rc.recipients, funders=rc.funders,
                     materiel=_dedupe_materiel(rc.materiel), location=rc.location, when=when,
                     factuality=Factuality(certainty=fact.certainty, polarity=fact.polarity, tense=fact.tense,
                                           cues=fact.cues),
                     attribution=attribution,
                     evidence=Evidence(text=ev_text, start=s, end=e, sentence=rc.sentence), why=rc.why)
        return claim


@lru_cache(maxsize=1)
def _scope() -> dict[str, Any]:
    return yaml.safe_load((resources.files("khaldun") / "data" / "lexicon" / "scope.yaml").read_text("utf-8"))


def _bounds_period(before: str) -> bool:
    """The words just before a date make it the bound of a period ("since November", "until early May")."""
    words = re.findall(r"[a-z]+", before.lower())
    while words and words[-1] in _source_nouns()["period_modifiers"]:
        words.pop()
    return bool(words) and words[-1] in _source_nouns()["period_bounds"]


STATED_DEPS = lexicon_words("pipeline", "stated_deps")


def stated_when(f: Any, published: date | None) -> When | None:
    """When the statement was made, where the text says so: a date or time phrase on the reporting cue,
    outside the reported words ("said Tuesday evening", "told reporters on 3 May")."""
    cue = f.cue_tok
    if cue is None:
        return None
    toks = []
    for c in cue.children:
        if c.dep_ not in STATED_DEPS or c.i in f.content:
            continue
        sub = [t for t in c.subtree if t.i not in f.content]
        if any(t.ent_type_ in ("DATE", "TIME") for t in sub):
            toks.extend(t for t in sub if t.ent_type_ in ("DATE", "TIME"))
    if not toks:
        return None
    toks.sort(key=lambda t: t.i)
    doc = cue.doc
    text = doc.text[toks[0].idx:toks[-1].idx + len(toks[-1])]
    if len(text) > 40:
        return None
    w = resolve_when(text, published)
    return w if w.text else When(text=text)


def _unasserted_reason(fact: Any, trigger: Any) -> str | None:
    """Why an event is not asserted by its text, or None when it is."""
    if not fact.asserted:
        cues = ", ".join(f"'{c}'" for c in fact.cues) or "its context"
        return f"not asserted: {cues}"
    if _under_unasserted(trigger):
        return f"not asserted: '{trigger.text}' is what a refusing, requesting or preventing verb is about"
    if _hypothetical(trigger):
        return f"not asserted: '{trigger.text}' is the condition of an if-clause"
    return None


def _under_unasserted(trigger: Any) -> bool:
    """True when the event is the complement of a refusing / requesting / preventing verb ("refused to
    deploy", "demanded that the US cancel the sale"): that verb is the event, not the embedded action."""
    heads = set(_scope()["unasserted_under"])
    cur = trigger
    for _ in range(6):
        if cur.head.i == cur.i or cur.dep_ in ("conj",) and cur.head.pos_ != "VERB":
            return False
        if cur.dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "conj", "nsubj",
                            "compound", "amod"):
            return False
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and lemma(cur) in heads:
            return True
        if cur.dep_ in ("ROOT",):
            return False
    return False


VIA_RANK = {"outlet": 0, "broadcast": 1, "document": 2, "social_media": 3, "statement": 3, "interview": 3}


def chain_order(via: list[Any]) -> list[Any]:
    """Nearest first (contract): the outlets and broadcasts the article cites come before the interview,
    statement or post in which the speaker spoke ("told Nour TV ..., Levant Wire reported" -> Levant Wire,
    then Nour TV). Within a rank the order of mention is kept."""
    return sorted(via, key=lambda v: VIA_RANK.get(v.kind, 3))


def _charge_verb(tok: Any) -> bool:
    return lemma(tok) in lexicon_words("pipeline", "charge_verbs")


def _charged_act_host(trigger: Any) -> Any:
    """The charge verb whose charged act the gerund trigger names ("accused X of arming Y", "blamed X for
    shelling Y", "accused X of being involved by sending Y", "accused X of training and arming Y"), or None."""
    preps = lexicon_words("pipeline", "charge_preps")
    if trigger.tag_ != "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
        return None
    cur = trigger
    if cur.dep_ == "conj" and _charge_verb(cur.head) and any(
            c.dep_ == "prep" and c.lower_ in preps for c in cur.head.children):
        return cur.head  # the parser coordinated the second gerund with the charge verb itself
    for _ in range(6):
        if cur.dep_ == "conj":
            cur = cur.head
            continue
        if cur.dep_ not in ("pcomp", "pobj") or cur.head.dep_ != "prep":
            return None
        prep = cur.head
        if prep.lower_ == "by" and prep.head.pos_ in ("VERB", "AUX"):
            cur = prep.head  # the means of the charged act: "involved in the war by sending arms"
            continue
        if prep.lower_ not in preps:
            return None
        host = prep.head
        while host.dep_ == "conj" and host.pos_ in ("NOUN", "PROPN"):
            host = host.head  # "accused A and B of killing": the parser hangs the act on B
        if host.pos_ in lexicon_words("pipeline", "party_pos") and host.dep_ in ("dobj", "nsubjpass"):
            host = host.head
        return host if _charge_verb(host) else None
    return None


def charged_agents(rc: RawClaim, ex: EventExtractor) -> None:
    """The agent of an act a speaker charges a party with is that party: when the act's clause names no
    subject, its actors are the charged party, never the accuser the act's clause borrowed."""
    host = _charged_act_host(rc.trigger)
    if host is None:
        return
    party = next((c for c in host.children if c.dep_ in ("nsubjpass", "dobj")), None)
    if party is None:
        return
    accuser = {t.idx + ex.pm.base for c in host.children if c.dep_ == "nsubj" for t in c.subtree}
    if rc.actors and not all(a.start in accuser for a in rc.actors):
        return
    actors = [a for a in ex.actors_of(party) if a.start is None or a.start < rc.trigger_start]
    if actors:
        rc.actors = actors
        rc.why["actors"] = f"the party '{party.text}' is charged with the act ('{host.text}')"


def weapon_wielders(rc: RawClaim, ex: EventExtractor) -> None:
    """An attack whose subject is a weapon or its fire names no actor; who wields it does: "fire from the army
    hit X", "the drones of the militia struck X", "rockets fired by X hit Y"."""
    if rc.actors or rc.type != "ASSAULT" or rc.trigger.pos_ != "VERB":
        return
    subj = next((c for c in rc.trigger.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return
    preps = lexicon_words("pipeline", "wielder_preps")
    owners = [g for c in subj.children if c.dep_ == "prep" and c.lower_ in preps for g in c.children
              if g.dep_ == "pobj"]
    owners += [g for c in subj.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"
               for g in a.children if g.dep_ == "pobj"]
    for o in owners:
        actors = [a for a in ex.actors_of(o) if a.id or a.country]
        if actors:
            rc.actors = actors
            rc.why["actors"] = f"'{o.text}' wields the '{subj.text}' that is the subject of the attack"
            return


def relayed_source(trigger: Any, body: str, base: int) -> Actor | None:
    """The source that the reporting verb above the trigger relays ("X was delivered, the agency said, quoting
    a senior commander"; "X reported, citing two diplomats"): the quoted or cited phrase, as written."""
    relay, deps = lexicon_words("pipeline", "relay_verbs"), lexicon_words("pipeline", "relay_deps")
    cur = trigger
    for _ in range(6):
        for c in cur.children:
            if c.dep_ in deps and c.tag_ == "VBG" and lemma(c) in relay and c.i != trigger.i:
                obj = next((o for o in c.children if o.dep_ == "dobj"), None)
                if obj is None:
                    continue
                toks = list(obj.subtree)
                while len(toks) > 1 and toks[0].dep_ in ("det", "nummod"):
                    toks = toks[1:]  # "one senior figure", "two diplomats": the count is no part of the name
                start = base + toks[0].idx
                return unnamed_speaker(body[start:base + toks[-1].idx + len(toks[-1].text)], None, False, start)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return None


def _phrase_actor(tok: Any, body: str, base: int) -> Actor | None:
    toks = list(tok.subtree)
    start = base + toks[0].idx
    return unnamed_speaker(body[start:base + toks[-1].idx + len(toks[-1].text)], None, False, start)


def _examiner(noun: Any) -> Any:
    """Who examined the evidence `noun` names: the subject of the verb it is the object of ("experts analyzed
    images"), or the agent of its participle ("images analyzed by X")."""
    verbs = lexicon_words("pipeline", "analysis_verbs")
    if noun.dep_ in ("dobj", "conj"):
        head = noun.head
        while head.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN"):
            head = head.head
        if lemma(head) in verbs:
            return next((c for c in head.children if c.dep_ == "nsubj"), None)
    for c in noun.children:
        if c.dep_ == "acl" and lemma(c) in verbs:
            return next((g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None)
    return None


def examined_source(trigger: Any) -> Any:
    """The examiner of the evidence a claim rests on ("experts have analyzed images which appear to show X";
    "activists have documented X"), as a token, or None."""
    verbs, shows = lexicon_words("pipeline", "analysis_verbs"), lexicon_words("pipeline", "show_verbs")
    cur = trigger
    for _ in range(8):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if lemma(cur) in verbs:
            return next((c for c in cur.children if c.dep_ == "nsubj"), None)
        if lemma(cur) not in shows:
            continue
        v = cur.head if cur.dep_ == "xcomp" else cur  # "appear to show"
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
            subj = v.head  # "images, which appear to show"
        return _examiner(subj) if subj is not None else None
    return None


def examiner_speakers(claims: list[Claim], triggers: dict[int, Any], body: str) -> None:
    """A claim in the outlet's voice that rests on evidence someone examined takes that examiner as speaker."""
    for c in claims:
        tok = triggers.get(id(c))
        if c.attribution.speaker is not None or tok is None:
            continue
        ex_tok = examined_source(tok)
        if ex_tok is None:
            continue
        sp = _phrase_actor(ex_tok, body, c.evidence.start - tok.sent.start_char)
        if sp is not None:
            c.attribution.speaker = sp
            c.why["speaker"] = f"'{sp.text}' examined the evidence the claim rests on"


def relay_speakers(claims: list[Claim], triggers: dict[int, Any], body: str) -> None:
    """A speaker who says something while quoting or citing another ("the agency said, quoting a commander")
    relays it: the one quoted speaks, the relaying speaker becomes the nearest step of `via`."""
    for c in claims:
        sp, tok = c.attribution.speaker, triggers.get(id(c))
        if sp is None or tok is None:
            continue
        src = relayed_source(tok, body, c.evidence.start - tok.sent.start_char)
        if src is None or src.text == sp.text:
            continue
        if all(v.name not in (sp.name, sp.text) for v in c.attribution.via):
            c.attribution.via.insert(0, Via(name=sp.name or sp.text,
                                            kind="outlet" if sp.kind == "media" else "statement"))
        c.attribution.speaker = src
        c.why["speaker"] = f"'{sp.text}' relays '{src.text}', whom it quotes or cites"


def under_act(rc: RawClaim, ex: EventExtractor) -> None:
    """"X was under siege by Y", "the town came under attack from Y": the subject undergoes the act (a
    target or recipient), the one after "by" or "from" carries it out."""
    t = rc.trigger
    if t.pos_ != "NOUN" or t.dep_ != "pobj" or t.head.lower_ not in lexicon_words("pipeline", "under_preps"):
        return
    verb = t.head.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    agent_preps = lexicon_words("pipeline", "under_agent_preps")
    by = [g for h in (t, verb) for c in h.children if c.dep_ in ("prep", "agent") and c.lower_ in agent_preps
          for g in c.children if g.dep_ == "pobj"]
    if subj is None:
        return
    agents = [a for o in by for a in ex.actors_of(o)]
    toks = list(subj.subtree)
    lo, hi = ex.pm.base + toks[0].idx, ex.pm.base + toks[-1].idx + len(toks[-1].text)
    inside = [a for a in rc.actors if a.start is not None and lo <= a.start < hi]
    if rc.actors and len(inside) == len(rc.actors):
        rc.actors = []
        rc.recipients = inside + [r for r in rc.recipients if r not in inside]
        rc.why["recipients"] = f"'{subj.text}' is under the {t.text}, it does not carry it out"
    if agents and not rc.actors:
        rc.actors = agents
        rc.why["actors"] = f"the {t.text} is carried out by '{agents[0].text}'"


def _hypothetical(trigger: Any) -> bool:
    """The event is the condition itself ("... if it is attacked"): not asserted."""
    marks = set(_scope()["conditional_marks"])
    cur = trigger
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in marks for c in cur.children):
            return True
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _conditional(trigger: Any) -> bool:
    marks = set(_scope()["conditional_marks"])
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
               for c in trigger.children)


INTENT_TYPES = frozenset({"AID", "SUPPORT", "CONCEDE", "COOPERATE", "RETREAT", "CONSULT", "MOBILIZE"})
THREAT_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST"})  # announced sanctions stay SANCTION (PLOVER)
DEONTIC = frozenset({"must", "should"})


def _own_side(speaker: Any, actors: list[Any]) -> bool:
    """The claim's actor speaks about itself: no speaker named (the outlet relays an announcement),
    or the speaker is the actor, belongs to it, or to the same state."""
    if not actors:
        return False
    if speaker is None or speaker.kind == "media":
        return True  # the outlet, or an agency it cites, relays the actor's own announcement
    keys = {speaker.id, speaker.country} - {None}
    return any(a.id in keys or (a.country and a.country in keys) for a in actors)


def _dedupe_materiel(ms: list[Any]) -> list[Any]:
    out = []
    seen = set()
    for m in ms:
        k = (m.start, m.end, m.text)
        if k in seen:
            continue
        seen.add(k)
        out.append(m)
    return out


def _claim_id(doc_id: str, c: Claim, i: int) -> str:
    key = f"{doc_id}|{__version__}|{c.event.type}|{c.event.trigger_start}|{c.evidence.start}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _actor_keys(actors: list[Any]) -> set[str]:
    return {a.id or a.country or a.text.lower() for a in actors} | {a.country for a in actors if a.country}


def _compatible(a: Claim, b: Claim) -> bool:
    fam = {"AID": "AID", "AGREE": "AID"}
    if fam.get(a.event.type, a.event.type) != fam.get(b.event.type, b.event.type):
        return False
    if a.factuality.polarity != b.factuality.polarity:
        return False
    if a.event.type == "REJECT" and bool(a.recipients) != bool(b.recipients):
        return False  # "denied responsibility for the raid", later "denied any role in the war": two denials
    sa, sb = a.attribution.speaker, b.attribution.speaker
    if (sa is None) != (sb is None):
        return False
    if sa is not None and sb is not None and not same_speaker(sa, sb):
        return False
    if a.event.type in ("AID", "AGREE") and a.materiel and b.materiel:
        if not {m.category for m in a.materiel} & {m.category for m in b.materiel}:
            return False
    if a.event.type in ("AID", "AGREE") and not a.materiel and not b.materiel and not (
            _actor_keys(a.recipients) & _actor_keys(b.recipients)):
        return False  # two payments or two pledges are one event only with the same recipient
    if a.event.type == "AID" and (a.event.aid_type and b.event.aid_type) and a.event.aid_type != b.event.aid_type:
        return False
    ids_a = {x.id for x in a.actors if x.id}
    ids_b = {x.id for x in b.actors if x.id}
    same_ids = bool(ids_a & ids_b)
    retelling = False
    if not same_ids and (not a.actors or not b.actors) and sa is not None and a.event.type == b.event.type \
            and abs(a.evidence.sentence - b.evidence.sentence) <= AGENTLESS_MERGE_SENTENCES and _retold(a, b):
        # an agentless retelling ("six were killed in the strikes, X added") of the same speaker's report
        retelling = True
    elif not same_ids:
        # different named actors of one country are one event only when the materiel says so
        shared_mat = bool({m.category for m in a.materiel} & {m.category for m in b.materiel})
        if not (shared_mat and {x.country for x in a.actors} & {x.country for x in b.actors} - {None}):
            return False
    if a.event.type == "ASSAULT" and a.location and b.location and a.location.name != b.location.name:
        return False
    if a.factuality.tense != b.factuality.tense and "future" in (a.factuality.tense, b.factuality.tense):
        return False
    if a.recipients and b.recipients and not any(_same_party(x, y) for x in a.recipients for y in b.recipients) \
            and not (retelling and a.event.type == "ASSAULT"):
        return False  # drones to the GNA and drones to the LNA: two transfers, whoever reports them
        # (an attack retold names its target or its victims: a depot, then the guards killed there)
    return not _different_days(a.when, b.when)


AGENTLESS_MERGE_SENTENCES = 6




def _retold(a: Claim, b: Claim) -> bool:
    """Two passages tell the same act: the same place, the same kind of weapon, a victim or target in common,
    or the same count."""
    if a.location and b.location and a.location.name and a.location.name == b.location.name:
        return True
    if {m.category for m in a.materiel} & {m.category for m in b.materiel} - {"other"}:
        return True
    wa = {w for r in a.recipients for w in re.findall(r"[a-z]{4,}", r.text.lower())}
    wb = {w for r in b.recipients for w in re.findall(r"[a-z]{4,}", r.text.lower())}
    if wa & wb:
        return True

    def counts(c: Claim) -> set[str]:
        words = re.findall(r"[\w-]+", c.evidence.text.lower())
        return {w for w in words if (w.isdigit() and len(w) < 4) or w in _source_nouns()["number_words"]}

    return bool(counts(a) & counts(b))


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", text) if w[0].isupper())


def same_speaker(x: Actor, y: Actor) -> bool:
    """Two speakers are one: the same registry id, the same words, or a name and its acronym ("the Syrian
    Observatory for Human Rights" ... "the SOHR")."""
    if x.id and y.id:
        return x.id == y.id
    tx, ty = x.text.strip(), y.text.strip()
    if tx.lower() == ty.lower():
        return True
    short, long_ = sorted((tx, ty), key=len)
    return short.isupper() and 2 <= len(short) <= 8 and _initials(long_) == short


def _same_party(x: Any, y: Any) -> bool:
    """Two role fillers may be the same party: the same registry id, or, when either is unresolved, the same
    country or the same words (two different registered ids are two parties, even of one country)."""
    if x.id and y.id:
        return bool(x.id == y.id)
    return bool(x.country and x.country == y.country) or x.text.lower() == y.text.lower()


def _different_days(a: Any, b: Any) -> bool:
    """Both claims carry a date and they differ: resolved dates that differ, or, unresolved, two written
    dates with numbers in them ("3 May", "12 May") that differ. "Tuesday" and "yesterday" may be one day."""
    if a is None or b is None:
        return False
    if a.date and b.date:
        return bool(a.date != b.date)
    ta, tb = (a.text or "").lower(), (b.text or "").lower()
    return bool(ta and tb and ta != tb and any(ch.isdigit() for ch in ta) and any(ch.isdigit() for ch in tb))


def fold_payers(claims: list[Claim]) -> None:
    """A paying clause in the sentence of a transfer ("..., while Doha pays for them") names the
    transfer's funders; the paying claim stays as its own economic-aid claim too."""
    for p in claims:
        if p.event.type != "AID" or p.event.aid_type != "economic" or not p.actors:
            continue
        for t in claims:
            if t is p or t.event.type not in ("AID", "AGREE") or t.evidence.start != p.evidence.start:
                continue
            if t.event.aid_type == "economic" or not t.materiel:
                continue
            known = {(f.id, f.country) for f in t.funders}
            for a in p.actors:
                if (a.id, a.country) not in known and a.country not in {x.country for x in t.actors}:
                    t.funders.append(a)
                    t.why["funders"] = f"paying clause '{p.event.trigger}' in the same sentence"


def merge_claims(claims: list[Claim]) -> list[Claim]:
    """One claim per reported event: a lead sentence and the quote it summarizes (same speaker, same event
    family, shared actor, compatible materiel and tense) become one claim; the later passage goes to
    `evidence.more`, the weaker certainty wins, and roles are unioned."""
    out: list[Claim] = []
    for c in claims:
        target = next((o for o in out if o.evidence.start != c.evidence.start and _compatible(o, c)), None)
        if target is None:
            # same sentence, same event and same participants: keep one
            dup = next((o for o in out if o.evidence.start == c.evidence.start and o.event.type == c.event.type
                        and o.factuality.polarity == c.factuality.polarity
                        and (_actor_keys(o.actors) & _actor_keys(c.actors) or not o.actors or not c.actors)), None)
            if dup is not None:
                _union(dup, c, same_passage=True)
                continue
            out.append(c)
            continue
        _union(target, c)
    return out


ACTOR_KINDS = frozenset(get_args(ActorKind))
UNNAMED_WHY = "an unnamed source, as the text describes it"
UNRESOLVED_WHY = "a source named as written, which the registry does not resolve"


def unnamed_speaker(phrase: str, affiliation: Any, anonymous: bool, start: int | None = None) -> Actor | None:
    """The speaker of a frame whose source is not resolved to an actor: the source phrase as written ("a
    military source", "senior opposition officials", "the Gulf country"), with the country of the side it is
    named with; None when the phrase is empty or too long to be a name."""
    text = " ".join(phrase.split()).strip(" ,.;:")
    text = re.sub(r"^(?:(?:the|an?)\s+)+", "", text, flags=re.IGNORECASE)
    if not text or len(text) > 80 or text.split()[0].lower() in _source_nouns()["not_a_source"]:
        return None
    core = re.split(r"\s(?:in|at|from|of|by|with|for|on|who|which|that|reviewed|seen|cited|obtained|quoted|close|"
                    r"familiar)\s", " " + text.lower() + " ")[0].split()
    if set(core) & _source_nouns()["evidence"]:
        return None  # data, imagery, an incident: what a claim rests on, not who makes it
    if set(core) & (SPEAKER_ROLES | {r + "s" for r in SPEAKER_ROLES}):
        anonymous = True  # "diplomats in Nairobi", "a senior official": a role, not a name
    s0 = e0 = None
    if start is not None:
        s0 = start + phrase.find(text) if text in phrase else start
        e0 = s0 + len(text)
    return Actor(text=text, kind="unknown", country=getattr(affiliation, "country", None), start=s0, end=e0,
                 why=UNNAMED_WHY if anonymous else UNRESOLVED_WHY)


def resolve_definites(quotes: list[Quote], claims: list[Claim], body: str) -> None:
    """The speaker table of the document: a definite description ("the ministry", "the panel", "the
    spokesman") that no registry resolves points back to the latest earlier source named with the same head
    word ("the Bordurian defence ministry said ... The ministry added ..."); quotes and claims take the same
    entry."""
    table: list[Actor] = []
    resolved: dict[tuple[int | None, int | None], Actor] = {}
    for q in sorted(quotes, key=lambda q: q.content.start):
        sp = q.speaker
        if sp is None:
            continue
        words = sp.text.lower().split()
        if sp.id is None and sp.start is not None and len(words) == 1 \
                and body[max(0, sp.start - 4):sp.start].lower() == "the ":
            earlier = next((e for e in reversed(table) if len(e.text.split()) > 1
                            and e.text.lower().split()[-1] == words[0]), None)
            if earlier is not None:
                resolved[(sp.start, sp.end)] = earlier
                q.speaker = earlier
                continue
        table.append(sp)
    for c in claims:
        sp = c.attribution.speaker
        if sp is not None and (sp.start, sp.end) in resolved:
            c.attribution.speaker = resolved[(sp.start, sp.end)]
            c.why["speaker"] = f"'the {sp.text}' refers back to '{c.attribution.speaker.text}'"


def speak_from_quotes(claims: list[Claim], quotes: list[Quote], body: str) -> None:
    """A claim's speaker and its quote come from one place: a claim in the outlet's voice whose trigger lies
    in the words a quote attributes (the innermost quote with a speaker), or is that quote's own cue ("X
    denied ..."), takes the quote's speaker, cue and chain; a media speaker that cites its sources ("X
    reported, citing officials") passes the claim to those sources, the outlet going to `via`."""
    for c in claims:
        a = c.attribution
        t0 = c.event.trigger_start if c.event.trigger_start is not None else c.evidence.start
        if a.speaker is None:
            if a.speaker_role is None and a.quote == "none":
                quotes_ = [q for q in quotes if _reports_words(q)]
            else:  # an unnamed source of the claim's own frame: its quote names it as written
                quotes_ = quotes
            inside = [q for q in quotes_ if q.speaker is not None and q.content.start <= t0 < q.content.end]
            own = [q for q in quotes_ if q.speaker is not None and q.cue is not None
                   and q.cue.start <= t0 < q.cue.end]
            q = min(inside, key=lambda q: q.content.end - q.content.start) if inside else (own[0] if own else None)
            if q is None and c.event.type in ("REJECT", "ACCUSE") and c.actors and a.quote == "none" \
                    and c.event.trigger.lower().split()[0] in _source_nouns()["speech_act_cues"]:
                a.speaker = c.actors[0]
                c.why["speaker"] = f"the {c.event.type.lower()} is the act of speaking of '{c.actors[0].text}'"
                continue
            if q is None:
                continue
            a.speaker = q.speaker
            if q.cue is not None:
                a.cue = a.cue or q.cue.text
            if a.quote == "none":
                a.quote = q.quote
            for v in q.via:
                if all(v.name != w.name for w in a.via):
                    a.via.append(v)
            a.via = chain_order(a.via)
            a.evidence_basis = a.evidence_basis or q.evidence_basis
            c.why["speaker"] = f"the quote '{body[q.content.start:q.content.start + 40]}...' is attributed to " \
                               f"'{q.speaker.text}'"
        elif a.speaker.kind == "media":
            _cited_sources(c, quotes, body)
        else:
            _reported_speech_act(c, quotes)


@lru_cache(maxsize=1)
def _source_nouns() -> dict[str, frozenset[str]]:
    data = yaml.safe_load((resources.files("khaldun") / "data" / "lexicon" / "sources.yaml").read_text("utf-8"))
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}


def _head_word(a: Actor) -> str:
    words = [w for w in re.split(r"[^\w'-]+", a.text.lower()) if w]
    if not words:
        return ""
    # "statement from NISA", "report by the panel": the head comes before the preposition
    for k, w in enumerate(words):
        if w in lexicon_words("pipeline", "author_preps") and k:
            return words[k - 1]
    return words[-1]


def authors_of_products(claims: list[Claim], quotes: list[Quote], mentions: list[Any]) -> None:
    """Document-level attribution for sources that are things: a written product speaks for its author (named
    in the phrase, or the latest earlier speaker that is an actor), evidence and events speak for no one."""
    nouns = _source_nouns()
    for c in claims:
        a = c.attribution
        sp = a.speaker
        if sp is None or sp.id is not None:
            continue
        head = _head_word(sp)
        if head in nouns["evidence"]:
            a.evidence_basis = a.evidence_basis or sp.text
            a.speaker = None
            c.why["speaker"] = f"'{sp.text}' shows, it does not speak: the outlet's own voice"
            continue
        if head not in nouns["products"]:
            continue
        owner = None
        if sp.start is not None and sp.end is not None:
            owner = next((m for m in mentions if m.kind == "actor" and m.id and sp.start <= m.start < sp.end), None)
        if owner is not None:
            kind = owner.label if owner.label in ACTOR_KINDS else "unknown"
            a.speaker = Actor(text=owner.text, id=owner.id, kind=kind, country=owner.country,
                              start=owner.start, end=owner.end, why=f"the author of '{sp.text}'")
            a.via = chain_order([*a.via, Via(name=sp.text, kind="document")]) if all(
                v.name != sp.text for v in a.via) else a.via
            c.why["speaker"] = f"'{sp.text}' is the product of '{owner.text}'"
            continue
        earlier = [q.speaker for q in quotes if q.speaker is not None and q.content.start < c.evidence.start
                   and _head_word(q.speaker) not in nouns["products"] | nouns["evidence"]]
        if earlier:
            a.speaker = earlier[-1]
            c.why["speaker"] = f"'{sp.text}' refers back to the latest source named before it, '{earlier[-1].text}'"


def _reported_speech_act(c: Claim, quotes: list[Quote]) -> None:
    """A speech act told in another source's words ("the captain revealed that X had threatened ..."): the
    act is X's, the claim is the teller's, as for any other act in those words."""
    a = c.attribution
    sp = a.speaker
    t0 = c.event.trigger_start
    if sp is None or t0 is None or c.event.type == "REJECT":
        return  # a denial stays the denier's: it is the denier's commitment, whoever relays it
    own_cue = bool(a.cue) and a.cue.split()[0].lower() == c.event.trigger.split()[0].lower()
    if not own_cue and not any(q.cue is not None and q.cue.start <= t0 < q.cue.end and q.speaker is not None
                               and same_speaker(q.speaker, sp) for q in quotes):
        return
    outer = [q for q in quotes if q.speaker is not None and q.content.start <= t0 < q.content.end
             and not same_speaker(q.speaker, sp) and _reports_words(q)]
    if outer:
        q = min(outer, key=lambda q: q.content.end - q.content.start)
        a.speaker = q.speaker
        a.cue = q.cue.text if q.cue is not None else a.cue
        c.why["speaker"] = f"'{sp.text}' {c.event.trigger} in the words of '{q.speaker.text}'" if q.speaker else ""


def _reports_words(q: Quote) -> bool:
    """The quote reports words or published findings ("said", "found", "revealed"), not a stance or an
    intention ("raised concerns about", "agreed to"): only such a quote speaks for the claims in it."""
    if q.cue is None:
        return q.quote == "direct"
    return bool(set(re.findall(r"[a-z]+", q.cue.text.lower())) & _source_nouns()["finding_cues"])


def _cited_sources(c: Claim, quotes: list[Quote], body: str) -> None:
    """'X reported, citing senior officials': the officials speak, X is the nearest step of the chain."""
    a = c.attribution
    sp = a.speaker
    if sp is None:
        return
    for q in quotes:
        if q.cue is None or not q.cue.text.lower().startswith("citing") or q.speaker is None:
            continue
        if not (c.evidence.start <= q.cue.start < c.evidence.end) or (q.speaker.id or q.speaker.text) != (
                sp.id or sp.text):
            continue
        src = unnamed_speaker(q.content.text, None, True)
        if src is None:
            continue
        a.speaker = src
        if all(v.name != sp.text for v in a.via):
            a.via.insert(0, Via(name=sp.name or sp.text, kind="outlet"))
        c.why["speaker"] = f"'{sp.text}' cites '{src.text}': they speak, the outlet relays"
        return


PURPOSE_DEPS = frozenset({"xcomp", "advcl"})
PURPOSE_FAMILY = {"AID": "AID", "SUPPORT": "AID", "AGREE": "AID"}


def fold_purposes(claims: list[Claim], triggers: dict[int, Any]) -> list[Claim]:
    """An act and its purpose in one sentence ("X supplied the rebels with rifles to help them hold the town")
    are one claim: the purpose clause's aid or support joins the act it explains."""
    out: list[Claim] = []
    by_tok = {triggers[id(c)].i: c for c in claims if id(c) in triggers}
    for c in claims:
        tok = triggers.get(id(c))
        target = None
        if tok is not None and tok.dep_ in PURPOSE_DEPS and any(x.dep_ == "aux" and x.lower_ == "to" for x in tok.children):
            fam = PURPOSE_FAMILY.get(c.event.type)
            cur = tok
            for _ in range(6):  # the act the purpose clause hangs on, or the parser's nearest word to it
                if cur.head.i == cur.i or fam is None:
                    break
                cur = cur.head
                head = by_tok.get(cur.i)
                if head is not None and head is not c and PURPOSE_FAMILY.get(head.event.type) == fam \
                        and head.evidence.start == c.evidence.start:
                    target = head
                    break
        if target is None:
            out.append(c)
            continue
        target.why["purpose"] = f"'{c.event.trigger}' is the purpose of '{target.event.trigger}', not another act"
    return out


def fold_headline(h: Claim, claims: list[Claim]) -> bool:
    """The headline repeated in the body joins the first body claim of the same event it names (same type
    family and polarity, no conflicting participants): the body's passage stays the evidence, the
    headline goes to `evidence.more`, and the headline's participants fill the ones the body leaves open.
    False when no body claim reports it."""
    fam = {"AID": "AID", "AGREE": "AID"}

    def fits(o: Claim) -> bool:
        if fam.get(o.event.type, o.event.type) != fam.get(h.event.type, h.event.type):
            return False
        if o.factuality.polarity != h.factuality.polarity:
            return False
        if o.actors and h.actors and not (_actor_keys(o.actors) & _actor_keys(h.actors)):
            return False
        ko = {x.id or x.country for x in o.recipients} - {None}
        kh = {x.id or x.country for x in h.recipients} - {None}
        # a headline names parties loosely ("rebels", "Ruritanian rebels"): only known, different parties differ
        return not (ko and kh and not ko & kh)

    target = next((o for o in sorted(claims, key=lambda c: c.evidence.start) if fits(o)), None)
    if target is None:
        return False
    _union(target, h)
    target.why["merged"] = "the headline repeated in the body reports this claim"
    return True


def _union(t: Claim, c: Claim, same_passage: bool = False) -> None:
    def add(xs: list[Any], ys: list[Any]) -> None:
        keys = {(x.id, x.country, x.text.lower()) for x in xs}
        for y in ys:
            k = (y.id, y.country, y.text.lower())
            if k not in keys and not (y.id and any(x.id == y.id for x in xs)):
                xs.append(y)
                keys.add(k)

    add(t.actors, c.actors)
    add(t.recipients, c.recipients)
    add(t.funders, c.funders)
    mk = {(m.category, m.designation) for m in t.materiel}
    for m in c.materiel:
        if (m.category, m.designation) not in mk:
            t.materiel.append(m)
            mk.add((m.category, m.designation))
    t.location = t.location or c.location
    if t.when.date is None and c.when.date is not None:
        t.when = c.when
    if CERTAINTY_ORDER[c.factuality.certainty] > CERTAINTY_ORDER[t.factuality.certainty]:
        t.factuality.certainty = c.factuality.certainty
    for cue in c.factuality.cues:
        if cue not in t.factuality.cues:
            t.factuality.cues.append(cue)
    ta, ca = t.attribution, c.attribution
    ta.evidence_basis = ta.evidence_basis or ca.evidence_basis
    for v in ca.via:
        if all(v.name != w.name for w in ta.via):
            ta.via.append(v)
    ta.via = chain_order(ta.via)
    if ta.quote != ca.quote and "none" not in (ta.quote, ca.quote):
        ta.quote = "mixed"
    if t.event.aid_type is None:
        t.event.aid_type = c.event.aid_type
    if not same_passage and all(p.start != c.evidence.start for p in t.evidence.more):
        t.evidence.more.append(Passage(text=c.evidence.text, start=c.evidence.start, end=c.evidence.end,
                                       sentence=c.evidence.sentence))
        t.why["merged"] = "the same claim by the same speaker reported again in a later passage"
    for k, v in c.why.items():
        t.why.setdefault(k, v)


def signals(c: Claim, claims: list[Claim]) -> list[Signal]:
    """Source-criticism signals (never a verdict)."""
    out: list[Signal] = []
    a = c.attribution
    sp = a.speaker
    if sp is not None and sp.id is None and sp.why == UNNAMED_WHY:
        sp = None  # an unnamed source named as written ("two Turkish officials") is still unnamed
    if sp is None and a.quote == "none":
        out.append(Signal(signal="outlet_voice", reason="stated by the outlet in its own voice, no source named"))
    elif sp is None:
        reason = f"attributed to unnamed {a.speaker_role}" if a.speaker_role else "attributed to an unnamed source"
        if a.speaker_affiliation is not None:
            reason += f" ({a.speaker_affiliation.text})"
        out.append(Signal(signal="anonymous_source", reason=reason))
    # an unnamed source still speaks for the side it is named with ("two Turkish officials said")
    sp = sp if sp is not None else a.speaker_affiliation
    if sp is not None:
        party = sp.sector in PARTY_SECTORS or sp.kind in ("armed_group", "state")
        if party:
            out.append(Signal(signal="party_to_conflict",
                              reason=f"{sp.text} speaks for a party (sector {sp.sector or sp.kind})"))
        side = {sp.id, sp.country} - {None}
        own = any(x.id in side or (x.country in side and x.sector == sp.sector) for x in c.actors)
        if own and c.event.type in ("ASSAULT", "MOBILIZE", "COERCE"):
            out.append(Signal(signal="own_side_success", reason="the speaker reports its own side's action"))
        if c.event.type in ("ACCUSE",) or (not own and c.event.type in ("ASSAULT", "AID") and party):
            out.append(Signal(signal="adversary_wrongdoing", reason="the speaker reports another party's action"))
    out.append(Signal(signal="single_source", reason="one source in this document; corroboration is counted "
                                                     "across documents"))
    if c.factuality.tense == "future":
        out.append(Signal(signal="future_claim", reason="about something that has not happened yet"))
    if a.evidence_basis:
        out.append(Signal(signal="evidence_stated", reason=f"rests on: {a.evidence_basis}"))
    elif sp is not None:
        out.append(Signal(signal="no_evidence_stated", reason="the speaker gives no basis"))
    return out


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT
