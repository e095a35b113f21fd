"""The `khaldun` command line (Typer + Rich).

Exit status: 0 on success; 2 on unusable arguments; 1 when any input file could not be read or parsed
(each such file is named on stderr with its reason, the others are still processed).
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from . import __version__
from .safety import say, terminal_safe

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="khaldun: claims about actions in conflict news, with who says so and how sure.")
err = Console(stderr=True)


class Fmt(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


class Lang(StrEnum):
    en = "en"
    ar = "ar"
    auto = "auto"


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="show the traceback of an unexpected error")) -> None:
    """khaldun: claims about actions in conflict news, with who says so and how sure."""
    if debug:
        os.environ["KHALDUN_DEBUG"] = "1"


def _bad_args(msg: str) -> None:
    say(err, "[red]error:[/red]", msg)
    raise typer.Exit(2)


def _published(value: str | None) -> Any:
    if value is None:
        return None
    from .dates import parse_published

    try:
        return parse_published(value)
    except ValueError as exc:
        _bad_args(f"--published: {exc}")
    return None


def _pipeline(registry: list[Path] | None) -> Any:
    """The default pipeline, or one whose actor registry adds the configured and given user files."""
    from .config import ConfigError, registry_with_user_files, user_registries
    from .pipeline import Pipeline, default_pipeline

    try:
        if not registry and not user_registries():
            return default_pipeline()
        return Pipeline(registry=registry_with_user_files(list(registry or [])))
    except (ConfigError, ValueError) as exc:
        _bad_args(f"actor registry: {exc}")
    return None


def _items(paths: list[Path], published: Any, outlet: str | None, url: str | None, language: str | None,
           errors: list[str], meta: Any = None) -> Any:
    from .ingest import IngestError, guarded, read_paths

    for it in (it for p in paths for it in guarded(str(p), read_paths([p], meta=meta))):
        if isinstance(it, IngestError):
            errors.append(str(it))
            say(err, "[red]skipped[/red]", it)
            continue
        yield dict(text=it.text, title=it.title, path=it.path if it.line is None else f"{it.path}:{it.line}",
                   url=url or it.url, outlet=outlet or it.outlet,
                   published=published or it.published,
                   language=language if language not in (None, "auto") else it.language)


def _pooled(items: Any, workers: int, errors: list[str], batch: int = 16) -> Any:
    """Documents in input order, analysed on ingest's pool of ``workers`` processes; a failed article
    is named in ``errors`` instead. Chunks of ``batch`` articles (each one spaCy batch in its worker: a
    batch of a few articles costs up to a fifth more CPU); an input that fits in ``2 * workers`` chunks
    is cut into that many even ones instead, so every worker gets its share."""
    from itertools import chain, islice

    from .store.runner import IngestFailed, _Analyser

    items = iter(items)
    head = list(islice(items, 2 * workers * batch))
    if len(head) < 2 * workers * batch:  # the whole input
        batch = max(1, -(-len(head) // (2 * workers)))
    items = chain(head, items)

    def drain(an: Any, everything: bool) -> Any:
        while an.queue and (everything or an.full):
            for doc, e in an.pop()[1]:
                if doc is None:
                    errors.append(e or "analysis failed")
                    err.print(f"failed {e}", markup=False, highlight=False)
                else:
                    yield doc

    try:
        with _Analyser(workers) as an:
            buf: list[tuple[str, Any]] = []
            for it in items:
                buf.append(("", it))
                if len(buf) >= batch:
                    an.submit(buf)
                    buf = []
                    yield from drain(an, False)
            if buf:
                an.submit(buf)
            yield from drain(an, True)
    except IngestFailed as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None


def _meta_csv(path: Path | None) -> Any:
    """The rows of a --meta CSV (exits with status 2, naming the file and the reason, if unusable)."""
    if path is None:
        return None
    from .ingest import MetaError, load_meta_csv

    try:
        return load_meta_csv(path)
    except MetaError as exc:
        _bad_args(f"--meta: {exc}")
    return None


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


@app.command()
def analyze(
    paths: list[Path] = typer.Argument(..., help="text, HTML, JSON Lines or feed files, or directories"),
    format: Fmt = typer.Option(Fmt.json, "--format", "-f", help="json (one object), jsonl (a document a line), text"),
    published: str | None = typer.Option(None, help="publication date YYYY-MM-DD (resolves 'Tuesday evening')"),
    outlet: str | None = typer.Option(None, help="the publishing outlet"),
    url: str | None = typer.Option(None, help="the article's URL"),
    language: Lang = typer.Option(Lang.auto, help="en, ar or auto"),
    registry: list[Path] | None = typer.Option(None, "--registry", help="extra actors (YAML or CSV)"),
    prov: bool = typer.Option(False, "--prov", help="add a W3C PROV-JSON bundle per document"),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="analysis processes (as in ingest)"),
    explain: bool = typer.Option(False, "--explain", help="also list each dropped candidate claim with its reason"),
    meta: Path | None = typer.Option(None, "--meta", help="CSV: file,outlet,url,published,language,title for "
                                                          "plain files (NAME.meta.json sidecars are read anyway)"),
) -> None:
    """Extract claims from articles (contract v1)."""
    pub = _published(published)
    rows = _meta_csv(meta)
    errors: list[str] = []
    items = _items(paths, pub, outlet, url, language.value, errors, rows)
    docs = []
    out = sys.stdout
    pipe: Any = None
    if workers > 1:
        from .config import user_registries

        if registry or user_registries():
            _bad_args("--workers with extra actor registries is not supported: use one process")
        analysed = _pooled(items, workers, errors)
    else:
        pipe = _pipeline(registry)
        analysed = pipe.analyze_many(items)
    for d in analysed:
        data = d.model_dump(mode="json", exclude=None if explain else {"dropped"})
        if prov:
            from .prov import prov_bundle

            data["prov"] = prov_bundle(d)
        if format == Fmt.jsonl:
            out.write(_dump(data) + "\n")
            out.flush()
        elif format == Fmt.text:
            from .report import document_report, dropped_report

            out.write(terminal_safe(document_report(d)) + "\n\n")
            if explain:
                out.write(terminal_safe(dropped_report(d)) + "\n\n")
        else:
            docs.append(data)
    if format == Fmt.json:
        out.write(json.dumps({"khaldun": __version__, "contract": 1, "documents": docs}, ensure_ascii=False,
                             indent=1) + "\n")
    for e in getattr(pipe, "errors", []):
        errors.append(e)
        say(err, "[red]failed[/red]", e)
    if errors:
        err.print(f"[yellow]{len(errors)} input(s) skipped[/yellow]")
        raise typer.Exit(1)


@app.command()
def quotes(
    paths: list[Path] = typer.Argument(...),
    format: Fmt = typer.Option(Fmt.json, "--format", "-f"),
    published: str | None = typer.Option(None),
) -> None:
    """Who said what: every attribution in each document, whether or not an event is coded."""
    pub = _published(published)
    pipe = _pipeline(None)
    errors: list[str] = []
    docs = []
    for d in pipe.analyze_many(_items(paths, pub, None, None, None, errors)):
        data = {"id": d.id, "text": d.text, "quotes": [q.model_dump(mode="json") for q in d.quotes]}
        if format == Fmt.jsonl:
            sys.stdout.write(_dump(data) + "\n")
        elif format == Fmt.text:
            for q in d.quotes:
                sp = q.speaker_span
                who = q.speaker.text if q.speaker else (
                    f"(unnamed: {d.text[sp.start:sp.end]})" if sp and sp.end > sp.start else "(unnamed)")
                line = f"{who} [{q.quote}] {q.cue.text if q.cue else ''}: {q.content.text}"
                if q.via:
                    line += "  | via: " + " <- ".join(v.name for v in q.via)
                if q.evidence_basis:
                    line += f"  | basis: {q.evidence_basis}"
                sys.stdout.write(terminal_safe(line) + "\n")
        else:
            docs.append(data)
    if format == Fmt.json:
        sys.stdout.write(json.dumps({"khaldun": __version__, "contract": 1, "documents": docs},
                                    ensure_ascii=False, indent=1) + "\n")
    for e in getattr(pipe, "errors", []):
        errors.append(e)
        say(err, "[red]failed[/red]", e)
    if errors:
        raise typer.Exit(1)


@app.command("eval")
def eval_cmd(
    suite: str | None = typer.Argument(None, help="a gold set under ../shared/eval (see --list)"),
    limit: int | None = typer.Option(None, help="score the first N records only"),
    report: Path | None = typer.Option(None, help="write the full JSON report here"),
    shared: Path = typer.Option(Path("../shared"), help="where the gold sets are"),
    list_suites: bool = typer.Option(False, "--list", help="list the suites and what each scores, then exit"),
) -> None:
    """Score khaldun against a public gold set."""
    from .evaluation import SUITES, format_report, run_suite

    if list_suites:
        width = max(len(k) for k in SUITES)
        sys.stdout.write("".join(f"{k.ljust(width)}  {v}\n" for k, v in SUITES.items()))
        return
    if suite is None:
        _bad_args("name a suite (khaldun eval --list shows them)")
    if suite not in SUITES:
        _bad_args(f"unknown suite '{suite}'; one of: {', '.join(SUITES)}")
    if not shared.exists():
        _bad_args(f"{shared} not found: the gold sets live in ../shared/eval")
    rep = run_suite(suite, shared, limit=limit)
    sys.stdout.write(format_report(rep) + "\n")
    if report:
        report.write_text(json.dumps(rep, indent=1, ensure_ascii=False), encoding="utf-8")


@app.command()
def bench(
    docs: int = typer.Option(64, "--docs", min=1, help="how many generated articles"),
    corpus: Path | None = typer.Option(None, "--corpus", "--path",
                                       help="benchmark on these articles (file or directory) instead"),
    rounds: int = typer.Option(5, "--rounds", min=1, help="timed rounds per side (median and range)"),
    dask: str | None = typer.Option(None, "--dask", metavar="ADDRESS",
                                    help="also time khaldun on a Dask cluster (local:N or tcp://HOST:PORT)"),
    ingest: int | None = typer.Option(None, "--ingest", min=1, metavar="N",
                                      help="corpus: ingest N generated articles into a temporary SQLite store"),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="analysis processes (--ingest; else: also time khaldun on N processes)"),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="--ingest: articles per chunk and commit"),
    clusters: int | None = typer.Option(None, "--clusters", min=1, metavar="N",
                                        help="corpus: clustering throughput on N generated claims"),
    query: bool = typer.Option(False, "--query", help="corpus: query latency (on 1,000,000 claims unless "
                                                      "--query-claims says otherwise)"),
    query_claims: int | None = typer.Option(None, "--query-claims", min=1, metavar="N",
                                            help="corpus: query latency on a generated store of N claims"),
    query_db: str | None = typer.Option(None, "--query-db", help="build (or reuse, if it holds N claims) the "
                                                                 "query store here, and keep it [default: temporary]"),
    per_kind: int = typer.Option(40, "--queries-per-kind", min=1, help="timed queries of each kind"),
    page: int = typer.Option(100, "--page", min=1, help="rows fetched per query (the first page)"),
    tmp: Path | None = typer.Option(None, "--tmp", help="directory for temporary stores [default: system tmp]"),
    arabic: bool = typer.Option(False, "--arabic", help="Arabic path: words per CPU second on generated Arabic "
                                                        "articles (or --corpus), median and range over --rounds"),
    serve: bool = typer.Option(False, "--serve", help="workbench: p95 latency of the read API under 8 readers "
                                                      "and a concurrent ingest (khaldun.serve.bench)"),
    stored_clusters: int | None = typer.Option(None, "--stored-clusters", min=1, metavar="N",
                                               help="corpus: stored clusters on N generated claims: recluster time "
                                                    "and peak RSS, cluster query p50/p95"),
    cluster_db: str | None = typer.Option(None, "--cluster-db", help="--stored-clusters: build (or reuse) the store "
                                                                     "here (SQLite path or postgresql://)"),
) -> None:
    """Throughput and latency figures, in one run.

    By default khaldun against the bare spaCy pipeline on the same text (words/s in CPU time, rounds
    interleaved, median and range, peak RSS; with --workers N or --dask: scaling against one process).
    With --ingest, --clusters or --query: the corpus figures instead (khaldun.bench_corpus), each
    part in its own process: ingest docs/s and claims/s into SQLite, clustering claims/s, and p50/p95
    latency of typical analyst queries on a store of generated claims."""
    if arabic:
        from .arabic.bench import run_arabic_bench

        run_arabic_bench(docs, corpus, rounds=rounds, emit=lambda line: sys.stdout.write(line + "\n"))
        return
    if serve:
        from .serve.bench import run_serve_bench

        sys.stdout.write(run_serve_bench(directory=tmp) + "\n")
        return
    if query and query_claims is None:
        query_claims = 1_000_000
    if ingest or clusters or query_claims or stored_clusters:
        from .bench_corpus import run_corpus_bench

        def emit(line: str) -> None:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

        run_corpus_bench(ingest=ingest, clusters=clusters, query_claims=query_claims, workers=workers,
                         batch_size=batch_size, query_db=query_db, per_kind=per_kind, limit=page, directory=tmp,
                         emit=emit, stored_clusters=stored_clusters, cluster_db=cluster_db)
        return
    from .bench import BenchError, run_bench

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    try:
        run_bench(docs, corpus, rounds=rounds, workers=workers, dask=dask, batch_size=batch_size, emit=say)
    except BenchError as exc:
        _bad_args(str(exc))


@app.command()
def version() -> None:
    """Print the version."""
    sys.stdout.write(f"khaldun {__version__} (contract 1)\n")


def _register_corpus_commands() -> None:
    """Corpus commands live in their own packages (store: ingest, store-info; corpus: clusters, dossier,
    export); their heavy imports (SQLAlchemy, networkx ...) happen only when one of them runs."""
    from .corpus.cli import register as register_corpus
    from .serve.cli import register as register_serve
    from .store.cli import register as register_store

    register_store(app)
    register_corpus(app)
    register_serve(app)


_register_corpus_commands()


def main() -> None:
    from .safety import run_app

    run_app(app)


if __name__ == "__main__":
    main()
