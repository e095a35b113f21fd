"""The workbench in a real browser: Playwright (sync API) driving Debian's Chromium (/usr/bin/chromium).

One uvicorn server (a thread, a free 127.0.0.1 port) over an SQLite store of the test corpus and one
hostile article, one browser for every test of the module. Skipped only when Chromium is absent
outside CI (.ci/run installs it; with CI set the tests must run). With KHALDUN_SCREENSHOTS=DIR the
main pages are saved there as PNG (docs/screenshots was made so).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import analyzed, fill, hostile_document

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("no /usr/bin/chromium (apt-get install chromium); the browser tests run in CI", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from khaldun.serve.app import create_app
    from khaldun.serve.bench import ServerThread

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'k.db'}"
    fill(url, analyzed())
    app = create_app(url)
    app.state.data.warm()
    with ServerThread(app) as srv:
        yield srv.url
    app.state.data.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    pg = ctx.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()


def shot(page: Any, name: str, full: bool = False) -> None:
    out = os.environ.get("KHALDUN_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=full)


def count(page: Any) -> int:
    return int(re.match(r"\d+", page.locator("#count").inner_text()).group())


def test_filter_open_card_follow_evidence(page: Any) -> None:
    page.goto("/")
    total = count(page)
    assert total > 20
    shot(page, "claims")
    page.select_option("select[name=type]", "AID")
    page.fill("input[name=actor]", "ARE")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"type=AID"))
    filtered = count(page)
    assert 0 < filtered < total
    types = page.locator(".card .type").all_inner_texts()
    assert types and set(types) == {"AID"}
    assert all("United Arab Emirates" in t for t in page.locator(".card .who").all_inner_texts())
    page.fill("input[name=q]", "pantsir")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"q=pantsir"))
    assert 0 < count(page) <= filtered
    evidence = page.locator(".card blockquote.evidence").first.inner_text()
    page.locator(".card a.open").first.click()
    page.wait_for_url(re.compile(r"/claims/[0-9a-f]+$"))
    claim_id = page.url.rsplit("/", 1)[1]
    assert page.locator(f"#claim-{claim_id} blockquote.evidence").inner_text() == evidence
    page.locator("a.evidence-link").first.click()
    page.wait_for_url(re.compile(rf"/documents/[0-9a-f]+#ev-{claim_id}$"))
    page.wait_for_selector("mark.ev.focus")
    focused = " ".join(page.locator("mark.ev.focus").all_inner_texts())
    assert focused.split() == evidence.split()
    assert page.locator(f"#claim-{claim_id}.focus").count() == 1, "the claim's card in the side list is marked"
    assert page.locator("aside .card").count() >= 1
    shot(page, "article")
    assert not page.dialogs and not page.errors


def test_cluster_page(page: Any) -> None:
    page.goto("/clusters?type=AID&min_sources=2")
    assert count(page) > 0
    shot(page, "clusters")
    page.locator("a.cluster-link").first.click()
    page.wait_for_url(re.compile(r"/clusters/cl-"))
    independent = int(page.locator("#independent").inner_text())
    assert independent >= 2
    supporting = page.locator("ol.sources li.supports").count()
    assert supporting == independent
    rows = page.locator("#reports tbody tr")
    assert rows.count() >= independent
    relation = " ".join(page.locator("#reports .badge").all_inner_texts())
    assert "copy of" in relation or "relay" in relation
    shot(page, "cluster")
    page.locator("#reports tbody a").first.click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]+#ev-"))
    page.wait_for_selector("mark.ev.focus")
    assert not page.dialogs and not page.errors


def _column(page: Any, index: int) -> list[int]:
    return [int(x) for x in page.locator(f"#dossier-table tbody tr:not(.hidden) td:nth-child({index})").all_inner_texts()]


def test_dossier_sorts_and_filters(page: Any) -> None:
    page.goto("/dossiers")
    page.click("a[href='/dossiers/libya']")
    page.wait_for_url(re.compile(r"/dossiers/libya$"))
    n = page.locator("#dossier-table tbody tr").count()
    assert n >= 2
    heads = page.locator("#dossier-table thead th")
    reports_col = [h.strip() for h in heads.all_inner_texts()].index("reports") + 1
    page.locator("#dossier-table thead th", has_text="reports").locator("button").click()
    up = _column(page, reports_col)
    assert up == sorted(up)
    page.locator("#dossier-table thead th", has_text="reports").locator("button").click()
    down = _column(page, reports_col)
    assert down == sorted(up, reverse=True)
    assert page.locator("#dossier-table thead th", has_text="reports").get_attribute("aria-sort") == "descending"
    shot(page, "dossier")
    page.fill("#row-filter", "potential violation")
    visible = page.locator("#dossier-table tbody tr:not(.hidden)")
    assert 0 < visible.count() <= n
    assert all("potential violation" in t for t in visible.all_inner_texts())
    page.fill("#row-filter", "no-such-row-text")
    assert page.locator("#dossier-table tbody tr:not(.hidden)").count() == 0
    page.fill("#row-filter", "")
    page.locator("#dossier-table a.cluster-link").first.click()
    page.wait_for_url(re.compile(r"/clusters/cl-"))
    assert not page.dialogs and not page.errors


def test_hostile_article_renders_inert(page: Any) -> None:
    doc = hostile_document()
    page.goto(f"/documents/{doc.id}")
    page.wait_for_selector("body[data-ready='1']")
    title = page.title()
    text = page.locator("#article-text").inner_text()
    assert '<script>alert("xss-script")</script>' in text
    assert "<img src=x onerror=\"alert('xss-img')\">" in text
    assert page.locator("#article-text script, #article-text img, main img").count() == 0
    assert '<script>alert("xss-title")</script>' in page.locator("#article-title").inner_text()
    assert page.locator("a[href^='javascript']").count() == 0
    assert "xss" not in title.lower() or "<script>" in title
    page.goto("/?q=xss-script")
    assert page.locator(".card").count() >= 1
    assert '<script>alert("xss-script")</script>' in page.locator(".card blockquote.evidence").first.inner_text()
    page.wait_for_timeout(300)
    assert page.dialogs == [], "no script of the article ran"
    assert page.evaluate("() => document.querySelectorAll('script:not([src])').length") == 0


def test_charts(page: Any) -> None:
    page.goto("/timeline")
    assert page.locator("svg.timeline circle.dot").count() > 10
    shot(page, "timeline")
    page.locator("svg.timeline a").first.click()
    page.wait_for_url(re.compile(r"/claims/"))
    page.goto("/map")
    assert page.locator("svg.map path.country").count() > 150
    assert page.locator("svg.map path.country.shade-4").count() >= 1
    assert page.locator("svg.map circle.place").count() >= 3
    shot(page, "map")
    page.goto("/network")
    assert page.locator("svg.network line.edge.supplies").count() >= 2
    assert page.locator("svg.network circle.node").count() >= 4
    shot(page, "network")
    page.locator("svg.network a").first.click()
    page.wait_for_url(re.compile(r"/\?actor="))
    assert count(page) > 0
    assert not page.dialogs and not page.errors
