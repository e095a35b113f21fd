"""The workbench's REST API (khaldun.serve) with FastAPI's TestClient, on SQLite and on PostgreSQL.

The store holds the fictional test corpus (tests/corpus) and one hostile article (tests/serve_support.py).
PostgreSQL runs when KHALDUN_TEST_PG_URL is set (.ci/run sets it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serve_support import PG_URL, analyzed, fill, hostile_document, store_url

from khaldun.serve.api import MAX_ARTICLES, MAX_BODY
from khaldun.serve.app import CSP, MAX_QUERY, create_app

TOKEN = "test-token-0123456789"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("KHALDUN_TEST_PG_URL is not set (a PostgreSQL server for the store tests)")
    with store_url(request.param, tmp_path_factory.mktemp("serve")) as url:
        fill(url, analyzed())
        app = create_app(url)
        with TestClient(app) as c:
            yield c
        app.state.data.close()


def claims(client: TestClient, **params: object) -> dict:
    r = client.get("/api/v1/claims", params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"items", "total"}
    return body


def test_claims_list_and_filters(client: TestClient) -> None:
    every = claims(client)
    n = sum(len(d.claims) for d in analyzed())
    assert every["total"] == n == len(every["items"])
    item = every["items"][0]
    assert {"id", "event", "actors", "recipients", "evidence", "document"} <= set(item)
    aid = claims(client, type="aid")
    assert 0 < aid["total"] < n and all(c["event"]["type"] == "AID" for c in aid["items"])
    uae = claims(client, actor="ARE")
    assert uae["total"] > 0
    assert all(any(a.get("country") == "ARE" or a.get("id") == "ARE" for a in c["actors"] + c["recipients"]
                   + c["funders"]) for c in uae["items"])
    may = claims(client, **{"from": "2020-05-01", "to": "2020-05-31"})
    assert may["total"] > 0 and all("2020-05-01" <= c["when"]["date"] <= "2020-05-31" for c in may["items"])
    viol = claims(client, embargo_status="potential_violation")
    assert viol["total"] > 0
    assert all(any(f["status"] == "potential_violation" for f in c["embargo"]) for c in viol["items"])
    assert claims(client, embargo_status="none")["total"] + claims(client, embargo_status="any")["total"] == n
    libya = claims(client, place="LBY")
    assert libya["total"] > 0 and all(c["location"]["country"] == "LBY" for c in libya["items"])
    by_name = claims(client, place="tripoli")
    assert by_name["total"] > 0
    assert all("tripoli" in (c["location"]["name"] or c["location"]["text"]).lower() for c in by_name["items"])
    q = claims(client, q="PANTSIR")
    assert q["total"] > 0 and all("pantsir" in json.dumps(c).lower() for c in q["items"])
    spoken = [c for c in every["items"] if c["attribution"]["speaker"] and c["attribution"]["speaker"].get("name")]
    name = spoken[0]["attribution"]["speaker"]["name"]
    by_speaker = claims(client, speaker=name.split()[-1])
    assert by_speaker["total"] > 0
    assert all(name.split()[-1].lower() in (c["attribution"]["speaker"]["name"] or "").lower()
               for c in by_speaker["items"])
    assert claims(client, type="AID", actor="ARE")["total"] <= min(aid["total"], uae["total"])


def test_blank_form_fields_are_no_filter(client: TestClient) -> None:
    blank = {"q": "", "actor": "", "type": "", "from": "", "to": "", "place": "", "embargo_status": "", "speaker": ""}
    assert claims(client, **blank)["total"] == claims(client)["total"]
    r = client.get("/api/v1/clusters", params={**blank, "min_sources": ""})
    assert r.status_code == 200 and r.json()["total"] == client.get("/api/v1/clusters").json()["total"]
    assert client.get("/", params=blank).status_code == 200
    assert client.get("/clusters", params={**blank, "min_sources": ""}).status_code == 200
    assert client.get("/dossiers/libya", params={"from": "", "to": ""}).status_code == 200


def test_claims_pages_partition_the_result(client: TestClient) -> None:
    total = claims(client)["total"]
    seen = []
    for offset in range(0, total, 7):
        page = client.get("/api/v1/claims", params={"limit": 7, "offset": offset}).json()
        assert page["total"] == total
        seen += [(c["document"]["id"], c["id"]) for c in page["items"]]
    assert len(seen) == total == len(set(seen))


def test_one_claim_document_cluster(client: TestClient) -> None:
    item = claims(client, type="AID", embargo_status="potential_violation")["items"][0]
    got = client.get(f"/api/v1/claims/{item['id']}").json()
    assert got["id"] == item["id"] and got["evidence"] == item["evidence"]
    doc = client.get(f"/api/v1/documents/{item['document']['id']}").json()
    assert item["id"] in [c["id"] for c in doc["claims"]]
    ev = got["evidence"]
    assert doc["text"][ev["start"]:ev["end"]] == ev["text"]
    assert doc["appearances"] and doc["appearances"][0]["outlet"] == item["document"]["outlet"]
    assert got["cluster"], "a stored claim belongs to a cluster"
    cl = client.get(f"/api/v1/clusters/{got['cluster']}").json()
    assert item["id"] in cl["claims"] and cl["reports"] >= 1
    for path in ("/api/v1/claims/nope", "/api/v1/documents/nope", "/api/v1/clusters/nope"):
        r = client.get(path)
        assert r.status_code == 404 and "nope" in r.json()["detail"]


def test_clusters_filters_and_min_sources(client: TestClient) -> None:
    r = client.get("/api/v1/clusters", params={"limit": 500}).json()
    assert r["total"] == len(r["items"]) > 0
    multi = client.get("/api/v1/clusters", params={"limit": 500, "min_sources": 2}).json()
    assert 0 < multi["total"] < r["total"]
    assert all(c["independent_sources"] >= 2 for c in multi["items"])
    aid = client.get("/api/v1/clusters", params={"type": "AID", "actor": "ARE", "limit": 500}).json()
    assert aid["total"] > 0 and all(c["family"] == "AID" for c in aid["items"])
    contested = [c for c in aid["items"] if c["contradictions"]]
    assert contested, "the corpus has a denial of a UAE transfer"
    q = client.get("/api/v1/clusters", params={"q": "pantsir"}).json()
    assert q["total"] > 0


def test_dossier(client: TestClient) -> None:
    d = client.get("/api/v1/dossiers/libya").json()
    assert d["regime_id"] == "libya" and d["counts"]["entries"] == len(d["entries"]) > 0
    assert all(e["cluster"]["family"] == "AID" for e in d["entries"])
    early = client.get("/api/v1/dossiers/libya", params={"to": "2019-12-31"}).json()
    assert early["counts"]["entries"] < d["counts"]["entries"]
    r = client.get("/api/v1/dossiers/atlantis")
    assert r.status_code == 404 and "libya" in r.json()["detail"]


def test_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for p in ("/api/v1/claims", "/api/v1/claims/{claim_id}", "/api/v1/clusters", "/api/v1/clusters/{cluster_id}",
              "/api/v1/documents/{document_id}", "/api/v1/dossiers/{regime}", "/api/v1/documents"):
        assert p in spec["paths"], p
    assert "post" in spec["paths"]["/api/v1/documents"]
    assert "text" in spec["components"]["schemas"]["Article"]["properties"]
    names = {p["name"] for p in spec["paths"]["/api/v1/claims"]["get"]["parameters"]}
    assert {"actor", "type", "from", "to", "place", "embargo_status", "speaker", "q", "limit", "offset"} <= names


@pytest.mark.parametrize("params", [
    {"type": "BOMB"}, {"from": "2020-13-01"}, {"to": "yesterday"}, {"limit": 0}, {"limit": 100000},
    {"offset": -1}, {"embargo_status": "maybe"}, {"q": "x" * 201}, {"from": "2021-01-01", "to": "2020-01-01"},
    {"min_sources": "two"}, {"min_sources": "-1"},
])
def test_bad_queries_are_4xx_with_a_message(client: TestClient, params: dict) -> None:
    for path in ("/api/v1/claims", "/api/v1/clusters"):
        if "min_sources" in params and path == "/api/v1/claims":
            continue
        r = client.get(path, params=params)
        assert r.status_code == 422, (path, params, r.status_code)
        assert r.json()["detail"] and isinstance(r.json()["detail"], str)
    if "limit" in params:
        return  # the pages have a fixed page size
    page = client.get("/clusters" if "min_sources" in params else "/", params=params)
    assert page.status_code == 422 and "Bad request" in page.text and page.headers["content-type"].startswith("text/html")


def test_query_too_long(client: TestClient) -> None:
    r = client.get("/api/v1/claims?q=" + "a" * (MAX_QUERY + 10))
    assert r.status_code == 414 and "too long" in r.text


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/v1/claims", "/map", "/static/app.js"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
        assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_escape_article_text(client: TestClient) -> None:
    doc = hostile_document()
    html = client.get(f"/documents/{doc.id}").text
    assert "<script>alert" not in html and "onerror=\"alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;xss-script&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert "javascript:" not in html, "a javascript: URL never becomes a link"
    listing = client.get("/", params={"q": "xss-script"}).text
    assert "<script>alert" not in listing and "&lt;script&gt;" in listing
    assert "<script" not in html.replace('<script src="/static/app.js" defer></script>', "")


def test_pages_render(client: TestClient) -> None:
    first = claims(client, type="AID", embargo_status="potential_violation")["items"][0]
    for path in ("/", "/?type=AID&actor=ARE", "/clusters", "/clusters?min_sources=2", f"/clusters/{first['cluster']}",
                 "/dossiers", "/dossiers/libya", "/timeline", "/map", "/network", f"/claims/{first['id']}",
                 f"/documents/{first['document']['id']}"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
    net = client.get("/network").text
    assert "supplies" in net and "United Arab Emirates" in net
    m = client.get("/map").text
    assert m.count("<path class=\"country") > 150 and "Tripoli" in m
    assert client.get("/clusters/nope").status_code == 404
    assert client.get("/dossiers/atlantis").status_code == 404


# --------------------------------------------------------------------------- writes


def test_writes_refused_without_a_configured_token(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.delenv("KHALDUN_API_TOKEN", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    r = client.post("/api/v1/documents", json={"text": "Turkey sent drones."},
                    headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and "KHALDUN_API_TOKEN" in r.json()["detail"]


def test_writes_token_from_the_config_file(client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KHALDUN_API_TOKEN", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "khaldun").mkdir()
    (tmp_path / "khaldun" / "config.toml").write_text('api_token = "from-config"\n', encoding="utf-8")
    r = client.post("/api/v1/documents", content=b"[", headers={"Authorization": "Bearer from-config"})
    assert r.status_code == 400  # authorized, then the body is refused
    assert client.post("/api/v1/documents", content=b"[", headers={"Authorization": "Bearer other"}).status_code == 401


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": TOKEN}])
def test_writes_wrong_token(client: TestClient, monkeypatch: pytest.MonkeyPatch, headers: dict) -> None:
    monkeypatch.setenv("KHALDUN_API_TOKEN", TOKEN)
    r = client.post("/api/v1/documents", json={"text": "Turkey sent drones."}, headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("body", "status", "says"), [
    (b"{not json", 400, "not JSON"),
    (b"\xff\xfe", 400, "not JSON"),
    (b"[]", 400, "no article"),
    (json.dumps([{"text": "a"}] * (MAX_ARTICLES + 1)).encode(), 400, "too many"),
    (b'{"title": "no text"}', 422, "text"),
    (b'{"text": ""}', 422, "text"),
    (b'{"text": "ok", "colour": "red"}', 422, "colour"),
    (b'{"text": 5}', 422, "text"),
    (b'"just a string"', 422, "article"),
    (b"x" * (MAX_BODY + 1), 413, "too large"),
])
def test_writes_bad_bodies(client: TestClient, monkeypatch: pytest.MonkeyPatch, body: bytes, status: int,
                           says: str) -> None:
    monkeypatch.setenv("KHALDUN_API_TOKEN", TOKEN)
    r = client.post("/api/v1/documents", content=body,
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert says in r.json()["detail"]


def test_write_analyzes_and_stores(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHALDUN_API_TOKEN", TOKEN)
    before = claims(client)["total"]
    art = {"text": "Ruritanian officials said Egypt delivered ten armoured vehicles to the Libyan National Army "
                   "in Benghazi on Sunday.", "title": "Armour for Benghazi", "outlet": "Test Desk",
           "published": "2020-08-04", "url": "https://test-desk.example/armour"}
    r = client.post("/api/v1/documents", json=[art], headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["added"] == 1 and out["documents"][0]["claims"] >= 1
    doc_id = out["documents"][0]["id"]
    doc = client.get(f"/api/v1/documents/{doc_id}").json()
    assert doc["source"]["outlet"] == "Test Desk" and doc["claims"]
    assert claims(client)["total"] == before + len(doc["claims"])
    egy = claims(client, actor="EGY", type="AID")["items"]
    assert any(c["document"]["id"] == doc_id for c in egy)
    assert any(doc["claims"][0]["id"] in c["claims"] for c in client.get("/api/v1/clusters?limit=500").json()["items"])
    again = client.post("/api/v1/documents", json=art, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert again["added"] == 0 and again["skipped"] == 1


def test_reads_never_load_spacy(tmp_path: Path) -> None:
    """The pipeline (spaCy) loads on the first write only: a read-only server starts fast and small."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    fill(url, analyzed()[:6])
    code = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from khaldun.serve.app import create_app\n"
        f"c = TestClient(create_app({url!r}))\n"
        "for p in ('/', '/api/v1/claims', '/api/v1/clusters', '/clusters', '/map', '/network', '/timeline',"
        " '/dossiers/libya'):\n"
        "    assert c.get(p).status_code == 200, p\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc') or m == 'khaldun.pipeline'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- robustness


def test_nul_in_path_or_query_is_400(client: TestClient) -> None:
    for path in ("/api/v1/claims?actor=%00x", "/api/v1/claims?q=a%00", "/api/v1/claims/%00", "/?q=%00"):
        r = client.get(path)
        assert r.status_code == 400 and "NUL" in r.text, path


_FILTER_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["actor", "type", "from", "to", "place", "embargo_status", "speaker", "q", "min_sources",
                             "limit", "offset"]), value=_FILTER_TEXT,
       path=st.sampled_from(["/api/v1/claims", "/api/v1/clusters", "/", "/clusters", "/timeline", "/network"]))
def test_any_filter_value_is_answered_without_a_server_error(client: TestClient, name: str, value: str,
                                                             path: str) -> None:
    r = client.get(path, params={name: value})
    assert r.status_code in (200, 422), (path, name, value, r.status_code, r.text[:200])
    if r.status_code == 422:
        msg = r.json()["detail"] if path.startswith("/api/") else r.text
        assert msg


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ident=_FILTER_TEXT.filter(lambda s: "/" not in s and s.strip(".") != ""))
def test_any_id_is_found_or_404(client: TestClient, ident: str) -> None:
    for kind in ("claims", "clusters", "documents", "dossiers"):
        r = client.get(f"/api/v1/{kind}/{quote(ident, safe='')}")
        assert r.status_code in (200, 404), (kind, ident, r.status_code)


def test_serve_command_reports_an_unusable_store(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khaldun.cli import app

    res = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "no" / "such" / "dir" / "k.db")])
    assert res.exit_code == 2
    assert "no directory" in res.output and "Traceback" not in res.output
    assert "--port" in CliRunner().invoke(app, ["serve", "--help"]).output


def test_bench_serve_reports_p95(tmp_path: Path) -> None:
    from khaldun.serve.bench import run_serve_bench

    out = run_serve_bench(stored=12, written=6, readers=2, rounds=3, directory=tmp_path)
    assert "p95 ms" in out and ", 0 error(s)" in out
    summary = json.loads(out.splitlines()[-1])
    assert summary["errors"] == 0 and summary["requests"] >= 6 and summary["all"] > 0
