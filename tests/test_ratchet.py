"""The ratchet: rule modules may not grow more complex or hold more word lists than tests/ratchet.json
records. A function above McCabe 25 that is not recorded fails, so does one above its recorded figure,
and so does a module with more word literals (string elements of list/tuple/set literals of three or
more strings, and words of `"...".split()` literals) than recorded. Figures may only go down: after a
cleanup, `python tests/test_ratchet.py --update` lowers the record (it never raises it)."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import mccabe

ROOT = Path(__file__).resolve().parents[1]
RECORD = Path(__file__).with_name("ratchet.json")
RULE_MODULES = ["events.py", "attribution.py", "factuality.py", "mentions.py", "actors.py", "materiel.py",
                "places.py", "dates.py", "pipeline.py", "claim_filter.py"]
RULE_PACKAGES = ["frames", "arabic", "stages"]
MAX_COMPLEXITY = 25


def rule_files() -> list[Path]:
    files = [ROOT / "khaldun" / m for m in RULE_MODULES]
    for pkg in RULE_PACKAGES:
        files += sorted((ROOT / "khaldun" / pkg).glob("*.py"))
    return [f for f in files if f.is_file()]


def _key(path: Path) -> str:
    return path.relative_to(ROOT / "khaldun").as_posix()


def complexities(path: Path) -> dict[str, int]:
    tree = compile(path.read_text(encoding="utf-8"), str(path), "exec", ast.PyCF_ONLY_AST)
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(tree, visitor)
    return {g.entity: g.complexity() for g in visitor.graphs.values()}


def _is_word(s: str) -> bool:
    return bool(s) and len(s) < 40 and all(w.replace("-", "").replace("'", "").isalpha() for w in s.split())


def word_literals(path: Path) -> int:
    """String elements that are words, in collection literals of three or more strings, plus the words of
    `"a b c".split()` literals."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)}
    n = 0
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            strs = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(strs) >= 3:
                n += sum(_is_word(s) for s in strs)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
            n += sum(_is_word(w) for w in node.func.value.value.split())
    return n


def measure() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in rule_files():
        over = {k: v for k, v in complexities(f).items() if v > MAX_COMPLEXITY}
        out[_key(f)] = {"word_literals": word_literals(f), "over_mccabe_25": dict(sorted(over.items()))}
    return out


def test_no_rule_module_grows() -> None:
    record = json.loads(RECORD.read_text(encoding="utf-8"))["modules"]
    problems = []
    for mod, now in measure().items():
        was = record.get(mod, {"word_literals": 0, "over_mccabe_25": {}})
        if now["word_literals"] > was["word_literals"]:
            problems.append(f"{mod}: {now['word_literals']} word literals, recorded {was['word_literals']} "
                            "(move word lists to a data file under khaldun/data and load them via khaldun.lexicon)")
        for fn, c in now["over_mccabe_25"].items():
            limit = was["over_mccabe_25"].get(fn, MAX_COMPLEXITY)
            if c > limit:
                problems.append(f"{mod}: {fn} has McCabe {c}, allowed {limit}")
    assert not problems, "\n".join(problems)


def test_measure_sees_a_word_list(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text('A = frozenset({"alpha", "beta", "gamma"})\nB = "one two three".split()\nC = ("x", 1)\n'
                 "def f(a):\n" + "".join(f"    if a == {i}:\n        return {i}\n" for i in range(30)))
    assert word_literals(f) == 6
    assert complexities(f)["f"] == 31


def update() -> int:
    """Lower the record to today's figures where they went down; never raise it."""
    data = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else {"modules": {}}
    rec = data["modules"]
    for mod, now in measure().items():
        was = rec.get(mod)
        if was is None:
            rec[mod] = now
            continue
        was["word_literals"] = min(was["word_literals"], now["word_literals"])
        was["over_mccabe_25"] = {fn: min(c, now["over_mccabe_25"][fn]) for fn, c in was["over_mccabe_25"].items()
                                 if fn in now["over_mccabe_25"]}
    RECORD.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        sys.exit(update())
    print(json.dumps(measure(), indent=1))
