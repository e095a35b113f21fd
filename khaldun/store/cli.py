"""The store's commands: `khaldun ingest` and `khaldun store-info`.

:func:`register` adds them to the main Typer app (``khaldun/cli.py``). ``python -m khaldun.store.cli``
runs them on their own app, which is how the crash-resume test starts a killable ingest.

Exit status: 0 on success; 1 when any input could not be used (each listed at the end with its
reason, and stored in ``ingest_errors``); 2 on unusable arguments or a store that cannot be opened.
"""

from __future__ import annotations

import json
import shlex
import sys
from typing import Any

import typer
from rich.console import Console

from ..limits import FETCH_DEADLINE
from ..safety import say, terminal_safe

__all__ = ["ingest", "register", "store_info"]

err = Console(stderr=True)

_DB_HELP = ("SQLite file or postgresql://user:pass@host/db [default: $KHALDUN_DB, else db in "
            "~/.config/khaldun/config.toml, else ./khaldun.db]")


def _bad_args(msg: str) -> None:
    say(err, "[red]error:[/red]", msg)
    raise typer.Exit(2)


def _open(db: str | None, create: bool) -> Any:
    from .store import Store, StoreError

    try:
        return Store.open(db, create=create)
    except StoreError as exc:
        _bad_args(str(exc))


def ingest(
    paths: list[str] = typer.Argument(..., help="text, HTML, JSON Lines, JSON, RSS/Atom or WARC files, "
                                                "directories, or (with --fetch-urls) http(s) URLs"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="analysis processes"),
    published: str | None = typer.Option(None, help="publication date YYYY-MM-DD for every article"),
    outlet: str | None = typer.Option(None, help="the publishing outlet of every article"),
    fetch_urls: bool = typer.Option(False, "--fetch-urls",
                                    help="fetch http(s) URLs given as PATH (off: no network)"),
    allow_host: list[str] | None = typer.Option(None, "--allow-host",
                                                help="a host --fetch-urls may fetch (and its subdomains)"),
    fetch_timeout: float = typer.Option(10.0, "--fetch-timeout", min=0.1, help="seconds per connection/read"),
    fetch_deadline: float = typer.Option(FETCH_DEADLINE, "--fetch-deadline", min=0.1,
                                         help="seconds in all per URL (a slow server cannot hold ingest)"),
    fetch_max_bytes: int = typer.Option(5 * 1024 * 1024, "--fetch-max-bytes", min=1, help="size cap per URL"),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="articles per analysis chunk and commit"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="progress bar on stderr"),
    dask: str | None = typer.Option(None, "--dask", metavar="ADDRESS",
                                    help="analyse on a Dask cluster: tcp://SCHEDULER:8786, or local:N "
                                         "(N local worker processes)"),
    parts: str | None = typer.Option(None, "--parts", metavar="DIR",
                                     help="write Parquet partitions to DIR instead of a store "
                                          "(then: khaldun load DIR --db URL)"),
    meta: str | None = typer.Option(None, "--meta", help="CSV: file,outlet,url,published,language,title for "
                                                         "plain files (NAME.meta.json sidecars are read anyway)"),
) -> None:
    """Analyse articles into the store, skipping those already stored; resumable after a crash."""
    from .runner import IngestFailed, IngestOptions, IngestReport, run_ingest

    pub = None
    if published is not None:
        from ..dates import parse_published

        try:
            d = parse_published(published)
        except ValueError as exc:
            _bad_args(f"--published: {exc}")
        pub = d.isoformat() if d else None
    rows = None
    if meta is not None:
        from ..ingest import MetaError, load_meta_csv

        try:
            rows = load_meta_csv(meta)
        except MetaError as exc:
            _bad_args(f"--meta: {exc}")
    opts = IngestOptions(workers=workers, published=pub, outlet=outlet, fetch_urls=fetch_urls,
                         allow_hosts=tuple(allow_host or ()), fetch_timeout=fetch_timeout,
                         fetch_deadline=fetch_deadline, fetch_max_bytes=fetch_max_bytes, batch_size=batch_size,
                         dask=dask, meta=rows)
    store = _open_target(db, parts, dask)
    command = "khaldun ingest " + " ".join(shlex.quote(p) for p in paths)
    stopped: str | None = None
    try:
        if progress:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            bar = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("inputs"),
                           TimeElapsedColumn(), TextColumn("{task.description}"), console=err)
            task = bar.add_task("", total=None)

            def tick(r: IngestReport) -> None:
                bar.update(task, total=r.inputs, completed=r.inputs_done,
                           description=f"added {r.added}, skipped {r.skipped}, errors {len(r.errors)}")

            with bar:
                report = run_ingest(paths, store, opts, progress=tick, command=command)
        else:
            report = run_ingest(paths, store, opts, command=command)
    except IngestFailed as exc:
        stopped = str(exc)
        report = exc.report  # type: ignore[attr-defined]
    finally:
        url = store.url
        store.close()
    rate = report.analysed / report.seconds if report.seconds else 0.0
    extra = f", {report.not_articles} pages without an article body" if report.not_articles else ""
    more = report.appearances - report.added  # new outlets/URLs of texts already stored
    sys.stdout.write(
        f"run {report.run_id}: {report.added} documents added ({report.claims} claims), "
        f"{report.appearances} appearances added ({more} new outlet/URL of a stored text), "
        f"{report.skipped} skipped (text already stored), {len(report.errors)} errors{extra}; "
        f"{report.analysed} analysed in {report.seconds:.1f} s ({rate:.1f} docs/s) into {url}\n")
    if report.warnings:  # e.g. documents in a language khaldun cannot analyze: stored, but with no claims
        err.print(f"[yellow]{len(report.warnings)} warning(s) on stored documents:[/yellow]")
        for w in report.warnings:
            err.print(f"  {terminal_safe(w)}", markup=False, highlight=False, soft_wrap=True)
    if report.undated or report.no_claims:
        err.print(f"[yellow]warning:[/yellow] of the {report.added} documents added, {report.undated} have no "
                  f"publication date (dates and embargo checks are unanchored: give one with a NAME.meta.json "
                  f"sidecar, --meta FILE.csv or --published) and {report.no_claims} gave no claim",
                  highlight=False)
    if report.errors:
        err.print(f"[yellow]{len(report.errors)} input(s) could not be used:[/yellow]")
        for e in report.errors:
            err.print(f"  {terminal_safe(e)}", markup=False, highlight=False, soft_wrap=True)
    if stopped:
        say(err, "[red]error:[/red]", stopped)
    if report.errors or stopped:
        raise typer.Exit(1)


def _open_target(db: str | None, parts: str | None, dask: str | None) -> Any:
    """The store, or with --parts the directory of Parquet partitions (khaldun.store.distributed)."""
    if dask is not None:
        from .distributed import DaskAddressError, parse_address

        try:
            parse_address(dask)
        except DaskAddressError as exc:
            _bad_args(str(exc))
    if parts is None:
        return _open(db, create=True)
    if db is not None:
        _bad_args("--parts and --db exclude each other: write partitions, then `khaldun load DIR --db URL`")
    from .distributed import PartsStore
    from .store import StoreError

    try:
        return PartsStore(parts)
    except (StoreError, OSError, ValueError) as exc:
        _bad_args(f"--parts {parts}: {exc}")
    return None


def load(
    parts_dir: str = typer.Argument(..., help="a directory of partitions written by `khaldun ingest --parts`"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """Bulk-load Parquet partitions into the store; documents already stored are skipped."""
    from pathlib import Path

    from .distributed import load_parts

    if not Path(parts_dir).is_dir():
        _bad_args(f"{parts_dir}: not a directory of partitions")
    store = _open(db, create=True)
    try:
        rep = load_parts(parts_dir, store, command="khaldun load " + shlex.quote(parts_dir))
    finally:
        url = store.url
        store.close()
    sys.stdout.write(f"loaded {rep.parts} partitions ({rep.documents} documents): {rep.added} documents added "
                     f"({rep.claims} claims), {rep.appearances} appearances added into {url}\n")
    for e in rep.errors:
        err.print(f"  {e}", markup=False, highlight=False, soft_wrap=True)
    if rep.errors:
        raise typer.Exit(1)


def store_info(
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Print what the store holds: rows per table, schema version, recent runs.

    ``documents`` counts texts, ``document_appearances`` the outlets/URLs they were published at.
    """
    store = _open(db, create=False)
    try:
        info: dict[str, Any] = {"store": store.url, "dialect": store.dialect,
                                "schema_version": store.schema_version(), "counts": store.counts(),
                                "runs": store.runs(last=5)}
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(info, default=str, ensure_ascii=False, indent=1) + "\n")
        return
    out = [f"store: {info['store']} ({info['dialect']}, schema v{info['schema_version']})"]
    out += [f"{k}: {v}" for k, v in info["counts"].items()]
    for r in info["runs"]:
        when = r["started_at"].isoformat(timespec="seconds") if r["started_at"] else "?"
        status = "running, or killed" if r["status"] == "running" else r["status"]
        out.append(f"run {r['id']} {when} {status}: {r['documents_added']} documents added, "
                   f"{r['appearances_added']} appearances added, "
                   f"{r['documents_skipped']} skipped, {r['claims_added']} claims, {r['errors']} errors "
                   f"(pipeline {r['pipeline_version']})")
    sys.stdout.write("\n".join(out) + "\n")


def register(app: typer.Typer) -> None:
    """Add `ingest`, `store-info` and `load` to the main command line."""
    app.command("ingest")(ingest)
    app.command("store-info")(store_info)
    app.command("load")(load)


def _standalone() -> typer.Typer:
    app = typer.Typer(add_completion=False, no_args_is_help=True, help="khaldun store commands")
    register(app)
    return app


if __name__ == "__main__":
    from ..safety import run_app

    run_app(_standalone())
