"""The frame engine: event patterns are data (khaldun/frames/lexicon.py); this module, written once, reads
a trigger's arguments off a spaCy dependency parse, normalized across the alternations, then picks the
most specific pattern whose requirements the arguments meet and fills its role slots.

Alternations undone by `arguments` (every pattern gets them all):
- active and passive voice, with or without a 'by' phrase; double-object passives ("X was given drones");
- double object ("gave X drones") and 'to'/'for' recipients; "provide X with Y" (roles.yaml: with_theme);
- reduced relatives ("drones supplied by X to Y") and relative clauses ("the group that sent ...", and
  without a relative word: "the support they are getting from X");
- nominalizations: possessor and 'by' phrase as subject, 'of' phrase as object, compounds and adjectives
  as modifiers ("X's delivery of Y", "the supply of Y by X to Z", "arms deliveries to Z");
- control and purpose: the subject of "agreed to send", the object of "urged X to send", the subject of
  "used the port to ship", of "before sending", of "is responsible for dispersing"; the agent of a noun
  ("attempts by X to send"); the issuer of an act of authority ("issued a decree dissolving X"); a
  gerund's subject the parser took for its compound ("images show a plane shuttling ...");
- coordination: of subjects and objects (each conjunct fills the slot) and of verbs (a conjunct verb
  without a subject takes the first verb's, and shares its object when it has none);
- light verbs: "carried out strikes", "launched an offensive" code the noun with the verb's subject;
- gerund nominals: "X's backing of Y" reads the verb's patterns with the noun's arguments;
- a past verb the parser hung as a participle on the sentence's root noun ("X and Y rallied outside Z"
  with no finite verb): the root noun is its subject;
- verb forms: the inflected forms the dictionary lists (cameo_forms.tsv: "sped", "oversaw"), and a particle
  choosing between the verbs a form may be of ("wound down": wind, not wound).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..lexicon import words
from ..nlp import lemma, sent_of
from ..token_table import children_of, span_bounds, subtree_indices, token_table
from .lexicon import FrameLexicon, FramePattern, frame_lexicon, singular

SUBJ_DEPS = ("nsubj", "csubj")
_TRIGGER_POS = words("frames", "trigger_pos")
NOUN_POS = words("frames", "conjunct_pos")
_FUNCTIONS = words("frames", "functions")
_PASSIVE_DEPS = words("frames", "passive_deps")
_OPEN_CLAUSE_DEPS = words("frames", "open_clause_deps")
_CONTROLLER_POS = words("english", "verbal_pos")
_NOUN_MODIFIER_DEPS = words("frames", "noun_modifier_deps")


@dataclass
class Args:
    """A trigger's arguments by normalized grammatical function (see roles.yaml)."""
    subj: list[Any] = field(default_factory=list)
    obj: list[Any] = field(default_factory=list)
    iobj: list[Any] = field(default_factory=list)
    mods: list[Any] = field(default_factory=list)
    preps: dict[str, list[Any]] = field(default_factory=dict)
    particles: set[str] = field(default_factory=set)
    passive: bool = False
    notes: list[str] = field(default_factory=list)

    def get(self, name: str) -> list[Any]:
        if name in _FUNCTIONS:
            return getattr(self, name)
        return self.preps.get(name, [])


@dataclass
class FrameMatch:
    trigger: Any
    pattern: FramePattern
    args: Args
    roles: dict[str, list[Any]]
    why: str


def _pobjs(prep: Any) -> list[Any]:
    doc = prep.doc
    dep = token_table(doc).dep
    return [doc[c] for c in children_of(doc)[prep.i] if dep[c] in ("pobj", "pcomp")]


def _conjuncts(tok: Any) -> list[Any]:
    """tok and the nouns coordinated with it ("Turkey and Qatar", "drones, rockets and mortars")."""
    doc = tok.doc
    table, kids = token_table(doc), children_of(doc)
    dep, pos = table.dep, table.pos
    out = [tok]
    seen = {tok.i}
    stack = [tok.i]
    while stack:
        t = stack.pop()
        for c in kids[t]:
            if dep[c] == "conj" and pos[c] in NOUN_POS and c not in seen:
                seen.add(c)
                out.append(doc[c])
                stack.append(c)
    return out


def _add_prep(a: Args, p: Any) -> None:
    key = p.lower_
    for o in _pobjs(p):
        a.preps.setdefault(key, []).extend(_conjuncts(o))


def _verb_lemmas(tok: Any) -> list[str]:
    """khaldun's lemma, then the base forms an "-ed"/"-ing" form may have that the lemma table (which knows
    only the trigger and cue lexicons' verbs) does not try: a silent e ("shuttling" -> "shuttle"), a doubled
    consonant ("funnelled" -> "funnel")."""
    return _lemmas_of(lemma(tok), tok.lower_)


def _lemmas_of(lem: str, lo: str) -> list[str]:
    """`_verb_lemmas` of a token with lemma `lem` and lower-case form `lo`."""
    out = [lem]
    for suf in ("ing", "ed"):
        if lo.endswith(suf) and len(lo) > len(suf) + 2:
            stem = lo[:-len(suf)]
            out += [stem + "e", stem] + ([stem[:-1]] if stem[-1] == stem[-2] else [])
    return out


_FORMS: dict[tuple[str, str], frozenset[str]] = {}  # (lower case, lemma) -> a word's forms (see _forms)
_MAX_FORMS = 200_000  # distinct words remembered before the dictionary starts over


def _forms(lo: str, lem: str) -> frozenset[str]:
    """The forms a pattern's word is compared with: the word in lower case, its lemma, its singular."""
    forms = _FORMS.get((lo, lem))
    if forms is None:
        if len(_FORMS) > _MAX_FORMS:
            _FORMS.clear()
        forms = _FORMS[(lo, lem)] = frozenset((lo, lem, singular(lo)))
    return forms


class _Memo:
    """What one trigger's patterns ask of its clause, computed once for all of them (a trigger has dozens of
    patterns, which ask the same words of the same tokens): each token's forms, the words of its subtree, each
    word and phrase check, the words before the trigger (each token's forms may be shared by all the triggers of
    a Doc: `forms`)."""
    def __init__(self, forms: dict[int, frozenset[str]] | None = None) -> None:
        self.forms: dict[int, frozenset[str]] = {} if forms is None else forms
        self.subtrees: dict[int, set[str]] = {}
        self.befores: dict[int, list[Any]] = {}
        self.word: dict[tuple[int, str], bool] = {}
        self.phrase: dict[tuple[Any, ...], bool] = {}
        self.before: list[Any] | None = None  # the Tokens of the sentence before the trigger (read when needed)
        self.before_idx: list[int] = []  # their indices
        self.before_forms: set[str] = set()

    def forms_of(self, tok: Any) -> frozenset[str]:
        forms = self.forms.get(tok.i)
        if forms is None:
            forms = self.forms[tok.i] = _forms(tok.lower_, lemma(tok))
        return forms

    def subtree_lowers(self, tok: Any) -> set[str]:
        out = self.subtrees.get(tok.i)
        if out is None:
            out = self.subtrees[tok.i] = {t.lower_ for t in tok.subtree}
        return out

    def before_in_subtree(self, h: Any) -> list[Any]:
        out = self.befores.get(h.i)
        if out is None:
            out = self.befores[h.i] = [t for t in h.subtree if t.i < h.i]
        return out


class _Prepared(NamedTuple):
    """What `match` reads before trying a trigger's patterns (see FrameEngine._prepare)."""
    pats: list[FramePattern]
    args: Args
    memo: _Memo
    opened: list[int]


@dataclass
class _Gates:
    """A trigger's patterns (their positions in its list) by what a clause needs for each to have a chance:
    a word its object head (or a quantity's 'of' phrase) may have, else a preposition or particle, else
    nothing. A clause tries only the patterns its words open, in the list's order."""
    always: list[int] = field(default_factory=list)
    by_obj: dict[str, list[int]] = field(default_factory=dict)
    by_prep: dict[str, list[int]] = field(default_factory=dict)


def _gerund_nominal(tok: Any) -> bool:
    """A singular noun in -ing with a possessor or an 'of' phrase: a verb's gerund used as its noun."""
    return tok.tag_ == "NN" and tok.lower_.endswith("ing") and any(
        c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children)


def prep_objects(a: Args, prep: str) -> list[Any] | None:
    """The objects of a preposition the pattern names: on the trigger, else on its object's head ("confirmed
    the purchase of rifles": the dictionary's '(OF ...)' after an object word is that word's complement)."""
    if prep in a.preps:
        return a.preps[prep]
    for o in (a.obj or a.iobj)[:1]:
        objs = [t for c in o.children if c.dep_ == "prep" and c.lower_ == prep for x in _pobjs(c) for t in _conjuncts(x)]
        if objs:
            return objs
    return None


class FrameEngine:
    def __init__(self, lex: FrameLexicon | None = None) -> None:
        self.lex = lex or frame_lexicon()
        self.sx = self.lex.syntax
        # synset -> its multi-word members' last words -> the words before it, of each member ending so
        self._multiword: dict[str, dict[str, list[list[str]]]] = {}
        # (part of speech, lower case, lemma, fine tag) -> whether `candidates` may find patterns (see match_span)
        self._may_match: dict[tuple[str, str, str, str], bool] = {}
        self._verb_found: dict[tuple[str, str], list[list[FramePattern]]] = {}  # (form, lemma) -> _verb_lists
        self._parts: dict[str, list[str]] = {}  # a pattern's particle -> its words
        # the last Doc matched and each of its tokens' forms (see _Memo)
        self._doc_forms: tuple[Any, int, dict[int, frozenset[str]]] = (None, 0, {})
        self._gate_cache: dict[int, tuple[list[FramePattern], _Gates]] = {}  # id(pattern list) -> its gates
        # the last Doc match_span read, each token's match in it, the triggers prepared but not yet tried and the
        # Tokens made for them (see match_span)
        self._doc_matches: tuple[Any, int, dict[int, FrameMatch | None], dict[int, _Prepared | None],
                                 dict[int, Any]] = (None, 0, {}, {}, {})

    # -- arguments ----------------------------------------------------------------------------------------
    def arguments(self, tok: Any, depth: int = 0) -> Args:
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ == "acl"):
            return self._verb_args(tok, depth)
        return self._noun_args(tok, depth)

    def _verb_args(self, v: Any, depth: int) -> Args:
        a = Args()
        doc = v.doc
        table = token_table(doc)
        dep, pos = table.dep, table.pos
        kids = children_of(doc)[v.i]  # (indices: a Token only for an argument)
        a.passive = any(dep[c] in _PASSIVE_DEPS for c in kids)
        for c in kids:
            d = dep[c]
            if d in SUBJ_DEPS:
                a.subj.extend(_conjuncts(doc[c]))
            elif d == "nsubjpass":
                a.obj.extend(_conjuncts(doc[c]))
            elif d == "dobj":
                a.obj.extend(_conjuncts(doc[c]))
            elif d == "dative" and pos[c] == "ADP":
                _add_prep(a, doc[c])
            elif d == "dative":
                a.iobj.extend(_conjuncts(doc[c]))
            elif d == "agent":
                a.subj.extend(t for o in _pobjs(doc[c]) for t in _conjuncts(o))
            elif d == "prep":
                _add_prep(a, doc[c])
            elif d == "prt":
                a.particles.add(table.lower[c])
        if a.passive and any(dep[c] == "dobj" for c in kids):
            # "the rebels were given drones": the passive subject is the first object
            a.iobj = [t for c in kids if dep[c] == "nsubjpass" for t in _conjuncts(doc[c])]
            a.obj = [t for c in kids if dep[c] == "dobj" for t in _conjuncts(doc[c])]
            a.notes.append("double-object passive")
        if table.tag[v.i] == "VBG" and not a.subj and not a.passive:
            # "images show a plane shuttling between ...": the parser may hang the gerund's subject on it as a
            # compound
            nouns = [doc[c] for c in kids if dep[c] == "compound" and c < v.i and pos[c] in NOUN_POS]
            if nouns:
                a.subj = _conjuncts(nouns[-1])
                a.notes.append("gerund: the noun before it, parsed as its compound, is its subject")
        if a.passive and not a.subj and "by" in a.preps:
            a.subj = a.preps.pop("by")  # a passive's 'by' phrase the parser took for a plain preposition
        self._relative(v, a)
        if not a.subj and not (a.passive and a.obj) and depth < 4:
            self._inherit_subject(v, a, depth)
            if a.passive and a.subj and not a.obj:
                # "the drones appear to have been moved": the raised subject of a passive is its object
                a.obj, a.subj = a.subj, [t for t in a.preps.pop("by", [])]
                a.notes.append("raised subject of a passive: its object")
        if not a.obj:
            self._share_object(v, a)
        # a 'to'/'for' phrase the parser hung on the object ("sent drones to X")
        for o in a.obj[:1]:
            for c in children_of(o.doc)[o.i]:
                if dep[c] == "prep" and table.lower[c] not in a.preps and table.lower[c] not in ("of",):
                    _add_prep(a, doc[c])
        return a

    def _relative(self, v: Any, a: Args) -> None:
        """Reduced relatives and relative clauses: the noun the clause modifies fills the gap."""
        head = v.head
        rel = self.sx["relative_pronouns"]
        if v.dep_ == "acl" and v.tag_ == "VBN" and head.dep_ == "ROOT" and head.pos_ in NOUN_POS \
                and not any(c.dep_ in ("agent", "auxpass") for c in v.children) and not a.subj:
            # "The envoys of X and Y met in Z.": a sentence whose only verb the parser took for a participle
            # on its root noun tells nothing unless that verb is its past-tense predicate
            a.passive = False
            a.subj = _conjuncts(head)
            a.notes.append("past verb parsed as a participle on the root noun: that noun is its subject")
        elif v.dep_ == "acl" and v.tag_ == "VBN":
            a.passive = True
            a.obj = _conjuncts(head) + [t for t in a.obj if t not in (head,)]
            a.notes.append("reduced relative: the modified noun is the object")
        elif v.dep_ == "acl" and v.tag_ == "VBG" and not a.subj and lemma(head) in self.sx["instrument_nouns"] \
                and head.dep_ == "dobj" and head.head.pos_ in ("VERB", "AUX"):
            # "issued a decree dissolving the council": who issues the decree dissolves
            a.subj = self._verb_args(head.head, 1).subj
            a.notes.append(f"participle on an act of authority: the subject of '{head.head.text}'")
        elif v.dep_ == "acl" and v.tag_ == "VBG" and not a.subj:
            a.subj = _conjuncts(head)
            a.notes.append("participle: the modified noun is the subject")
        elif v.dep_ == "relcl" and self.object_gap(v):
            a.obj = _conjuncts(head)
            a.notes.append("relative clause without a relative word: the modified noun is the object")
        elif v.dep_ == "relcl":
            for slot in ("subj", "obj"):
                lst = getattr(a, slot)
                if any(t.lower_ in rel for t in lst):
                    setattr(a, slot, [t for t in lst if t.lower_ not in rel] + _conjuncts(head))
                    a.notes.append(f"relative clause: the modified noun is the {slot}")
            if not a.obj and not a.passive and any(c.dep_ == "dobj" for c in v.children) is False \
                    and any(c.lower_ in rel and c.dep_ in ("dobj", "pobj") for c in v.subtree):
                a.obj = _conjuncts(head)

    def object_gap(self, v: Any) -> bool:
        """A relative clause with a subject of its own (a pronoun or a determined phrase), no object and no
        relative word, on a noun: the noun is its object ("the support they are getting from X", "the drones
        the militia bought")."""
        if v.dep_ != "relcl" or v.head.pos_ not in ("NOUN", "PROPN"):
            return False
        kids = list(v.children)
        rel = self.sx["relative_pronouns"]
        # the subject a pronoun or a determined phrase ("they", "the militia"): a bare noun next to the head is
        # more often a compound the parser split ("a roadside bomb exploded")
        return any(c.dep_ in SUBJ_DEPS and c.lower_ not in rel and (c.pos_ == "PRON" or any(
            d.dep_ in ("det", "poss") for d in c.children)) for c in kids) and not any(
            c.dep_ in self.sx["gap_filling_deps"] or c.lower_ in rel for c in kids) and not any(
            t.lower_ in rel for t in v.subtree if t.i < v.i) and not any(
            c.dep_ == "prep" and not list(c.children) for c in kids)

    def _inherit_subject(self, v: Any, a: Args, depth: int) -> None:
        """Control, purpose and coordination: the subject the clause leaves unsaid."""
        gov = v.head
        if gov is v:
            return
        d = v.dep_
        if d == "conj" and gov.pos_ in ("VERB", "AUX"):
            ga = self._verb_args(gov, depth + 1)
            a.subj = ga.subj
            if a.subj:
                a.notes.append(f"coordinated verb: subject of '{gov.text}'")
            return
        if d in _OPEN_CLAUSE_DEPS and gov.pos_ in _CONTROLLER_POS:
            to_inf = any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children) or d == "xcomp"
            if not to_inf:
                return
            gobj = [c for c in gov.children if c.dep_ == "dobj"]
            if lemma(gov) in self.sx["object_control"] and gobj:
                a.subj = _conjuncts(gobj[0])
                a.notes.append(f"object control: the object of '{gov.text}'")
            else:
                a.subj = self._verb_args(gov, depth + 1).subj
                if a.subj:
                    a.notes.append(f"{'control' if d == 'xcomp' else 'purpose'}: subject of '{gov.text}'")
            return
        if d == "acl" and gov.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            # "attempts by X to send", "X's decision to send": the noun's agent is the infinitive's subject
            a.subj = self._noun_args(gov, depth + 1).subj
            if a.subj:
                a.notes.append(f"noun control: the agent of '{gov.text}'")
            return
        if d == "pcomp" and gov.dep_ == "prep" and gov.head.pos_ in ("VERB", "AUX"):
            a.subj = self._verb_args(gov.head, depth + 1).subj
            if a.subj:
                a.notes.append(f"adverbial '{gov.text} ...ing': subject of '{gov.head.text}'")
        elif d == "pcomp" and gov.dep_ == "prep" and gov.head.pos_ == "ADJ" and gov.head.dep_ == "acomp":
            # "X is responsible for dispersing ...", "X was guilty of shelling ...": the adjective's subject
            a.subj = self._verb_args(gov.head.head, depth + 1).subj
            if a.subj:
                a.notes.append(f"'{gov.head.text} {gov.text} ...ing': subject of '{gov.head.head.text}'")

    @staticmethod
    def _share_object(v: Any, a: Args) -> None:
        """'bought and shipped the drones': the first conjunct shares the last one's object."""
        doc = v.doc
        table, kids = token_table(doc), children_of(doc)
        dep = table.dep
        for c in kids[v.i]:
            if dep[c] == "conj" and table.pos[c] in ("VERB",):
                objs = [o for o in kids[c] if dep[o] == "dobj"]
                if objs:
                    a.obj = _conjuncts(doc[objs[0]])
                    a.notes.append(f"shared object of coordinated '{table.text[c]}'")
                    return

    def _noun_args(self, n: Any, depth: int) -> Args:
        a = Args()
        for c in n.children:
            d = c.dep_
            if d == "poss":
                a.subj.extend(_conjuncts(c))
            elif d == "prep" and c.lower_ == "by":
                a.subj.extend(t for o in _pobjs(c) for t in _conjuncts(o))
            elif d == "prep" and c.lower_ == "of":
                a.obj.extend(t for o in _pobjs(c) for t in _conjuncts(o))
            elif d == "prep":
                _add_prep(a, c)
            elif d in _NOUN_MODIFIER_DEPS and c.i < n.i:
                a.mods.extend(_conjuncts(c))
        gov = n.head
        light = self.sx["light_verbs"]
        if gov is not n and gov.pos_ in ("VERB", "AUX") and lemma(gov) in light and n.dep_ in ("dobj", "nsubjpass") \
                and depth < 4:
            ga = self._verb_args(gov, depth + 1)
            if not a.subj:
                a.subj = ga.subj
                a.notes.append(f"light verb '{gov.text}': its subject")
            for k, v in ga.preps.items():
                a.preps.setdefault(k, v)
        return a

    # -- matching -------------------------------------------------------------------------------------
    def _word_ok(self, tok: Any, w: str, memo: _Memo | None = None) -> bool:
        if memo is None:
            memo = _Memo()
        key = (tok.i, w)
        ok = memo.word.get(key)
        if ok is None:
            ok = memo.word[key] = self._word_ok_uncached(tok, w, memo)
        return ok

    def _word_ok_uncached(self, tok: Any, w: str, memo: _Memo) -> bool:
        forms = memo.forms_of(tok)
        if w.startswith("@"):
            members = self.lex.synsets.get(w[1:], frozenset())
            if not forms.isdisjoint(members):
                return True
            multi = self._multi(w[1:])
            return any(all(x in memo.subtree_lowers(tok) for x in rest) for f in forms for rest in multi.get(f, ()))
        return w in forms

    def _multi(self, synset: str) -> dict[str, list[list[str]]]:
        """The multi-word members of a synset by their last word: the words before it, of each."""
        multi = self._multiword.get(synset)
        if multi is None:
            multi = self._multiword[synset] = {}
            for m in self.lex.synsets.get(synset, frozenset()):
                if " " in m:
                    multi.setdefault(m.split()[-1], []).append(m.split()[:-1])
        return multi

    def _before_ok(self, tok: Any, w: str, memo: _Memo) -> bool:
        """Whether one of the words before the trigger (memo.before) is the pattern's word `w` or a member of
        its synset: the union of their forms answers, unless a multi-word member may end among them."""
        if not w.startswith("@"):
            return w in memo.before_forms
        if not memo.before_forms.isdisjoint(self.lex.synsets.get(w[1:], frozenset())):
            return True
        if memo.before_forms.isdisjoint(self._multi(w[1:])):
            return False
        if not memo.before and memo.before_idx:
            memo.before = [tok.doc[i] for i in memo.before_idx]
        return any(self._word_ok(t, w, memo) for t in memo.before)

    def _phrase_ok(self, heads: list[Any], words: tuple[str, ...], memo: _Memo | None = None) -> Any | None:
        """The first head whose own word is the phrase's last and whose phrase holds its other words."""
        if memo is None:
            memo = _Memo()
        for h in heads:
            if not self._word_ok(h, words[-1], memo):
                # "hundreds of fighters", "a number of drones": a quantity's 'of' phrase is the head's class
                if not (h.pos_ == "NUM" or h.lower_ in self.sx["quantity_heads"]):
                    continue
                of = [o for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for o in _pobjs(c)]
                if not of or not self._word_ok(of[0], words[-1], memo):
                    continue
                h = of[0]
            if len(words) > 1:
                sub = memo.before_in_subtree(h)
                if not all(any(self._word_ok(t, w, memo) for t in sub) for w in words[:-1]):
                    continue
            return h
        return None

    def _phrase_memo(self, memo: _Memo, key: tuple[Any, ...], heads: list[Any], words: tuple[str, ...]) -> bool:
        ok = memo.phrase.get(key)
        if ok is None:
            ok = memo.phrase[key] = self._phrase_ok(heads, words, memo) is not None
        return ok

    def _satisfies(self, tok: Any, p: FramePattern, a: Args, memo: _Memo | None = None) -> bool:
        if memo is None:
            memo = _Memo()
        if p.particle:
            parts = self._parts.get(p.particle)
            if parts is None:
                parts = self._parts[p.particle] = p.particle.split()
            if not (set(parts) <= a.particles or parts[0] in a.preps
                    or (tok.i + 1 < len(tok.doc) and token_table(tok.doc).lower[tok.i + 1] == parts[0])):
                return False
        if p.obj and not self._phrase_memo(memo, ("obj", p.obj), a.obj or a.iobj, p.obj):
            return False
        if p.subj and not self._phrase_memo(memo, ("subj", p.subj), a.subj, p.subj):
            return False
        for prep, noun in p.preps:
            objs = prep_objects(a, prep)
            if objs is None and not noun and prep in a.particles:
                continue
            if objs is None:
                return False
            if noun and not self._phrase_memo(memo, ("prep", prep, noun), objs, noun):
                return False
        if p.pre:
            if memo.before is None:
                memo.before = []  # (the Tokens themselves only when a multi-word member may need them)
                table, forms = token_table(tok.doc), memo.forms
                idx: list[int] | range = range(sent_of(tok).start, tok.i)
                if a.passive:
                    # a word before the verb names its source in the active ("police took ..."); in the passive
                    # the subject before it is what was acted on ("soldiers were taken to hospital")
                    patient = {j for c in children_of(tok.doc)[tok.i] if table.dep[c] == "nsubjpass"
                               for j in subtree_indices(tok.doc, c)}
                    idx = [i for i in idx if i not in patient]
                memo.before_idx = list(idx)
                memo.before_forms = set().union(*(forms.get(i) or _forms(table.lower[i], table.lemma[i])
                                                  for i in memo.before_idx))
            # a plain word is among the forms of the words before, or not; so is a synset's single word
            if not all(self._before_ok(tok, w, memo) for w in p.pre):
                return False
        return True

    def _verb_lists(self, lo: str, lem: str) -> list[list[FramePattern]]:
        """The pattern lists of the verbs a form may be of: its lemmas (_lemmas_of), then the dictionary's own
        forms (kept per form and lemma)."""
        found = self._verb_found.get((lo, lem))
        if found is None:
            lems = _lemmas_of(lem, lo) + list(self.lex.forms.get(lo, ()))
            found = [p for p in (self.lex.patterns.get((x, "V")) for x in lems) if p]
            if len(self._verb_found) > _MAX_FORMS:
                self._verb_found.clear()
            self._verb_found[(lo, lem)] = found
        return found

    def candidates(self, tok: Any) -> list[FramePattern]:
        if tok.pos_ in ("VERB", "AUX"):
            found = self._verb_lists(tok.lower_, lemma(tok))
            if len(found) < 2:
                return found[0] if found else []
            table = token_table(tok.doc)
            prt = {table.lower[c] for c in children_of(tok.doc)[tok.i] if table.dep[c] == "prt"}
            if prt:
                # "wound down the talks": of the forms' lemmas ('wound', 'wind') the one with that particle
                for pats in found:
                    if any(p.particle.split()[:1] and p.particle.split()[0] in prt for p in pats):
                        return pats
            return found[0] if found else []
        if tok.pos_ == "NOUN":
            pats = self.lex.patterns.get((tok.lower_, "N"), []) or self.lex.patterns.get((lemma(tok), "N"), [])
            if not pats and _gerund_nominal(tok):
                # "X's shelling of Y", "the backing of the plan by X": the verb's patterns, read with the
                # noun's arguments (possessor or 'by' phrase as subject, 'of' phrase as object)
                for lem in _verb_lemmas(tok)[1:]:
                    pats = self.lex.patterns.get((lem, "V"), [])
                    if pats:
                        break
            return pats
        return []

    def match(self, tok: Any) -> FrameMatch | None:
        """The most specific pattern the trigger's clause meets, with its roles; None when there is none or
        when the best one codes no event (a CAMEO '---' reading)."""
        prepared = self._prepare(tok)
        return self._best(tok, prepared) if prepared is not None else None

    def _prepare(self, tok: Any) -> _Prepared | None:
        """A trigger's patterns, its arguments and the positions of the patterns its clause opens (see _open);
        None without patterns."""
        pats = self.candidates(tok)
        if not pats:
            return None
        a = self.arguments(tok)
        doc = tok.doc
        last, n, forms = self._doc_forms
        if last is not doc or n != len(doc):
            forms = {}
            self._doc_forms = (doc, len(doc), forms)
        memo = _Memo(forms)
        return _Prepared(pats, a, memo, self._open(pats, a, memo))

    def _best(self, tok: Any, prepared: _Prepared) -> FrameMatch | None:
        """`match` of a prepared trigger: the first opened pattern its clause satisfies."""
        pats, a, memo, opened = prepared
        for k in opened:
            p = pats[k]
            if not self._satisfies(tok, p, a, memo):
                continue
            if p.type is None:
                return None
            return FrameMatch(tok, p, a, self.roles(p, a), f"{p.source} ({p.lemma}"
                              + (f" {' '.join(p.obj)}" if p.obj else "") + f" -> {p.cameo or '-'} {p.type})")
        return None

    def _gates(self, pats: list[FramePattern]) -> _Gates:
        cached = self._gate_cache.get(id(pats))
        if cached is not None and cached[0] is pats:
            return cached[1]
        g = _Gates()
        for k, p in enumerate(pats):
            if p.obj:
                w = p.obj[-1]
                keys = {w}
                if w.startswith("@"):
                    members = self.lex.synsets.get(w[1:], frozenset())
                    keys = set(members) | {m.split()[-1] for m in members if " " in m}
                for key in keys:
                    g.by_obj.setdefault(key, []).append(k)
            elif p.preps:
                g.by_prep.setdefault(p.preps[0][0], []).append(k)
            else:
                g.always.append(k)
        self._gate_cache[id(pats)] = (pats, g)
        return g

    def _open(self, pats: list[FramePattern], a: Args, memo: _Memo) -> list[int]:
        """The positions of the patterns whose gate the clause opens (see _Gates), in order: an object word
        among the forms of the object heads or of a quantity head's 'of' phrase; a preposition among the
        clause's prepositions and particles, or on its object's head."""
        g = self._gates(pats)
        out = set(g.always)
        if g.by_obj:
            for h in a.obj or a.iobj:
                heads = [h]
                if h.pos_ == "NUM" or h.lower_ in self.sx["quantity_heads"]:
                    heads += [o for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for o in _pobjs(c)][:1]
                for t in heads:
                    for f in memo.forms_of(t):
                        out.update(g.by_obj.get(f, ()))
        if g.by_prep:
            # (a pattern's preposition may also sit on the object's head: see prep_objects)
            on_obj = [c.lower_ for o in (a.obj or a.iobj)[:1] for c in o.children if c.dep_ == "prep"]
            for key in (*a.preps, *a.particles, *on_obj):
                out.update(g.by_prep.get(key, ()))
        return sorted(out)

    def roles(self, p: FramePattern, a: Args) -> dict[str, list[Any]]:
        roleset = p.roleset
        if roleset == "with_theme" and "with" not in a.preps:
            roleset = ""
        spec = self.lex.role_spec(roleset, p.type or "")
        out: dict[str, list[Any]] = {}
        taken: set[int] = set()
        if p.target.startswith("prep:") and prep_objects(a, p.target[5:]):
            out["target"] = prep_objects(a, p.target[5:]) or []
            taken.update(t.i for t in out["target"])
        for role, sources in spec.items():
            if role in out:
                continue
            for s in sources:
                if s == "obj" and p.obj and role in ("target", "recipient") and p.target != "obj":
                    continue  # the dictionary's object word is what is done or given, not the target
                toks = [t for t in a.get(s) if t.i not in taken]
                if toks:
                    out[role] = toks
                    taken.update(t.i for t in toks)
                    break
        return out

    def _may_have_patterns(self, table: Any, i: int) -> bool:
        """Whether `candidates` may find patterns for token `i` (False only when it cannot), read from the token
        table: the keys it looks up, without the tests of the token's children."""
        key = (table.pos[i], table.lower[i], table.lemma[i], table.tag[i])
        ok = self._may_match.get(key)
        if ok is None:
            p, lo, lem, tag = key
            pats = self.lex.patterns
            if p in ("VERB", "AUX"):
                ok = any((x, "V") in pats for x in _lemmas_of(lem, lo) + list(self.lex.forms.get(lo, ())))
            elif p == "NOUN":
                ok = (lo, "N") in pats or (lem, "N") in pats or (
                    tag == "NN" and lo.endswith("ing") and any((x, "V") in pats for x in _lemmas_of(lem, lo)[1:]))
            else:
                ok = False
            if len(self._may_match) > _MAX_FORMS:
                self._may_match.clear()
            self._may_match[key] = ok
        return ok

    def match_span(self, span: Any, keep: Callable[[Any], bool] | None = None,
                   want: Callable[[FramePattern], bool] | None = None) -> list[FrameMatch]:
        """The matches of the span's tokens (only of those `keep` accepts, when given: a caller that would
        drop the others' matches saves matching them). With `want`, a caller that keeps only the matches whose
        pattern `want` accepts: a token none of whose opened patterns (see _open) it accepts is left untried,
        and some matches of other patterns may be missing from the list (never one of a pattern it accepts)."""
        out = []
        doc, start, end = span_bounds(span)
        pos = token_table(doc).pos
        # a token's match is a function of the parse alone, and the event stage asks the same sentences twice
        # (the object patterns, then the fallback): each token of the last Doc is matched once (the matches
        # are read, never changed, by the callers)
        last, n, known, prepared, toks = self._doc_matches
        if last is not doc or n != len(doc):
            known, prepared, toks = {}, {}, {}
            self._doc_matches = (doc, len(doc), known, prepared, toks)
        table = token_table(doc)
        for i in range(start, end):
            if pos[i] not in _TRIGGER_POS:
                continue  # no pattern has a trigger of another part of speech (see candidates)
            if i in known:
                if known[i] is None:
                    continue  # (matched before, to nothing: whatever `keep` says, nothing to add)
            elif not self._may_have_patterns(table, i):
                known[i] = None  # (no pattern list for its forms: told from the table, without a Token)
                continue
            tok = toks.get(i)
            if tok is None:  # (one Token per trigger and Doc: its sentence is asked up to three times)
                tok = toks[i] = doc[i]
            if keep is not None and not keep(tok):
                continue
            if i in known:
                m = known[i]
            else:
                if i not in prepared:
                    prepared[i] = self._prepare(tok)
                prep = prepared[i]
                if prep is None:
                    m = known[i] = None
                elif want is not None and not any(want(prep.pats[k]) for k in prep.opened):
                    continue  # (no pattern this caller keeps can be the match: tried when another asks)
                else:
                    m = known[i] = self._best(tok, prep)
            if m is not None:
                out.append(m)
        return out
