"""The stage protocol (khaldun/stages): each stage runs alone on a WorkDoc and fills its own fields; the
English pipeline is its list of stages run in order; the frame stage reads the mention table and never
calls back into actor resolution."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest

from khaldun import actors
from khaldun.models import (
    Actor,
    Attribution,
    Claim,
    Dropped,
    Event,
    Evidence,
    Factuality,
    Materiel,
    Passage,
    When,
)
from khaldun.nlp import paragraphs
from khaldun.pipeline import default_pipeline, english_stages
from khaldun.stages.assemble import AssembleStage
from khaldun.stages.base import Para, Stage, WorkDoc, run
from khaldun.stages.chain import ChainStage
from khaldun.stages.claims import ClaimStage
from khaldun.stages.coding import CodeStage
from khaldun.stages.filter import FilterStage
from khaldun.stages.frames import FrameStage
from khaldun.stages.mentions import MentionStage
from khaldun.stages.merge import MergeStage
from khaldun.stages.retype import RetypeStage
from khaldun.stages.signals import SignalStage

ORDER = ["mentions", "frames", "claims", "retype", "filter", "folds", "speakers", "merge", "chain", "signals",
         "coding", "assemble", "panels"]


def work(text: str, published: date | None = date(2021, 3, 4), title: str | None = None,
         dateline: tuple[str | None, str | None] | None = None) -> WorkDoc:
    """A WorkDoc as the text stage leaves it, for `text` (one paragraph per blank-line block)."""
    pipe = default_pipeline()
    paras = paragraphs(text)
    sdocs = list(pipe.nlp.pipe([p.text for p in paras]))
    prepared: dict[str, Any] = dict(item={}, body=text, title=title, published=published, language="en",
                                    removed=[], paras=paras, dateline=dateline)
    return WorkDoc(id=hashlib.sha256(text.encode()).hexdigest(), body=text, published=published, prepared=prepared,
                   paras=[Para(start=p.start, sdoc=s) for p, s in zip(paras, sdocs, strict=True)])


def through(doc: WorkDoc, last: str) -> WorkDoc:
    pipe = default_pipeline()
    stages = pipe.stages[:ORDER.index(last) + 1]
    return run(stages, doc)


def claim(etype: str, actor: str, start: int, speaker: Actor | None = None, **kw: Any) -> Claim:
    return Claim(id="", event=Event(type=etype, trigger="struck", trigger_start=start, trigger_end=start + 6),
                 actors=[Actor(text=actor, id=kw.pop("actor_id", None), country=kw.pop("country", None),
                               kind=kw.pop("kind", "unknown"))],
                 attribution=Attribution(speaker=speaker, quote="none" if speaker is None else "indirect"),
                 evidence=Evidence(text="x", start=start, end=start + 1, sentence=kw.pop("sentence", 0)), **kw)


def test_the_pipeline_is_its_stages_in_order() -> None:
    stages = english_stages(default_pipeline().registry, default_pipeline().gazetteer)
    assert [s.name for s in stages] == ORDER
    assert all(isinstance(s, Stage) for s in stages)
    assert [s.name for s in default_pipeline().stages] == ORDER


def test_running_the_stages_gives_what_analyze_gives() -> None:
    text = "Rebel fighters shelled the airport of Misrata on Sunday, a military spokesman said.\n\n" \
           "The army said it would send more troops to the city."
    doc = run(default_pipeline().stages, work(text, published=None))
    assert doc.document is not None
    direct = default_pipeline().analyze(text)
    assert doc.document.model_dump() == direct.model_dump()
    assert [c.event.type for c in direct.claims]


def test_mention_stage_builds_the_table_once() -> None:
    doc = MentionStage(default_pipeline().registry, default_pipeline().gazetteer)(
        work("Armed groups and troops moved into Benghazi with two rifles.\n\nThe convoy went on."))
    pm = doc.paras[0].table
    assert pm is not None
    toks = {t.text: t.i for t in pm.doc}
    assert pm.sectors.get(toks["groups"])  # "armed groups": an agent phrase
    assert pm.word_sectors.get(toks["troops"])
    assert doc.focus == "LBY"
    assert any(m.text == "Benghazi" for m in doc.mentions)
    # the materiel of an earlier paragraph is there for the next one's frames ("the convoy")
    assert doc.paras[0].earlier_materiel is None
    assert isinstance(doc.paras[1].earlier_materiel, Materiel)
    assert "rifle" in doc.paras[1].earlier_materiel.text


def test_mention_stage_resolves_registered_affiliations() -> None:
    reg = default_pipeline().registry
    person = next(e for e in reg if e.kind == "person" and e.affiliation and reg.get(e.affiliation) is not None)
    doc = MentionStage(reg, default_pipeline().gazetteer)(work(f"{person.name} spoke to reporters on Monday."))
    pm = doc.paras[0].table
    assert pm is not None
    assert any(m.actor is not None and m.actor.id == person.id for m in pm.all)
    assert pm.affiliations[person.id].id == person.affiliation


def test_frame_stage_never_calls_back_into_actor_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Government troops and armed groups shelled the town, a military spokesman said. The army's " \
           "defence ministry said its soldiers had fired on the militias."
    reg = default_pipeline().registry
    doc = MentionStage(reg, default_pipeline().gazetteer)(work(text))
    assert doc.paras[0].table is not None and doc.paras[0].table.sectors

    def no(*a: Any, **k: Any) -> None:
        raise AssertionError("the frame stage resolved an actor again")

    monkeypatch.setattr(actors, "agent_sector", no)
    monkeypatch.setattr(type(reg), "get", no)
    monkeypatch.setattr(type(reg), "find", no)
    doc = FrameStage(reg)(doc)
    assert doc.raws and len(doc.bases) == len(doc.raws)
    assert any(a.sector for rc in doc.raws for a in rc.actors)  # the agents came from the table


def test_claim_stage_drops_what_is_not_asserted() -> None:
    doc = through(work("If the rebels attack the town, the army will respond. The militia shelled the port on "
                       "Monday."), "frames")
    doc = ClaimStage()(doc)
    assert [d.stage for d in doc.dropped] == ["assertion"]
    assert doc.dropped[0].trigger == "attack"
    assert "ASSAULT" in [c.event.type for c in doc.claims]
    assert all(id(c) in doc.triggers for c in doc.claims)


def test_retype_is_its_own_stage() -> None:
    doc = through(work("The French president said Russia should withdraw its troops from the region."), "claims")
    assert [c.event.type for c in doc.claims] == ["RETREAT"]  # as the frame stage coded it
    doc = RetypeStage()(doc)
    c = doc.claims[0]
    assert c.event.type == "REQUEST" and c.event.cameo == "020"
    assert c.why["event"].endswith("-> REQUEST")
    assert c.actors == [c.attribution.speaker] and c.recipients  # the speaker asks, Russia is asked
    doc = through(work("Egypt will send troops to the border, the Egyptian army said."), "claims")
    assert [c.event.type for c in RetypeStage()(doc).claims] == ["AGREE"]  # its own side's intent (PLOVER)


def test_drops_keep_the_order_of_the_candidates() -> None:
    doc = work("One sentence.")
    ev = Passage(text="x", start=0, end=1, sentence=0)
    for rank, reason in ((2, "b"), (0, "a"), (5, "c"), (2, "b2")):
        doc.drop(Dropped(stage="assertion", reason=reason, event_type="ASSAULT", trigger="t", evidence=ev), rank)
    assert [d.reason for d in doc.dropped] == ["a", "b", "b2", "c"]


def test_filter_stage_sets_the_repeated_headline_aside() -> None:
    title = "Militia shells the port"
    doc = through(work(f"{title}\n\nThe militia shelled the port of the city on Monday.", title=title), "retype")
    assert len(doc.claims) == 2
    doc = FilterStage()(doc)
    assert len(doc.headlines) == 1 and len(doc.claims) == 1
    assert set(doc.triggers) == {id(c) for c in doc.claims}


def test_merge_stage_alone() -> None:
    doc = work("One sentence.")
    spokesman = Actor(text="the army spokesman", kind="organization", country="RUR")
    a = claim("ASSAULT", "the army", 0, speaker=spokesman, country="RUR", actor_id="org/army")
    b = claim("ASSAULT", "the army", 40, speaker=spokesman, country="RUR", actor_id="org/army", sentence=2)
    headline = claim("PROTEST", "students", 80)
    doc.claims, doc.headlines = [a, b], [headline]
    doc.raws = []
    doc = MergeStage()(doc)
    assert doc.claims == [a]
    assert [p.start for p in a.evidence.more] == [40]
    assert [d.stage for d in doc.dropped] == ["furniture"]  # no claim of the body reports the headline


def test_chain_signal_coding_and_assemble_stages_alone() -> None:
    doc = work("One sentence.", published=None, dateline=("TRIPOLI", "Levant Wire"))
    c = claim("ASSAULT", "the militia", 0, kind="armed_group", when=When())
    doc.claims = [c]
    doc = ChainStage()(doc)
    assert [v.name for v in c.attribution.via] == ["Levant Wire"]
    doc = SignalStage()(doc)
    assert "outlet_voice" in [s.signal for s in c.attribution.signals]
    doc = CodeStage()(doc)
    assert c.event.acled_event_type is not None
    doc = AssembleStage()(doc)
    assert doc.document is not None and doc.document.claims == [c]
    assert c.id and len(c.id) == 16
    assert doc.document.warnings and doc.document.warnings[0].startswith("date unknown")


def test_factuality_default_is_kept_through_retype() -> None:
    doc = work("One sentence.")
    c = claim("ASSAULT", "the militia", 0, factuality=Factuality())
    doc.claims = [c]
    tok = work("The militia struck.").paras[0].sdoc[2]
    doc.triggers = {id(c): tok}
    RetypeStage()(doc)
    assert c.event.type == "ASSAULT" and c.factuality.polarity == "positive"
