"""Output that third-party text cannot subvert, secrets that never reach a terminal, and workers that
die with their parent.

* :func:`terminal_safe` removes escape sequences and control characters from text printed to a
  terminal (a title carrying ``ESC ]`` could retitle the window, hide lines or forge output);
* :func:`say` prints one diagnostic line on a Rich console with the data escaped, so ``[/red]`` in a
  title or a JSON key is text, not markup;
* :func:`mask_secrets` hides the password of every ``scheme://user:password@host`` in a message;
* :func:`csv_cell` defuses spreadsheet formulas (a cell starting ``=``, ``+``, ``-``, ``@``, tab or
  carriage return is prefixed with ``'``, the OWASP rule; plain numbers are left alone);
* :func:`die_with_parent` makes a worker process end when the process that started it ends, even by
  ``kill -9`` (Linux: ``prctl(PR_SET_PDEATHSIG)``; elsewhere, and as a second guard, a thread that
  watches the parent's pid).
"""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
from typing import Any

__all__ = ["csv_cell", "debug_enabled", "die_with_parent", "mask_secrets", "one_line", "run_app", "say",
           "terminal_safe"]

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte escapes, then any C0/C1 control
# but tab and newline, and the 8-bit CSI/OSC introducers themselves.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]*:)[^\s@/]*(?P<at>@)")
_PASSWORD_KV = re.compile(r"(?P<head>\bpassword\s*=\s*)(?:'[^']*'|\"[^\"]*\"|\S+)", re.IGNORECASE)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def terminal_safe(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab and newline kept)."""
    return _ESCAPES.sub("", text)


def mask_secrets(text: str) -> str:
    """``text`` with the password of each URL (``postgresql://u:SECRET@h``) and ``password=...`` hidden."""
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}***{m.group('at')}", text)
    return _PASSWORD_KV.sub(lambda m: f"{m.group('head')}***", text)


def say(console: Any, label: str, message: object) -> None:
    """Print ``label`` (Rich markup, ours) then ``message`` (data: escaped, secrets and escapes removed)."""
    from rich.markup import escape

    line = " ".join(terminal_safe(mask_secrets(str(message))).split("\n"))
    console.print(f"{label} {escape(line)}" if label else escape(line), highlight=False, soft_wrap=True)


def one_line(exc: BaseException) -> str:
    """An exception as one line a user can read: its type and message, secrets and escapes removed."""
    msg = " ".join(part.strip() for part in str(exc).splitlines() if part.strip())
    return terminal_safe(mask_secrets(f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__))


def debug_enabled() -> bool:
    """True under ``khaldun --debug`` (or ``KHALDUN_DEBUG=1``): tracebacks are shown."""
    return os.environ.get("KHALDUN_DEBUG", "") not in ("", "0")


def run_app(app: Any, argv: list[str] | None = None) -> None:
    """Run a Typer app so that an unexpected error ends in one line on stderr and exit status 1;
    ``--debug`` anywhere before the command (or ``KHALDUN_DEBUG=1``) shows the traceback instead."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args[:args.index("--") if "--" in args else len(args)] and not app.registered_callback:
        args.remove("--debug")  # a sub-app without the global option (python -m khaldun.store.cli)
        os.environ["KHALDUN_DEBUG"] = "1"
    try:
        app(args, prog_name="khaldun")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001  the last line of defence: one line, not a traceback
        if debug_enabled():
            raise
        sys.stderr.write(f"error: {one_line(exc)} (run with --debug for the traceback)\n")
        sys.exit(1)


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula (numbers and non-strings unchanged)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None, poll_seconds: float = 1.0) -> None:
    """End this process when its parent ends (call first thing in a worker).

    ``parent_pid`` is the pid the worker expects as its parent (``os.getppid()`` at start when None):
    if the parent died before this call, the process exits at once."""
    expected = parent_pid if parent_pid is not None else os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != expected:
        os._exit(1)

    def watch() -> None:
        import time

        while True:
            time.sleep(poll_seconds)
            if os.getppid() != expected:
                os._exit(1)

    threading.Thread(target=watch, name="khaldun-parent-watch", daemon=True).start()
