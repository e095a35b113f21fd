"""What analysis workers send back (khaldun.store.wire): the same documents, for less CPU than plain pickle."""

from __future__ import annotations

import pickle

from khaldun.models import Document
from khaldun.store.wire import pack, unpack

TEXTS = ["Soldiers shelled a depot outside the river town of Morvak on Monday, the army said.",
         "A charity said it had shipped food and tents to camps near the eastern border in May."]


def _docs() -> list[Document]:
    from khaldun.pipeline import default_pipeline

    docs = list(default_pipeline().analyze_many([{"text": t, "published": "2022-05-09"} for t in TEXTS]))
    assert any(d.claims for d in docs) and all(d.mentions for d in docs)
    return docs


def test_packed_results_come_back_equal_with_the_same_fields_set_and_json() -> None:
    docs = _docs()
    results = [(docs[0], None), (None, "x.txt: analysis failed (ValueError: bad)"), (docs[1], None)]
    back = unpack(pack(results))
    assert [r[1] for r in back] == [None, "x.txt: analysis failed (ValueError: bad)", None]
    got = [back[0][0], back[2][0]]
    assert got == docs
    assert [d.model_dump_json() for d in got] == [d.model_dump_json() for d in docs]

    def sets(m: object) -> list[tuple[str, frozenset[str]]]:  # every model's fields-set, depth first
        from pydantic import BaseModel

        out: list[tuple[str, frozenset[str]]] = []
        stack = [m]
        while stack:
            x = stack.pop()
            if isinstance(x, BaseModel):
                out.append((type(x).__name__, frozenset(x.model_fields_set)))
                stack.extend(x.__dict__.values())
            elif isinstance(x, (list, tuple)):
                stack.extend(x)
            elif isinstance(x, dict):
                stack.extend(x.values())
        return out

    assert [sets(d) for d in got] == [sets(d) for d in docs]
    # an unpacked document is a document of its own: changing it leaves the original as it was
    got[0].claims.clear()
    assert docs[0].claims


def test_pack_goes_through_the_models_reducer_not_pydantics_getstate() -> None:
    docs = _docs()
    data = pack(docs)
    assert b"_rebuild" in data and b"__pydantic_fields_set__" not in data
    assert b"__pydantic_fields_set__" in pickle.dumps(docs)  # plain pickle writes pydantic's state dictionaries
    assert len(data) < len(pickle.dumps(docs))


def test_a_worker_packs_each_document_as_it_comes_and_the_parent_rebuilds_them(monkeypatch: object) -> None:
    """`analyze_items(..., each=pack)`: bytes per document, errors as they were; `unpack_results` gives the
    documents back equal to an unpacked run, with the collector's threshold put back after."""
    import gc

    from khaldun.pipeline import default_pipeline
    from khaldun.store.runner import analyze_items
    from khaldun.store.wire import unpack_results

    pipe = default_pipeline()
    items = [{"text": t, "published": "2022-05-09", "path": f"{k}.txt"} for k, t in enumerate(TEXTS)]
    items.insert(1, {"text": "x" * 10, "published": "2022-05-09", "path": "bad.txt"})
    monkeypatch.setattr(pipe, "_document", _failing_on("x" * 10, pipe._document))  # type: ignore[attr-defined]
    plain = analyze_items(pipe, items)
    packed = analyze_items(pipe, items, pack)
    assert [type(d) for d, _ in packed] == [bytes, type(None), bytes]
    assert packed[1] == plain[1] and packed[1][1] is not None and packed[1][1].startswith("bad.txt: ")
    before = gc.get_threshold()
    assert unpack_results(packed) == plain  # type: ignore[arg-type]
    assert gc.get_threshold() == before


def _failing_on(body: str, real: object) -> object:
    def document(pr: dict, parsed: list) -> object:
        if pr["body"] == body:
            raise ValueError("a fault of this test")
        return real(pr, parsed)  # type: ignore[operator]

    return document
