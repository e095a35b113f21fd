"""User configuration: ``$XDG_CONFIG_HOME/khaldun/config.toml`` (default ``~/.config/khaldun/config.toml``).

Keys read today:

- ``db = "postgresql+psycopg://..."`` or a file path: the store (see :mod:`khaldun.store.store`).
- ``registries = ["my_actors.yaml", "/abs/path/aliases.csv"]``: an analyst's own actors and aliases,
  added on top of the packaged registry by every command (relative paths are relative to the config
  file's folder). The environment variable ``KHALDUN_REGISTRY`` (paths separated by ``os.pathsep``)
  adds more; ``--registry FILE`` adds more for one command.

Environment only: ``KHALDUN_FRAMES`` chooses how rules and frame engine share event coding (frames_mode).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

ENV_REGISTRY = "KHALDUN_REGISTRY"
ENV_FRAMES = "KHALDUN_FRAMES"
FRAMES_MODES = ("fallback", "rules", "engine", "first")


def frames_mode() -> str:
    """How the rules and the frame engine share event coding (events.EventExtractor), from the environment
    variable KHALDUN_FRAMES: 'fallback' (the default: the rules, then the engine in the sentences or clauses
    they leave uncoded), 'rules' (the rules only), 'engine' (the engine alone) or 'first' (the engine decides
    the type of the verb clauses the rules coded). An unknown value is an error naming the variable."""
    mode = os.environ.get(ENV_FRAMES, "") or FRAMES_MODES[0]
    if mode not in FRAMES_MODES:
        raise ConfigError(f"{ENV_FRAMES}={mode!r}: expected one of {', '.join(FRAMES_MODES)}")
    return mode


class ConfigError(ValueError):
    pass


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "khaldun" / "config.toml"


def load_config() -> dict[str, Any]:
    p = config_path()
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p}: unreadable configuration ({exc})") from exc


def user_registries() -> list[Path]:
    """The registry files the configuration and the environment name, in that order."""
    p = config_path()
    raw = load_config().get("registries", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ConfigError(f"{p}: 'registries' must be a list of file paths")
    out = [(p.parent / Path(x).expanduser()) if not Path(x).expanduser().is_absolute() else Path(x).expanduser()
           for x in raw]
    env = os.environ.get(ENV_REGISTRY, "")
    out += [Path(x).expanduser() for x in env.split(os.pathsep) if x.strip()]
    return out


def registry_with_user_files(extra: list[Path] | None = None) -> Any:
    """The packaged actor registry plus the configured and the given user files (ValueError naming the
    file on a bad one)."""
    from .actors import ActorRegistry

    reg = ActorRegistry.default()
    for f in user_registries() + list(extra or []):
        try:
            reg = reg.with_file(f)
        except OSError as exc:
            raise ConfigError(f"{f}: cannot read registry file ({exc.strerror or exc})") from exc
    return reg
