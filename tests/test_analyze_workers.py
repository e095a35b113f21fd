"""`khaldun analyze --workers N`: the same documents, in the same order, as one process."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from khaldun.cli import app


def test_analyze_on_two_processes_gives_one_process_output(tmp_path: Path) -> None:
    texts = ["Gunmen attacked a police post in the northern town of Velka on Tuesday, officials said.",
             "The ministry said two ships had delivered armoured vehicles to the port last week.",
             "Protesters marched in the capital on Friday to demand the release of detained students.",
             "Artillery shelled villages near the border overnight, a local council member told reporters.",
             "The foreign minister met his counterpart in the capital to discuss a ceasefire."]
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(json.dumps({"text": t, "published": "2021-03-04"}) for t in texts) + "\n",
                 encoding="utf-8")
    one = CliRunner().invoke(app, ["analyze", str(f), "-f", "jsonl"])
    two = CliRunner().invoke(app, ["analyze", str(f), "-f", "jsonl", "--workers", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    docs = [json.loads(ln) for ln in two.stdout.splitlines()]
    assert [d["text"] for d in docs] == texts
    assert any(d["claims"] for d in docs)
    assert two.stdout == one.stdout
