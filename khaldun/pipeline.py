"""The pipeline: ingest -> text (here: normalization, furniture, language, paragraphs, dateline; then spaCy in
batches) -> the English stages in order (`english_stages`, khaldun/stages: mentions & actors -> frames ->
attribution & factuality -> re-typing -> claim filter -> folds -> speakers -> merge -> chains -> signals ->
ACLED & embargo -> the Document). Arabic takes its own path (khaldun/arabic). `analyze` and `analyze_many` are
the public entry points; `code_at` codes the events at triggers a caller names.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from .dates import parse_published
from .models import Claim, Document, Passage, Source
from .nlp import BATCH_SIZE, Paragraph, paragraphs, parse_paragraphs
from .nlp_ents import document_ents
from .places import Gazetteer
from .stages.assemble import AssembleStage, _claim_id, document_warnings
from .stages.base import Para, Stage, WorkDoc, run
from .stages.chain import ChainStage
from .stages.claims import ClaimStage, claim_of
from .stages.coding import CodeStage, code_claim
from .stages.filter import FilterStage
from .stages.frames import FrameStage
from .stages.mentions import MentionStage
from .stages.merge import FoldStage, MergeStage
from .stages.panels import PanelStage
from .stages.retype import RetypeStage, retype
from .stages.signals import SignalStage
from .stages.speakers import SpeakerStage
from .text import OffsetMap, detect_language, normalize, strip_furniture

__all__ = ["DATELINE", "Pipeline", "default_pipeline", "document_warnings", "english_stages", "gc_paused", "settle",
           "settled_pipeline"]

DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Z'.\- ]{1,40}[A-Z])(?:,\s*[A-Z][A-Za-z.]+\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?){0,3}"
    r"|(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?))"
    r"\s*(?:\((?P<agency>[^()]{2,50})\))?\s*[-\u2013\u2014:]+\s+")


def english_stages(registry: Any, gazetteer: Any) -> list[Stage]:
    """The stages of the English path, in order (the protocol: `khaldun/stages/base.py`)."""
    return [MentionStage(registry, gazetteer), FrameStage(registry), ClaimStage(), RetypeStage(), FilterStage(),
            FoldStage(), SpeakerStage(), MergeStage(), ChainStage(), SignalStage(), CodeStage(), AssembleStage(),
            PanelStage(registry)]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: building the pipeline makes ~300k long-lived objects (model,
    registries, gazetteer, automata), and each collection while they pile up walks them all again for
    nothing. Reference counting still frees the rest. Paused through the thresholds, not `gc.disable`:
    spaCy's model loading (srsly's msgpack) calls `gc.enable`. Only worth it when what was built is then
    frozen (`settle`) before the pause ends: else the first collection after it walks everything once."""
    thresholds = gc.get_threshold()
    gc.set_threshold(0)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class Pipeline:
    def __init__(self, registry: Any = None, nlp: Any = None) -> None:
        from .config import registry_with_user_files

        self.registry = registry or registry_with_user_files()
        self.gazetteer = Gazetteer.default()
        if nlp is None:
            from .nlp_ents import model_for  # the default model, or without spaCy's NER (KHALDUN_NER=finder)

            nlp = model_for(self.registry, self.gazetteer)
        self.nlp = nlp
        self.errors: list[str] = []  # documents whose analysis failed, "PATH: reason"
        self.stages: list[Stage] = english_stages(self.registry, self.gazetteer)

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
        parsed = list(zip(pr["paras"], parse_paragraphs([p.text for p in pr["paras"]], self.nlp), strict=True))
        document, work = self._analysis(pr, parsed)  # its stages' state is reused for the named triggers
        out: list[Claim | None] = [None] * len(triggers)
        for k, (span, etype) in enumerate(wanted):
            if span is None or work is None:
                continue
            for p in work.paras:
                lo, hi = span[0] - p.start, span[1] - p.start
                toks = [t for t in p.sdoc if t.idx < hi and t.idx + len(t) > lo and not t.is_punct]
                if not toks or p.extractor is None or work.attributor is None:
                    continue
                ids = {t.i for t in toks}
                head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])
                rc = p.extractor.at(head, etype)
                if rc is not None:
                    basis = work.attributor.evidence_basis(rc.trigger, rc.frame.cue_tok if rc.frame else None)
                    c = claim_of(rc, body, pr["published"], work.sent_spans, basis, keep_unasserted=True)
                    if c is not None:
                        retype(c, rc.trigger)
                    out[k] = c
                break
        for k, c in enumerate(out):
            if c is not None:
                c.id = _claim_id(document.id, c, 10_000 + k)
                code_claim(c, pr["published"])
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
        for (di, p), sdoc in zip(flat, parse_paragraphs([p.text for _, p in flat], self.nlp), strict=False):
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

    def _document(self, pr: dict[str, Any], parsed: list[tuple[Any, Any]]) -> Document:
        return self._analysis(pr, parsed)[0]

    def _analysis(self, pr: dict[str, Any], parsed: list[tuple[Any, Any]]) -> tuple[Document, WorkDoc | None]:
        """One analyzed Document, and the English stages' work on it (None for the Arabic path or another
        language), which `code_at` reuses."""
        from .arabic.dispatch import other_language  # language dispatch: Arabic path, or a warning (issue 14)
        if (other := other_language(pr, self.registry, self.gazetteer)) is not None:
            from .panels import resolve_panels

            return resolve_panels(other, self.registry), None
        body: str = pr["body"]
        document_ents(self.nlp, [sdoc for _, sdoc in parsed])  # without spaCy's NER: names across paragraphs
        work = WorkDoc(id=hashlib.sha256(body.encode("utf-8")).hexdigest(), body=body, published=pr["published"],
                       prepared=pr, paras=[Para(start=p.start, sdoc=sdoc) for p, sdoc in parsed])
        run(self.stages, work)
        assert work.document is not None, "the last stage assembles the Document"
        return work.document, work


_DEFAULT: Pipeline | None = None
_DEFAULT_NER: str | None = None  # the entity source _DEFAULT was built with
GC_YOUNG = 10_000  # net new containers between two collections of the youngest generation (see `settle`)


def settle() -> None:
    """Move everything loaded so far (the model, registries, gazetteer: ~270k objects) out of the cyclic
    garbage collector's reach (`gc.freeze`). They live as long as the process, and every full collection
    walked them all: ~0.15 s each, several per thousand articles. Called once a process's long-lived
    pipeline is built (`default_pipeline`, ingest's and Dask's workers), not for every `Pipeline`.

    The youngest generation is also collected less often (every `GC_YOUNG` net new containers instead of
    Python's 700): an article's analysis leaves thousands of short-lived containers that outlive a 700-object
    window only to die a little later, and each young collection walked them again (~15 ms of ~1.2 s CPU on
    the bench's 48 articles at 700, ~7 at 10,000); the garbage itself is the same, collected a little later."""
    gc.freeze()
    young, *older = gc.get_threshold()
    if 0 < young < GC_YOUNG:
        gc.set_threshold(GC_YOUNG, *older)


def settled_pipeline() -> Pipeline:
    """A new default Pipeline for a long-lived process (the CLI's, ingest's and Dask's workers): built with
    the cyclic collector paused, then settled (frozen) before it resumes. The collections a build makes
    otherwise cost ~0.1 s of a one-document run's start-up, for nothing."""
    with gc_paused():
        pipe = Pipeline()
        gc.freeze()  # before the pause ends, or the first collection after it walks everything once
    settle()  # after it: the pause puts the thresholds back as they were, which would undo the young one
    return pipe


def default_pipeline() -> Pipeline:
    """The process-wide pipeline, built once for the entity source the environment names (KHALDUN_NER): a
    changed switch gets a pipeline of its own kind."""
    global _DEFAULT, _DEFAULT_NER
    from .nlp_ents import ner_source

    source = ner_source()
    if _DEFAULT is None or _DEFAULT_NER != source:
        _DEFAULT = settled_pipeline()
        _DEFAULT_NER = source
    return _DEFAULT
