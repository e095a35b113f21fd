"""The lexicon files load as written: YAML reads bare on/no/yes/off as booleans, which silently drops a
cue word ("call on", "no"). Every word list must hold strings only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

LEXICON = Path(__file__).resolve().parents[1] / "khaldun" / "data" / "lexicon"


def _non_strings(node: Any, path: str = "") -> list[str]:
    if isinstance(node, dict):
        bad = [f"{path}/{k!r} (key)" for k in node if not isinstance(k, str)]
        return bad + [p for k, v in node.items() for p in _non_strings(v, f"{path}/{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _non_strings(v, f"{path}[{i}]")]
    if isinstance(node, bool) or node is None:
        return [f"{path} = {node!r}"]
    return []


@pytest.mark.parametrize("name", sorted(p.name for p in LEXICON.glob("*.yaml")))
def test_word_lists_hold_strings_only(name: str) -> None:
    data = yaml.safe_load((LEXICON / name).read_text(encoding="utf-8"))
    assert _non_strings(data) == []


def test_the_guard_catches_a_bare_no() -> None:
    assert _non_strings(yaml.safe_load("negation: [not, no]")) == ["/negation[1] = False"]


def test_rule_module_word_classes_load_from_data() -> None:
    import pytest

    from khaldun.lexicon import words

    assert "buy" in words("events", "receive_verbs")
    assert all(isinstance(w, str) for w in words("events", "argument_of_event.1"))  # 'on' stays a word
    with pytest.raises(ValueError, match="no word class"):
        words("events", "no_such_class")
    with pytest.raises(ValueError, match="not found"):
        words("no_such_module", "x")


def test_word_tables_load_from_data() -> None:
    from khaldun.lexicon import document, table

    assert table("attribution", "participles")["withdrawn"] == "withdraw"
    assert "news_words" in document("sources")
    with pytest.raises(ValueError, match="table 'no_such_table' missing"):
        table("attribution", "no_such_table")
    with pytest.raises(ValueError, match="no 'tables' mapping"):
        table("events", "participles")  # a file with no tables at all


def test_attribution_keeps_no_word_list_in_code() -> None:
    from khaldun import attribution
    from khaldun.lexicon import words

    assert attribution.SPEAKER_ROLES == words("attribution", "speaker_roles")
    assert "spokesman" in attribution.SPEAKER_ROLES and attribution.SOCIAL["youtube"] == "YouTube"
    assert "'on'" in (LEXICON / "attribution.yaml").read_text(encoding="utf-8")  # quoted, so a word, not True


def _fresh_lexicon(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> Any:
    from khaldun import lexicon

    (tmp_path / "mod.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    lexicon.word_file.cache_clear()
    lexicon.document.cache_clear()
    lexicon.words.cache_clear()
    return lexicon


def test_a_word_file_keeps_file_order_and_provenance(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    lx = _fresh_lexicon(monkeypatch, tmp_path, 'source: "test"\nclasses:\n  ends: [zz, aa, mm]\n')
    try:
        assert lx.ordered("mod", "ends") == ("zz", "aa", "mm")  # suffix tuples are tried in this order
        assert lx.words("mod", "ends") == frozenset({"aa", "mm", "zz"})
        assert lx.word_file("mod").source == "test"
        assert lx.word_file("mod") is lx.word_file("mod")  # parsed once
    finally:
        lx.word_file.cache_clear()
        lx.document.cache_clear()
        lx.words.cache_clear()


@pytest.mark.parametrize(("text", "reason"), [
    ("classes:\n  ends: [a, b]\n", "no 'source'"),
    ('source: "t"\nclasses:\n  ends: [a, no]\n', "must be a list of strings"),
    ('source: "t"\nclasses: [a\n', "not valid YAML"),
    ('source: "t"\n', "no 'classes'"),
])
def test_a_bad_word_file_gets_a_one_line_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str,
                                               reason: str) -> None:
    lx = _fresh_lexicon(monkeypatch, tmp_path, text)
    try:
        with pytest.raises(ValueError, match=reason) as e:
            lx.words("mod", "ends")
        assert str(e.value).startswith("data/lexicon/mod.yaml: ") and "\n" not in str(e.value)
    finally:
        lx.word_file.cache_clear()
        lx.document.cache_clear()
        lx.words.cache_clear()


def test_rule_modules_share_one_class_instead_of_two_spellings() -> None:
    from khaldun import actors, mentions
    from khaldun.frames import engine
    from khaldun.lexicon import words

    # the same sets the modules test against, read from one place
    assert engine._CONTROLLER_POS == words("english", "verbal_pos") == {"VERB", "AUX", "ADJ"}
    assert actors._STATE_ORGAN_SECTORS == words("actors", "state_organ_sectors") >= {"MIL", "GOV"}
    assert mentions._SIBILANT_PLURALS == ("sses", "ches", "shes", "xes")
    assert actors.HOWS == ("alias", "capital", "demonym") and actors._HOW_RANK["demonym"] == 2
