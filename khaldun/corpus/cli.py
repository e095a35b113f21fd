"""`khaldun clusters`, `khaldun dossier` and `khaldun export`: the corpus commands.

Input is either the store (``--db URL``, read through :class:`khaldun.store.Store`) or documents as
written by ``khaldun analyze --format jsonl`` (``--from-jsonl FILE``, repeatable; the ``--format json``
wrapper ``{"documents": [...]}`` is read too). `register(app)` adds the commands to the main app.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

err = Console(stderr=True)

__all__ = ["register", "load_documents"]


def _bad(msg: str) -> None:
    from khaldun.safety import say

    say(err, "[red]error:[/red]", msg)  # one line; data escaped; any password in a URL hidden
    raise typer.Exit(2)


def _date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _bad(f"{flag}: want YYYY-MM-DD, got {value!r}")
    return None


def _read_jsonl(path: Path) -> list[Any]:
    from khaldun.models import Document

    docs: list[Document] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        _bad(f"--from-jsonl {path}: {exc.strerror or exc}")
    stripped = text.lstrip()
    if stripped.startswith("{") and '"documents"' in stripped[:200] and "\n{" not in stripped.rstrip():
        try:
            obj = json.loads(stripped)
            return [Document.model_validate(d) for d in obj.get("documents", [])]
        except (ValueError, TypeError) as exc:
            _bad(f"--from-jsonl {path}: not a khaldun JSON document set ({exc})")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            docs.append(Document.model_validate_json(line))
        except ValueError as exc:
            first = str(exc).splitlines()[0]
            _bad(
                f"--from-jsonl {path}:{n}: not a khaldun Document ({first}); write it with "
                "`khaldun analyze --format jsonl`"
            )
    return docs


def load_documents(db: str | None, from_jsonl: list[Path] | None) -> list[Any]:
    """Documents from the store or from JSON Lines files (exits with status 2 on unusable input).

    From the store, a text published by several outlets comes once per appearance (its outlet, URL,
    date and title), exactly as the JSON Lines of `khaldun analyze` run on each copy would give it.
    """
    if from_jsonl:
        docs = []
        for p in from_jsonl:
            docs.extend(_read_jsonl(p))
        return docs
    try:
        from khaldun.store import Store
    except ImportError as exc:
        _bad(
            f"the store is not available ({exc}); pass --from-jsonl FILE with documents written by "
            "`khaldun analyze --format jsonl`"
        )
    try:
        try:
            store = Store.open(db, create=False)
        except TypeError:
            store = Store.open(db)
        with store:
            # one Document per appearance: wire copy carried by three outlets counts three outlets (and,
            # being one text, one syndication group: still one independent source)
            return list(store.documents(per_appearance=True))
    except Exception as exc:  # the store's own errors name the URL and the cause
        _bad(f"cannot read the store{f' {db}' if db else ''}: {exc}")
    return []


def _corpus(db: str | None, from_jsonl: list[Path] | None, window: int) -> Any:
    from .clusters import analyze_corpus

    return analyze_corpus(load_documents(db, from_jsonl), window=window)


def open_clustered(db: str | None) -> Any:
    """The store, for reading its stored clusters (exits with status 2 when it cannot be used).

    A store from before stored clusters (schema < 4) must be upgraded first; claims still waiting to
    join clusters (an ingest that was killed) are named on stderr."""
    try:
        from khaldun.corpus.stored import pending
        from khaldun.store import SCHEMA_VERSION, Store

        store = Store.open(db, create=False)
    except Exception as exc:  # the store's own errors name the URL and the cause
        _bad(f"cannot read the store{f' {db}' if db else ''}: {exc}")
    if store.schema_version() < SCHEMA_VERSION:
        store.close()
        _bad(f"the store {store.url} has no stored clusters yet (schema v{store.schema_version()}): "
             "run `khaldun recluster` once to upgrade it and build them")
    waiting = pending(store.engine)
    if waiting:  # claims a killed ingest (or a bulk load) left queued: cluster them now, if the store is writable
        try:
            store.update_clusters()
        except Exception as exc:  # noqa: BLE001  a read-only store still answers, with what it has
            err.print(f"[yellow]warning:[/yellow] {waiting} claim(s) or document(s) wait to join clusters and "
                      f"the store cannot be written ({str(exc).splitlines()[0]}): run `khaldun recluster`",
                      highlight=False, markup=False)
    return store


def _store_counts(store: Any) -> dict[str, int]:
    """The corpus counts of :meth:`khaldun.corpus.clusters.Corpus.counts`, from the tables (syndicated
    groups here: texts carried word for word by more than one outlet or URL)."""
    import sqlalchemy as sa

    from khaldun.store.schema import AppearanceRow, ClusterRow

    c = store.counts()
    ap = AppearanceRow.__table__
    cl = ClusterRow.__table__
    with store.engine.connect() as conn:
        multi = sa.select(ap.c.document_id).group_by(ap.c.document_id).having(sa.func.count() > 1).subquery()
        groups = int(conn.execute(sa.select(sa.func.count()).select_from(multi)).scalar() or 0)
        copies = int(conn.execute(sa.select(sa.func.count()).select_from(ap).where(
            ap.c.document_id.in_(sa.select(multi.c.document_id)))).scalar() or 0) - groups
        multi_rep = int(conn.execute(sa.select(sa.func.count()).select_from(cl).where(cl.c.reports > 1)).scalar()
                        or 0)
    return {"documents": c["document_appearances"], "texts": c["documents"], "claims": c["claims"],
            "syndicated_groups": groups, "syndicated_copies": copies, "clusters": c["clusters"],
            "multi_report_clusters": multi_rep}


def _stored_clusters(store: Any, **filters: Any) -> Any:
    from khaldun.store.queries import iter_clusters

    try:
        with store.engine.connect() as conn:
            yield from iter_clusters(conn, **filters)
    except ValueError as exc:
        _bad(str(exc))


def _stored_corpus(db: str | None, filtered: bool, filters: dict[str, Any]) -> Any:
    """The export's corpus from the store: the chosen stored clusters, and the documents (one per
    appearance) that carry their claims (every document when nothing is filtered)."""
    from .clusters import Corpus
    from .dedup import find_syndication

    with open_clustered(db) as store:
        chosen = list(_stored_clusters(store, **(filters if filtered else {})))
        if filtered:
            keep = sorted({r.document for c in chosen for s in c.sources for r in s.reports})
            docs = list(store.documents(ids=keep, per_appearance=True)) if keep else []
        else:
            docs = list(store.documents(per_appearance=True))
    return Corpus(documents=docs, syndication=find_syndication(docs), clusters=chosen)


def _write_clusters(chosen: Any, counts: dict[str, int], format: str) -> None:
    out = sys.stdout
    if format == "jsonl":
        for c in chosen:
            out.write(c.model_dump_json() + "\n")
    elif format == "text":
        from khaldun.safety import terminal_safe

        for c in chosen:
            acts = ", ".join(a.name or a.text for a in c.actors) or "?"
            recs = ", ".join(a.name or a.text for a in c.recipients) or "?"
            mat = ", ".join(m.designation or m.category for m in c.materiel)
            emb = f" [{c.embargo[0].status}]" if c.embargo else ""
            out.write(terminal_safe(
                f"{c.id} {c.event.type} {acts} -> {recs}{f' ({mat})' if mat else ''} "
                f"{c.when.text or 'undated'}{emb}\n  {c.reports} report(s), {c.outlets} outlet(s), "
                f"{c.independent_sources} independent source(s), {len(c.contradictions)} "
                f"contradiction(s), first seen {c.first_seen}\n"
            ))
            for s in c.sources:
                out.write(terminal_safe(f"    {'+' if s.supports else '-'} {s.label}: {', '.join(s.outlets)}") + "\n")
    else:
        from khaldun import __version__

        head = json.dumps({"khaldun": __version__, "contract": 1, "counts": counts}, ensure_ascii=False,
                          indent=1)
        out.write(head[:-2] + ',\n "clusters": [')  # streamed: one cluster at a time
        for i, c in enumerate(chosen):
            out.write(("," if i else "") + "\n" + json.dumps(c.model_dump(mode="json"), ensure_ascii=False))
        out.write("\n ]\n}\n")


def _recluster(db: str | None, window: int, dask: str | None = None) -> None:
    import time

    from khaldun.store import Store, StoreError

    t0 = time.perf_counter()
    dask_errors: tuple[type[Exception], ...] = ()
    if dask:
        from khaldun.store.distributed import DaskAddressError, parse_address

        dask_errors = (DaskAddressError,)
        try:
            parse_address(dask)
        except DaskAddressError as exc:
            _bad(str(exc))
    try:
        Store.open(db, create=False).close()  # an existing store only
        store = Store.open(db)  # create=True: migrates an older store to stored clusters
    except StoreError as exc:
        _bad(str(exc))
    ticks: dict[str, int] = {}
    try:
        got = store.recluster(window, dask=dask, progress=ticks.__setitem__)
    except dask_errors as exc:  # the scheduler cannot be reached
        _bad(str(exc))
    finally:
        url = store.url
        store.close()
    sys.stdout.write(f"{got['clusters']} clusters from {got['claims']} claims ({got['denials_linked']} "
                     f"denial(s) linked) in {time.perf_counter() - t0:.1f} s into {url}\n")
    if dask:
        sys.stdout.write(f"on Dask: {ticks.get('partitions', 0)} time partition(s); {ticks.get('rerun', 0)} "
                         "claim(s) run again at their edges\n")


def _stored_dossier(db: str | None, embargo: str, start: str | None, end: str | None) -> Any:
    """The dossier from the transfer clusters with a finding for this regime, read from the store's indexes."""
    from .dossier import build_dossier, resolve_regime

    name = resolve_regime(embargo).name
    with open_clustered(db) as store:
        considered = store.query_clusters(limit=0, type="AID")[1]  # as build_dossier counts its pool
        pool = list(_stored_clusters(store, regime=name, type="AID", date_from=start, date_to=end))
        d = build_dossier(pool, embargo, _date(start, "--from"), _date(end, "--to"),
                          documents=store.counts()["document_appearances"])
    d.clusters_considered = considered
    return d


def register(app: typer.Typer) -> None:
    """Add `clusters`, `dossier` and `export` to the khaldun command line."""

    db_opt = typer.Option(None, "--db", help="store URL (sqlite:///khaldun.db, postgresql://...)")
    jsonl_opt = typer.Option(
        None,
        "--from-jsonl",
        help="documents from `khaldun analyze --format jsonl` (repeatable), instead of the store",
    )
    window_opt = typer.Option(14, "--window", help="days between dates of one event (with --from-jsonl, and for recluster)")

    def _filter(
        corpus: Any,
        actor: str | None,
        type_: str | None,
        start: str | None,
        end: str | None,
        place: str | None,
        embargo: str | None,
        regime: str | None,
        min_sources: int,
    ) -> list[Any]:
        from .clusters import filter_clusters

        if embargo and embargo not in (
            "potential_violation",
            "possibly_exempt",
            "not_covered",
            "any",
            "none",
        ):
            _bad("--embargo-status: one of potential_violation, possibly_exempt, not_covered, any, none")
        if corpus is None:
            _date(start, "--from"), _date(end, "--to")
            return []
        return filter_clusters(
            corpus.clusters,
            actor=actor,
            type=type_,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            place=place,
            embargo=embargo,
            regime=regime,
            min_sources=min_sources,
        )

    @app.command("clusters")
    def clusters_cmd(
        db: str | None = db_opt,
        from_jsonl: list[Path] | None = jsonl_opt,
        actor: str | None = typer.Option(None, help="registry id (TUR, org/lna) or part of a name, any side"),
        type_: str | None = typer.Option(None, "--type", help="event type or family (AID, ASSAULT, ...)"),
        start: str | None = typer.Option(None, "--from", help="dates on or after YYYY-MM-DD"),
        end: str | None = typer.Option(None, "--to", help="dates on or before YYYY-MM-DD"),
        place: str | None = typer.Option(None, help="ISO3 country or part of a place name"),
        embargo: str | None = typer.Option(
            None, "--embargo-status", help="potential_violation, possibly_exempt, not_covered, any, none"
        ),
        regime: str | None = typer.Option(None, "--regime", help="part of an embargo regime's name (libya)"),
        min_sources: int = typer.Option(0, "--min-sources", help="at least this many independent sources"),
        format: str = typer.Option("json", "--format", "-f", help="json, jsonl or text"),
        window: int = window_opt,
    ) -> None:
        """Claims about one event across documents, with reports, outlets and independent sources."""
        if format not in ("json", "jsonl", "text"):
            _bad("--format: json, jsonl or text")
        store = None
        if from_jsonl:
            corpus = _corpus(db, from_jsonl, window)
            chosen: Any = _filter(corpus, actor, type_, start, end, place, embargo, regime, min_sources)
            counts = corpus.counts()
        else:  # the stored clusters, through the store's indexes, streamed
            _filter(None, None, None, start, end, None, embargo, None, 0)  # check the arguments only
            store = open_clustered(db)
            counts = _store_counts(store)
            chosen = _stored_clusters(store, actor=actor, type=type_, date_from=start, date_to=end, place=place,
                                      embargo_status=embargo, regime=regime, min_sources=min_sources)
        try:
            _write_clusters(chosen, counts, format)
        finally:
            if store is not None:
                store.close()

    @app.command("recluster")
    def recluster_cmd(
        db: str | None = db_opt,
        window: int = window_opt,
        dask: str | None = typer.Option(None, "--dask", metavar="ADDRESS",
                                        help="build the clusters on a Dask cluster: tcp://HOST:8786 or local:N"),
    ) -> None:
        """Rebuild every stored cluster from the stored claims (after the clustering rules changed)."""
        _recluster(db, window, dask)

    @app.command("dossier")
    def dossier_cmd(
        embargo: str = typer.Option(..., "--embargo", help="regime id (libya, somalia, ...) or target ISO3"),
        start: str | None = typer.Option(None, "--from", help="YYYY-MM-DD"),
        end: str | None = typer.Option(None, "--to", help="YYYY-MM-DD"),
        html: bool = typer.Option(False, "--html", help="one self-contained HTML page instead of Markdown"),
        output: Path | None = typer.Option(None, "--output", "-o", help="write here instead of stdout"),
        db: str | None = db_opt,
        from_jsonl: list[Path] | None = jsonl_opt,
        window: int = window_opt,
    ) -> None:
        """Every alleged transfer under a UN arms embargo: sources, chains, status and reason."""
        from .dossier import build_dossier, dossier_html, dossier_markdown, resolve_regime

        try:
            resolve_regime(embargo)
        except ValueError as exc:
            _bad(f"--embargo: {exc}")
        s, e = _date(start, "--from"), _date(end, "--to")
        if from_jsonl:
            corpus = _corpus(db, from_jsonl, window)
            d = build_dossier(corpus.clusters, embargo, s, e, documents=len(corpus.documents))
        else:
            d = _stored_dossier(db, embargo, start, end)
        text = dossier_html(d) if html else dossier_markdown(d)
        if output:
            output.write_text(text, encoding="utf-8")
            err.print(f"wrote {output} ({d.counts.get('entries', 0)} transfer(s))")
        else:
            sys.stdout.write(text)

    @app.command("export")
    def export_cmd(
        out: Path = typer.Option(..., "--out", "-o", help="folder for the files and manifest.json"),
        formats: list[str] | None = typer.Option(
            None,
            "--format",
            "-f",
            help="jsonl, acled, plover, ftm, gexf, graphml, parquet (repeatable; default all)",
        ),
        db: str | None = db_opt,
        from_jsonl: list[Path] | None = jsonl_opt,
        actor: str | None = typer.Option(None),
        type_: str | None = typer.Option(None, "--type"),
        start: str | None = typer.Option(None, "--from"),
        end: str | None = typer.Option(None, "--to"),
        place: str | None = typer.Option(None),
        embargo: str | None = typer.Option(None, "--embargo-status"),
        regime: str | None = typer.Option(None, "--regime"),
        min_sources: int = typer.Option(0, "--min-sources"),
        window: int = window_opt,
    ) -> None:
        """Export clusters and documents with a manifest (version, query, time, counts)."""
        from .exports import FORMATS, write_export

        fmts = formats or list(FORMATS)
        bad = [f for f in fmts if f not in FORMATS]
        if bad:
            _bad(f"--format: unknown {', '.join(bad)}; one of {', '.join(FORMATS)}")
        query = {
            k: v
            for k, v in dict(
                actor=actor,
                type=type_,
                start=start,
                end=end,
                place=place,
                embargo_status=embargo,
                regime=regime,
                min_sources=min_sources or None,
                window=window,
            ).items()
            if v is not None
        }
        filtered = (
            any(v is not None for v in (actor, type_, start, end, place, embargo, regime)) or min_sources
        )
        if not from_jsonl:
            _filter(None, None, None, start, end, None, embargo, None, 0)  # check the arguments only
            corpus = _stored_corpus(db, filtered, dict(actor=actor, type=type_, date_from=start, date_to=end,
                                                       place=place, embargo_status=embargo, regime=regime,
                                                       min_sources=min_sources))
            filtered = False  # the corpus holds the chosen clusters and their documents only
        else:
            corpus = _corpus(db, from_jsonl, window)
        chosen = (
            _filter(corpus, actor, type_, start, end, place, embargo, regime, min_sources)
            if filtered
            else None
        )
        try:
            man = write_export(corpus, out, fmts, clusters=chosen, query=query)
        except ValueError as exc:
            from khaldun.safety import say

            say(err, "[red]error:[/red]", exc)
            raise typer.Exit(1) from exc
        for f in man["files"]:
            err.print(f"{out / f['name']}: {f['rows']} row(s)")
        err.print(f"{out / 'manifest.json'}")
