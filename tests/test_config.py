"""User configuration: registries from config.toml and KHALDUN_REGISTRY reach every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

REGISTRY = """source: an analyst's own file
entries:
  - id: org/sea-hawks-brigade
    name: Sea Hawks Brigade
    kind: armed_group
    country: LBY
    sector: REB
    aliases: [Sea Hawks Brigade, Sea Hawks]
"""
TEXT = "The Sea Hawks Brigade attacked the port of Zuwara on Monday, residents said.\n"


def _run(tmp_path: Path, env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "cfg"), **env_extra)
    return subprocess.run([sys.executable, "-m", "khaldun.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


def _actor_ids(out: str) -> set[str | None]:
    doc = json.loads(out)["documents"][0]
    return {a["id"] for c in doc["claims"] for a in c["actors"]}


def test_config_registry_is_used(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg" / "khaldun"
    cfg.mkdir(parents=True)
    (cfg / "actors.yaml").write_text(REGISTRY, encoding="utf-8")
    (cfg / "config.toml").write_text('registries = ["actors.yaml"]\n', encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    res = _run(tmp_path, {}, "analyze", str(art), "--published", "2020-05-05")
    assert res.returncode == 0, res.stderr
    assert "org/sea-hawks-brigade" in _actor_ids(res.stdout)


def test_env_registry_and_bad_file(tmp_path: Path) -> None:
    reg = tmp_path / "mine.yaml"
    reg.write_text(REGISTRY, encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    res = _run(tmp_path, {"KHALDUN_REGISTRY": str(reg)}, "analyze", str(art))
    assert res.returncode == 0 and "org/sea-hawks-brigade" in _actor_ids(res.stdout)
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries: [1, 2\n", encoding="utf-8")
    res = _run(tmp_path, {}, "analyze", str(art), "--registry", str(bad))
    assert res.returncode == 2 and "bad.yaml" in res.stderr and "Traceback" not in res.stderr
