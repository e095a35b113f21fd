"""The claim filter: candidate claims that hold no claim about the world, each dropped with its reason.

A candidate is dropped when
- its trigger stands on a line of page furniture: a related-story link ("Read: ..."), a photo caption or
  credit, a byline or time stamp, a subheading or headline-list item (a short line with no sentence mark),
  the article's headline repeated in the body, or a line that repeats most of a later passage (a caption or
  teaser of the lead);
- it is a reporting act of the outlet or a source rather than an act in the world: the reporter's note on a
  silence ("declined to comment", "did not respond to a request for comment", "no immediate response"), a
  publishing act ("released details", "issued a statement"), or watching ("is monitoring the situation");
- its modality makes it no assertion: a legal rule ("the resolution allows X to buy ..."), a hypothetical
  ("supplying weapons to X would breach the embargo", outside reported speech), a condition ("if X seizes
  the port, the next step is ...", unless the act is the conditional threat or demand itself), or a
  normative statement in the outlet's own voice ("X should withdraw").

The patterns live in data/lexicon/claim_filter.yaml. Nothing is dropped silently: the pipeline keeps every
dropped candidate in `Document.dropped` (`khaldun analyze --explain` prints them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .lexicon import document, triggers
from .models import Claim
from .nlp import lemma, sent_of
from .token_table import TokenTable, children_of, subtree_indices, token_table

HEADLINE_REASON = "furniture: the headline repeated in the body"
SENTENCE_END = tuple('.!?"”’\')»:;')
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def lexicon() -> dict[str, Any]:
    return document("claim_filter")


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[re.Pattern[str]]]:
    lx = lexicon()
    # every pattern list of the furniture section (link, caption, byline); its numbers are thresholds
    out = {k: [re.compile(p, re.I) for p in v] for k, v in lx["furniture"].items() if isinstance(v, list)}
    # each list also as one alternation (one scan of a line instead of one per pattern, as for no_comment below)
    out.update({f"{k}_any": [re.compile("|".join(f"(?:{p})" for p in v), re.I)]
                for k, v in lx["furniture"].items() if isinstance(v, list)})
    out["no_comment"] = [re.compile(p, re.I) for p in lx["reporting_acts"]["no_comment"]]
    # the same patterns as one alternation: a clause matches it exactly when it matches one of them (one scan
    # of the clause instead of one per pattern; the patterns hold no back-reference a merge would renumber)
    any_of = "|".join(f"(?:{p})" for p in lx["reporting_acts"]["no_comment"])
    out["no_comment_any"] = [re.compile(any_of, re.I)]
    # the same, case-sensitive, for a lower-cased ASCII clause (a third of the time of re.I), when no letter of
    # the patterns is upper case (an upper-case letter after a backslash is a class: \S, \W)
    out["no_comment_lower"] = [] if re.search(r"[A-Z]", re.sub(r"\\.", "", any_of)) else [re.compile(any_of)]
    return out


def _says_no_comment(clause: str) -> bool:
    """The clause is the reporter's note that a source did not comment or respond (a no_comment pattern)."""
    pats = _compiled()
    if pats["no_comment_lower"] and clause.isascii():
        return pats["no_comment_lower"][0].search(clause.lower()) is not None
    return pats["no_comment_any"][0].search(clause) is not None


def _words(s: str) -> list[str]:
    if s.isascii():  # (an ASCII text lowers letter by letter: the same words, lowered in one call)
        return WORD.findall(s.lower())
    return [w.lower() for w in WORD.findall(s)]


@lru_cache(maxsize=1)
def _sets() -> dict[str, frozenset[str]]:
    """The word and label lists of the lexicon that every candidate is tested against, as sets (built once)."""
    lx = lexicon()
    ra, md, syn = lx["reporting_acts"], lx["modality"], lx["syntax"]
    named = {**{f"ra_{k}": v for k, v in ra.items() if k != "no_comment"}, **{f"md_{k}": v for k, v in md.items()},
             **{f"syntax_{k}": v for k, v in syn.items()}}
    return {k: frozenset(v) for k, v in named.items() if isinstance(v, list)}


@dataclass
class Line:
    start: int
    end: int
    text: str


class PageContext:
    """The lines of one document's body, its title, and which lines repeat a later passage."""

    def __init__(self, body: str, title: str | None) -> None:
        self.body = body
        self.title_words = _words(title or "")
        self.lines: list[Line] = []
        pos = 0
        for raw in body.split("\n"):
            self.lines.append(Line(pos, pos + len(raw), raw))
            pos += len(raw) + 1
        self._repeats: dict[int, bool] = {}
        self._top: frozenset[int] | None = None
        self._furniture: dict[int, str | None] = {}
        self._line_words: list[set[str]] | None = None

    def words_of_lines(self) -> list[set[str]]:
        """The words of each line (built once: the repeat tests read every later line of the top lines)."""
        if self._line_words is None:
            self._line_words = [set(_words(ln.text)) for ln in self.lines]
        return self._line_words

    def line_at(self, offset: int) -> tuple[int, Line] | None:
        for k, ln in enumerate(self.lines):
            if ln.start <= offset <= ln.end:
                return k, ln
        return None

    def _is_paragraph(self, k: int) -> bool:
        """The line stands alone: blank (or nothing) before and after it, or the next line starts a new
        sentence with a capital letter."""
        nxt = next((ln.text.strip() for ln in self.lines[k + 1:] if ln.text.strip()), "")
        return not nxt or nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in '"“'

    def repeats_later(self, k: int) -> bool:
        """A line among the first lines of the page (where captions and teasers stand) that a later passage
        repeats."""
        if self._top is None:  # the first lines of the page: the same for every candidate
            self._top = frozenset([j for j, ln in enumerate(self.lines) if ln.text.strip()][
                :lexicon()["furniture"]["repeat_top_lines"]])
        if k not in self._top:
            return False
        if k not in self._repeats:
            lx = lexicon()["furniture"]
            line_words = self.words_of_lines()
            mine = line_words[k]
            hit = False
            if len(mine) >= lx["repeat_min_words"]:
                theirs = set().union(*line_words[k + 1:])  # (the words of the later lines, joined)
                hit = len(mine & theirs) / len(mine) >= lx["repeat_share"] and self._same_run(k)
            self._repeats[k] = hit
        return self._repeats[k]

    def _same_run(self, k: int) -> bool:
        """The repeated words come as one passage, not scattered over the article: some later line shares
        most of its own words with this one."""
        line_words = self.words_of_lines()
        mine = line_words[k]
        numbers = {w for w in mine if w.isdigit()}
        for w in line_words[k + 1:]:
            # a repeat says the same numbers: "sent drones on 3 May" and "... on 12 May" are two reports
            if len(w) >= 4 and len(w & mine) / len(w) >= 0.6 and len(w & mine) >= 0.5 * len(mine) \
                    and numbers <= w:
                return True
        return False

    def furniture(self, offset: int) -> str | None:
        """Why the line at this offset is page furniture, or None."""
        found = self.line_at(offset)
        if found is None:
            return None
        k, ln = found
        if k not in self._furniture:  # a line's answer is the same for every candidate on it
            self._furniture[k] = self._line_furniture(k, ln)
        return self._furniture[k]

    def _line_furniture(self, k: int, ln: Line) -> str | None:
        text = ln.text.strip()
        if not text or len(text.split()) > lexicon()["furniture"]["line_max_words"]:
            return None  # a line of running text, however it begins or ends
        pats = _compiled()
        if pats["link_any"][0].search(text):
            return "furniture: a link to another story"
        if pats["caption_any"][0].search(text):
            return "furniture: a photo caption or credit"
        if pats["byline_any"][0].search(text):
            return "furniture: a byline or time stamp"
        words = _words(text)
        if self.title_words and words == self.title_words:
            return HEADLINE_REASON
        if (len(words) <= lexicon()["furniture"]["heading_max_words"] and not text.endswith(SENTENCE_END)
                and self._is_paragraph(k)):
            return "furniture: a subheading or an item of a headline list"
        if self.repeats_later(k):
            return "furniture: a caption or teaser repeating a later passage"
        return None


def _clause_index(tab: TokenTable, i: int) -> int:
    """The nearest verb at or above token i (the clause it belongs to), read from the token table."""
    cur = i
    for _ in range(4):
        if tab.pos[cur] in ("VERB", "AUX") or tab.head[cur] == cur:
            return cur
        cur = tab.head[cur]
    return cur


def reporting_act(trigger: Any) -> str | None:
    """Why the candidate is a reporting act rather than an act in the world, or None."""
    # (read from the Doc's token table: the clause is most of a sentence, asked once per candidate)
    doc, ti = trigger.doc, trigger.i
    tab = token_table(doc)
    verb = _clause_index(tab, ti)
    # the clause's own words: not a relative or adverbial clause hung on it ("X, which declined to comment,
    # returned ...")
    hung = _sets()["syntax_hung_clause_deps"]
    inner: set[int] = set()
    for c in children_of(doc)[verb]:
        if tab.dep[c] in hung and c != ti:
            sub = subtree_indices(doc, c)
            if ti not in sub:
                inner.update(sub)
    clause = re.sub(r"\s+(n['\u2019]t)\b", r"\1",
                    " ".join(tab.text[i] for i in subtree_indices(doc, verb) if i not in inner))
    if _says_no_comment(clause):
        return "reporting act: the reporter's note that a source did not comment or respond"
    sets = _sets()
    lo, head = tab.lower[ti], tab.head[ti]
    if lo in sets["ra_report_nouns"] and tab.dep[ti] in ("nsubj", "nsubjpass") and (
            tab.lemma[head] in sets["ra_finding_verbs"] or tab.lower[head] in sets["ra_finding_verbs"]):
        return f"reporting act: the {lo} is the source of what '{tab.text[head]}' reports"
    kids = children_of(doc)
    if tab.pos[ti] == "NOUN" and lo in sets["ra_medium_heads"] and any(
            tab.dep[c] in ("compound", "amod") and tab.lower[c] in sets["ra_medium_modifiers"] for c in kids[ti]):
        return f"reporting act: a {lo} is the medium a source speaks through, not an act"
    lem = tab.lemma[ti]
    publish, watch = lem in sets["ra_publish_verbs"], lem in sets["ra_watch_verbs"]
    if not (publish or watch):
        return None  # (the tests below need one or the other)
    objs = [c for c in kids[ti] if tab.dep[c] in sets["syntax_object_or_attribute_deps"]]
    objs += [g for c in kids[ti] if tab.dep[c] == "prep" for g in kids[c] if tab.dep[g] == "pobj"]
    olems = {tab.lemma[o] for o in objs} | {tab.lower[o] for o in objs}
    if publish and olems & sets["ra_publish_objects"]:
        return f"reporting act: '{tab.text[ti]}' publishes information, it is no act in the world"
    if watch and olems & sets["ra_watch_objects"]:
        return f"reporting act: '{tab.text[ti]}' watches events, it is no act in the world"
    return None


def _ancestors(tab: TokenTable, i: int) -> list[int]:
    """The heads above token i (at most twelve), nearest first."""
    out = []
    cur = i
    for _ in range(12):
        if tab.head[cur] == cur:
            break
        cur = tab.head[cur]
        out.append(cur)
    return out


def modality(claim: Claim, trigger: Any) -> str | None:
    """Why the candidate is no assertion (legal rule, hypothetical, condition, norm), or None."""
    # (read from the Doc's token table: the path from the trigger up to its root and the children on it)
    md, sets = lexicon()["modality"], _sets()
    doc, ti = trigger.doc, trigger.i
    tab, kids = token_table(doc), children_of(doc)
    path = [ti, *_ancestors(tab, ti)]
    for t in path[:4]:
        if tab.lemma[t] in sets["md_rule_verbs"] and any(
                tab.dep[c] in ("nsubj", "nsubjpass") and tab.lemma[c] in sets["md_legal_subjects"] for c in kids[t]):
            return f"modality: a legal rule ('{tab.text[t]}' with a legal instrument as its subject)"
    attributed = claim.attribution.quote != "none" or claim.attribution.cue is not None
    marks = sets["md_conditional_marks"]
    # the act itself and the verbs it is the complement of ("shall start killing", "plans to send")
    own = {ti}
    cur = ti
    while tab.dep[cur] in ("xcomp",) and tab.head[cur] != cur:
        cur = tab.head[cur]
        own.add(cur)
    if claim.event.type not in md["conditional_keep"]:
        on_path = set(path)
        for t in path:
            for c in kids[t]:
                if tab.dep[c] != "advcl" or c in on_path or not _conditional_mark(doc[c], marks):
                    continue
                if t in own and not _counterfactual(doc[c]):
                    # "X will boycott the vote unless ...": a conditional announcement of the act itself
                    continue
                return f"modality: a conditional statement ('{_mark(doc[c], marks)} ...' clause)"
    if tab.pos[ti] == "VERB":
        auxes = [c for c in kids[ti] if tab.dep[c] in ("aux", "auxpass")]
        if auxes and all(tab.lower[c] == "be" for c in auxes) and tab.dep[ti] in sets["syntax_governed_verb_deps"]:
            # "... that would help the embargo be eased": a bare infinitive with no finite verb of its own
            return f"modality: a bare infinitive ('be {tab.text[ti]}') that another verb governs, not asserted"
    if attributed:
        return None  # (the tests below are of the outlet's own voice)
    verbs = [t for t in path if tab.pos[t] in ("VERB", "AUX")][:2]
    background = sets["md_background_preps"]
    for t in verbs:
        if not _main_clause(tab, t):
            continue  # "news that X would endorse ...", "adamant that X would seek ...": a reported future
        if _in_adjunct(tab, kids, path, t, background):
            continue  # "people should stay home because of the raids": the raids happened, the modal is the advice
        aux = {tab.lower[c] for c in kids[t] if tab.dep[c] == "aux"}
        if aux & sets["md_hypothetical_aux"] and not _habitual(trigger):
            return "modality: a hypothetical ('would') in the outlet's own voice"
        if aux & sets["md_normative_aux"] and claim.event.type != "REQUEST":
            return "modality: a normative statement ('should', 'must') in the outlet's own voice"
    return None


def _habitual(trigger: Any) -> bool:
    """The trigger's sentence has a word of habit: 'would' tells a past habit."""
    sent = sent_of(trigger)
    return not _sets()["md_habitual"].isdisjoint(token_table(sent.doc).lower[sent.start:sent.end])


def _in_adjunct(tab: TokenTable, kids: list[list[int]], path: list[int], verb: int, preps: frozenset[str]) -> bool:
    """Whether the trigger (``path[0]``) is named in an adjunct of cause, time or concession on the way up to
    `verb` ("must rebuild after the shelling", "should stay home because of the raids"): such an event is
    presupposed by the clause, not under its modal; so is a clause they introduce ("after rebels shelled it")."""
    for k, t in enumerate(path):
        if t == verb:
            return False
        if k and tab.dep[t] == "prep" and tab.lower[t] in preps:
            return True
        if tab.dep[t] == "advcl" and any(tab.dep[c] in ("mark", "prep") and tab.lower[c] in preps for c in kids[t]):
            return True
    return False


def _main_clause(tab: TokenTable, t: int) -> bool:
    """The verb heads its sentence, or is coordinated with, or the subject clause of, the verb that does."""
    chain = _sets()["syntax_main_clause_chain_deps"]
    cur = t
    for _ in range(3):
        if tab.head[cur] == cur:
            return True
        if tab.dep[cur] not in chain:
            return False
        cur = tab.head[cur]
    return False


def _counterfactual(clause: Any) -> bool:
    """An if-clause contrary to fact: "if X were ...", "if X had (not) agreed ..."."""
    if any(t.lower_ == "were" for t in clause.subtree):
        return True
    return any(c.lower_ == "had" and c.dep_ == "aux" for c in clause.children) and clause.tag_ == "VBN"


def _conditional_mark(clause: Any, marks: set[str]) -> bool:
    """An if-clause, not a concessive "even if" nor a comparison "as if"."""
    for m in clause.children:
        if m.dep_ == "mark" and m.lower_ in marks:
            prev = m.nbor(-1) if m.i > m.doc[0].i else None
            if prev is not None and prev.lower_ in ("even", "as"):
                return False
            return True
    return False


def _mark(clause: Any, marks: set[str]) -> str:
    return next((m.lower_ for m in clause.children if m.dep_ == "mark" and m.lower_ in marks), "if")


def assessment(trigger: Any) -> str | None:
    """A danger noun described by a verb or preposition ("poses a threat", "due to the threat") is an
    assessment of danger, not an act of threatening; support of a statement ("the imagery supports these
    claims") is evidence, not support of a party."""
    ax = lexicon()["assessment"]
    if trigger.pos_ in ("VERB", "NOUN") and lemma(trigger) in ("support", "supports") and any(
            c.dep_ in ("dobj", "obj") and (c.lower_ in ax["statement_objects"] or lemma(c) in ax["statement_objects"])
            for c in trigger.children):
        return f"assessment: '{trigger.text}' backs a statement, it is no support of a party"
    if trigger.lower_ not in ax["danger_nouns"] or trigger.pos_ not in ("NOUN", "PROPN"):
        return None
    head = trigger.head
    if head.i != trigger.i and head.dep_ == "prep":
        head = head.head if head.lower_ in ("to", "of") and head.head.i != head.i else head
    if lemma(head) in ax["describing_verbs"] or head.lower_ in ax["describing_verbs"] \
            or head.lower_ in ax["describing_preps"]:
        return f"assessment: a {trigger.lower_} described ('{head.text}'), not a threat made"
    return None


def _sources() -> dict[str, Any]:
    return document("sources")


@lru_cache(maxsize=64)  # asked once per actor of every candidate claim
def _text_nouns(event_type: str) -> frozenset[str]:
    d = _sources()
    words = frozenset(d["products"]) | frozenset(d["evidence"]) | frozenset(d["texts"])
    if event_type in lexicon()["text_agents"]["no_instrument_types"]:
        words |= frozenset(d["instruments"])  # a law may ban, sanction or recognize, not supply or fight
    return words


def no_agent(claim: Claim, trigger: Any) -> str | None:
    """Every actor of the candidate is a text, a finding or an event ("claims surfaced that ...", "the incident
    confirms ..."), which does not act: the candidate misreads a clause about a text as an act."""
    # a text may well ask, accuse or protest ("the briefing calls for ..."), and a nominal event ("an inquiry
    # led to the arrest of ...") has its own, unnamed agent
    if not claim.actors or claim.event.type in lexicon()["text_agents"]["text_act_types"]:
        return None
    if trigger.pos_ != "VERB" and claim.event.type != "AID":
        return None  # a nominal transfer ("the incident confirms the flow of arms to X") has no text for supplier
    if not all(a.id is None and a.kind != "media" for a in claim.actors):
        return None  # (a registered party or an outlet acts)
    heads = []
    for a in claim.actors:
        words = re.findall(r"[a-z]+", a.text.lower())
        heads.append(words[-1] if words else "")
    nouns = _text_nouns(claim.event.type)
    if all(h in nouns for h in heads):
        return f"no agent: '{claim.actors[0].text}' is a text, a finding or an event, which does not act"
    return None


def self_transfer(claim: Claim) -> str | None:
    """A transfer whose every recipient is its supplier (the same registered party): no transfer."""
    if claim.event.type != "AID" or not claim.actors or not claim.recipients:
        return None
    ids = {a.id for a in claim.actors if a.id}
    if ids and all(r.id in ids for r in claim.recipients):
        return f"no agent: '{claim.actors[0].text}' would supply itself, no transfer is told"
    return None


def unresolved_pronoun(claim: Claim, trigger: Any) -> str | None:
    """Every actor is a bare pronoun ("he", "it", "some") that the document does not resolve, and no
    registered party takes part: the candidate says that someone unknown did something to no one known."""
    if not claim.actors or any(r.id for r in claim.recipients):
        return None
    sent = sent_of(trigger)
    tab = token_table(sent.doc)
    pron = {tab.lower[i] for i in range(sent.start, sent.end) if tab.pos[i] in ("PRON", "DET")}
    for a in claim.actors:
        words = a.text.lower().split()
        if a.id is not None or a.kind != "unknown" or not words or not all(w in pron for w in words):
            return None
    return f"no agent: '{claim.actors[0].text}' is a pronoun the document does not resolve, and no known party takes part"


def prevented_act(claim: Claim, trigger: Any) -> str | None:
    """A verb of stopping an act ("foiled", "thwarted") is a seizure only when the act stopped is a transfer or
    materiel is named; "thwarted an attempt to assassinate X" is no seizure."""
    pv = lexicon()["prevent"]
    if claim.event.type != "COERCE" or lemma(trigger) not in pv["verbs"] or claim.materiel:
        return None
    words = set(pv["transfer_words"])
    obj = [t for c in trigger.children if c.dep_ in lexicon()["syntax"]["object_deps"] for t in c.subtree]
    if any(t.lower_ in words or lemma(t) in words for t in obj):
        return None
    return f"no agent: '{trigger.text}' stops an act that is no transfer, so nothing is seized"


def no_visitor(claim: Claim, trigger: Any) -> str | None:
    """A verb of hosting ("received") whose object is a thing ("received intelligence", "received the stores")
    hosts no visit: the candidate is dropped unless a party or a person is received."""
    if claim.event.type != "CONSULT" or trigger.pos_ != "VERB":
        return None
    spec = triggers().verbs.get(lemma(trigger))
    if spec is None or "visitobj" not in spec.flags:
        return None
    if any(r.id or r.kind == "person" for r in claim.recipients):
        return None
    obj = next((c for c in trigger.children if c.dep_ in lexicon()["syntax"]["object_deps"]), None)
    visitors = set(lexicon()["visit"]["visitor_nouns"])
    if obj is not None and (obj.pos_ in ("PROPN", "PRON") or lemma(obj) in visitors or obj.lower_ in visitors):
        return None
    what = f"'{obj.text}'" if obj is not None else "nothing"
    return f"no agent: '{trigger.text}' receives {what}, no visitor, so no visit is hosted"


def drop_reason(claim: Claim, trigger: Any, page: PageContext) -> str | None:
    """The reason to drop this candidate claim, or None to keep it."""
    return (page.furniture(claim.event.trigger_start if claim.event.trigger_start is not None
                           else claim.evidence.start)
            or reporting_act(trigger) or modality(claim, trigger) or assessment(trigger) or no_agent(claim, trigger)
            or self_transfer(claim) or no_visitor(claim, trigger) or unresolved_pronoun(claim, trigger)
            or prevented_act(claim, trigger))
