"""khaldun.cache: the start-up disk cache (language model, actor registry, automata).

Every test points the cache at its own folder (KHALDUN_CACHE_DIR) and asserts how a value was obtained
(khaldun.cache.LOADS counts "built" and "cache" per name), never how long it took.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from khaldun import cache, materiel, places, text
from khaldun.actors import ActorRegistry
from khaldun.cache import LOADS, cached

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus" / "articles.jsonl"
REGISTRY = HERE / "corpus" / "registry.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(d))
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    LOADS.clear()
    return d


def _clear_loaded() -> None:
    """Forget the structures this process has loaded, as a new process would."""
    text._identifier.cache_clear()
    ActorRegistry.default.__func__.cache_clear()  # type: ignore[attr-defined]
    places._default_gazetteer.cache_clear()
    materiel._lexicon.cache_clear()


@pytest.fixture
def fresh() -> Iterator[None]:
    _clear_loaded()
    yield
    _clear_loaded()  # later tests get structures built in the usual way


def _builder(data: Path, calls: list[str]):  # type: ignore[no-untyped-def]
    def build() -> dict[str, str]:
        calls.append("built")
        return {"words": data.read_text(encoding="utf-8")}
    return build


def test_second_load_comes_from_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "words.tsv"
    data.write_text("convoy\nairlift\n", encoding="utf-8")
    calls: list[str] = []
    first = cached("words", [data], _builder(data, calls))
    second = cached("words", [data], _builder(data, calls))
    assert first == second == {"words": "convoy\nairlift\n"}
    assert calls == ["built"]
    assert LOADS[("words", "built")] == 1 and LOADS[("words", "cache")] == 1
    assert (cache_dir / "words.pickle").is_file()


def test_changed_data_file_means_a_rebuild(cache_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    calls: list[str] = []
    cached("words", [data], _builder(data, calls))
    data.write_text("convoy\nshipment\n", encoding="utf-8")
    again = cached("words", [data], _builder(data, calls))
    assert again == {"words": "convoy\nshipment\n"}
    assert calls == ["built", "built"]
    # and the rebuilt entry is the one used next
    assert cached("words", [data], _builder(data, calls)) == again and calls == ["built", "built"]


def test_other_khaldun_version_is_not_trusted(cache_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    calls: list[str] = []
    cached("words", [data], _builder(data, calls))
    monkeypatch.setattr(cache, "__version__", "999.0.0")
    cached("words", [data], _builder(data, calls))
    assert calls == ["built", "built"]


@pytest.mark.parametrize("junk", [b"", b"not a cache at all", cache.MAGIC, b"\x80\x05garbage" * 40])
def test_corrupt_cache_is_ignored_and_rebuilt(cache_dir: Path, tmp_path: Path, junk: bytes) -> None:
    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    calls: list[str] = []
    cached("words", [data], _builder(data, calls))
    entry = cache_dir / "words.pickle"
    entry.write_bytes(junk)
    assert cached("words", [data], _builder(data, calls)) == {"words": "convoy\n"}
    assert calls == ["built", "built"]


def test_truncated_entry_with_the_right_key_is_rebuilt(cache_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    calls: list[str] = []
    cached("words", [data], _builder(data, calls))
    entry = cache_dir / "words.pickle"
    entry.write_bytes(entry.read_bytes()[:-5])
    assert cached("words", [data], _builder(data, calls)) == {"words": "convoy\n"}
    assert calls == ["built", "built"]


def test_unwritable_cache_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))  # a folder under a file cannot be made
    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    calls: list[str] = []
    assert cached("words", [data], _builder(data, calls)) == {"words": "convoy\n"}
    assert cached("words", [data], _builder(data, calls)) == {"words": "convoy\n"}
    assert calls == ["built", "built"]


def test_cache_turned_off(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_OFF, "1")
    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    calls: list[str] = []
    cached("words", [data], _builder(data, calls))
    cached("words", [data], _builder(data, calls))
    assert calls == ["built", "built"] and not cache_dir.exists()


def test_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "khaldun"


def test_packaged_structures_load_from_the_cache_in_a_new_process(cache_dir: Path, fresh: None) -> None:
    sentence = "The Libyan National Army shelled positions near Misrata airport on Monday, officials said."
    reg = ActorRegistry.default()
    found = [(m.entry.id, m.start, m.end) for m in reg.find(sentence)]
    gaz_found = [(p.gazetteer_id, p.start, p.end) for p in places.Gazetteer.default().find(sentence)]
    lang = text.detect_language(sentence)
    weapons = materiel.find_materiel("Two armoured vehicles and a drone reached the port.")
    assert {n for (n, how) in LOADS if how == "built"} == {"actors", "actors-automaton", "places", "places-automaton",
                                                           "langid", "materiel"}
    assert not [k for k in LOADS if k[1] == "cache"]
    _clear_loaded()
    places._ALPHA2_TO_3.clear()  # a new process: the codes come with the cached gazetteer
    LOADS.clear()
    reg2 = ActorRegistry.default()
    assert reg2 is not reg
    assert [(m.entry.id, m.start, m.end) for m in reg2.find(sentence)] == found
    assert [(p.gazetteer_id, p.start, p.end) for p in places.Gazetteer.default().find(sentence)] == gaz_found
    assert places.Gazetteer.default().lookup("Tripoli", {"LB"}).country == "LBN"  # type: ignore[union-attr]
    assert text.detect_language(sentence) == lang == "en"
    assert materiel.find_materiel("Two armoured vehicles and a drone reached the port.") == weapons
    assert {n for (n, how) in LOADS if how == "cache"} == {"actors", "actors-automaton", "places", "places-automaton",
                                                           "langid", "materiel"}
    assert not [k for k in LOADS if k[1] == "built"]
    assert found and gaz_found and weapons


def test_user_registry_still_added_on_a_cached_registry(cache_dir: Path, fresh: None, tmp_path: Path) -> None:
    ActorRegistry.default()
    _clear_loaded()
    base = ActorRegistry.default()
    assert LOADS[("actors", "cache")] == 1
    user = tmp_path / "mine.yaml"
    user.write_text("source: written for this test\nentries:\n"
                    "  - id: org/test-qz-brigade\n    name: Qorvan Ridge Brigade\n    kind: armed_group\n",
                    encoding="utf-8")
    reg = base.with_file(user)
    hits = reg.find("Fighters of the Qorvan Ridge Brigade withdrew.")
    assert [m.entry.id for m in hits] == ["org/test-qz-brigade"]
    assert not base.find("Fighters of the Qorvan Ridge Brigade withdrew.")


def _analyse_corpus() -> list[str]:
    from khaldun.config import registry_with_user_files
    from khaldun.pipeline import Pipeline

    pipe = Pipeline(registry=registry_with_user_files([REGISTRY]))
    items = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(dict(text=row["text"], published=row.get("published"), outlet=row.get("outlet"),
                              url=row.get("url"), title=row.get("title")))
    return [d.model_dump_json() for d in pipe.analyze_many(items)]


def test_outputs_identical_with_and_without_cache(cache_dir: Path, fresh: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_OFF, "1")
    without = _analyse_corpus()
    monkeypatch.delenv(cache.ENV_OFF)
    _clear_loaded()
    _analyse_corpus()  # fills the cache
    _clear_loaded()
    LOADS.clear()
    with_cache = _analyse_corpus()
    assert LOADS[("langid", "cache")] == 1 and LOADS[("actors", "cache")] == 1
    assert LOADS[("places-automaton", "cache")] == 1 and LOADS[("materiel", "cache")] == 1
    assert len(without) == len(with_cache) > 10
    langs = [json.loads(d)["source"]["language"] for d in with_cache]
    assert langs == [json.loads(d)["source"]["language"] for d in without]
    assert with_cache == without


def test_large_arrays_are_mapped_from_the_entry_not_copied(cache_dir: Path, tmp_path: Path) -> None:
    """NumPy arrays in a cached value are stored out of band and read through a map of the file: the loaded
    array is read-only (it is the file's bytes) and equal to the one built; other values come back as built."""
    import numpy as np

    data = tmp_path / "table.tsv"
    data.write_text("convoy\t1\n", encoding="utf-8")
    built = (np.arange(50_000, dtype=np.uint32), np.linspace(0, 1, 300, dtype=np.float16).reshape(20, 15), ["en"])
    cached("table", [data], lambda: built)
    ids, probs, langs = cached("table", [data], lambda: pytest.fail("rebuilt"))  # type: ignore[func-returns-value]
    assert LOADS[("table", "cache")] == 1
    assert ids.dtype == np.uint32 and np.array_equal(ids, built[0]) and not ids.flags.writeable
    assert probs.shape == (20, 15) and np.array_equal(probs, built[1])
    assert langs == ["en"]
    view = memoryview(ids).cast("B").cast("I")  # as khaldun.text hands the language model's DFA to py3langid
    assert view[49_999] == 49_999 and isinstance(view[7], int)


def test_truncated_array_entry_is_rebuilt(cache_dir: Path, tmp_path: Path) -> None:
    import numpy as np

    data = tmp_path / "table.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    cached("table", [data], lambda: np.ones(10_000))
    entry = cache_dir / "table.pickle"
    entry.write_bytes(entry.read_bytes()[:-100])
    calls: list[str] = []

    def build() -> Any:
        calls.append("built")
        return np.zeros(3)

    assert list(cached("table", [data], build)) == [0.0, 0.0, 0.0] and calls == ["built"]


def test_unchanged_files_are_not_read_again_for_their_key(cache_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A data file's hash is remembered with its size, times and inode (file-hashes.pickle, shared by the
    processes using the folder): an old, unchanged file is not read again; a changed one is."""
    import time
    from types import SimpleNamespace

    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_HASHES", cache._Hashes())  # a new process
    with monkeypatch.context() as later:  # hashed an hour after its last change: its times can be trusted
        later.setattr(cache, "time", SimpleNamespace(time_ns=lambda: time.time_ns() + 3600 * 10**9))
        first = cache.key_of([data])
    assert (cache_dir / "file-hashes.pickle").is_file()
    reads: list[str] = []
    real_open = open

    def spy(name: Any, *a: Any, **k: Any) -> Any:
        if str(name) == str(data):
            reads.append(str(name))
        return real_open(name, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    monkeypatch.setattr(cache, "_HASHES", cache._Hashes())  # another new process, same folder
    assert cache.key_of([data]) == first and reads == []
    data.write_text("convoy\nairlift\n", encoding="utf-8")  # changed just now: read again, and not trusted yet
    second = cache.key_of([data])
    assert second != first and reads == [str(data)]
    assert cache.key_of([data]) == second and len(reads) == 2


def test_a_file_edited_within_the_same_second_is_hashed_again(cache_dir: Path, tmp_path: Path) -> None:
    """Same size, same modification time (a clock too coarse to tell): the contents still decide the key."""
    import os

    data = tmp_path / "words.tsv"
    data.write_text("convoy\n", encoding="utf-8")
    st = data.stat()
    first = cache.key_of([data])
    data.write_text("airlif\n", encoding="utf-8")
    os.utime(data, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.key_of([data]) != first
