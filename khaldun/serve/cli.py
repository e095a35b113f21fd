"""`khaldun serve`: the workbench (API and web UI) over a store. `register(app)` adds the command.

FastAPI and uvicorn are imported when the command runs, not when the command line starts.
"""

from __future__ import annotations

import ipaddress

import typer
from rich.console import Console

err = Console(stderr=True)

__all__ = ["register"]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    """Add `serve` to the khaldun command line."""

    @app.command("serve")
    def serve_cmd(
        db: str | None = typer.Option(None, "--db", help="store URL (a file path for SQLite, or postgresql://...)"),
        host: str = typer.Option("127.0.0.1", "--host", help="address to bind (this machine only by default)"),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    ) -> None:
        """The analyst's workbench: REST API (/api/v1, OpenAPI at /openapi.json) and web UI (/).

        Writes (POST /api/v1/documents) need KHALDUN_API_TOKEN (or api_token in the config file) and
        a matching `Authorization: Bearer` header; without a token the server is read-only."""
        from khaldun.store import StoreError

        try:
            from .app import api_token, create_app

            application = create_app(db)
        except StoreError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        import threading

        import uvicorn

        # build the clusters while the server starts, so the first page does not wait for them
        threading.Thread(target=application.state.data.warm, daemon=True).start()

        if not _loopback(host):
            err.print(f"[yellow]warning:[/yellow] binding {host}: the workbench is reachable from other machines")
        writes = "writes need the bearer token" if api_token() else "read-only (no KHALDUN_API_TOKEN)"
        err.print(f"khaldun serve: {application.state.data.store.url} on http://{host}:{port}/ ({writes})", soft_wrap=True)
        try:
            uvicorn.run(application, host=host, port=port, log_level="warning", h11_max_incomplete_event_size=65536)
        except OSError as exc:
            err.print(f"[red]error:[/red] cannot listen on {host}:{port}: {exc.strerror or exc}")
            raise typer.Exit(1) from exc
