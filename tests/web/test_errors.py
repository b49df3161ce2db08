"""The app's one error handler (web/errors.py): hostile values in every parameter of every route never
give a 500; `.json` URLs answer errors as JSON with a 4xx and a plain message, `/sparql` as plain
text, pages as HTML.

The routes come from `app.url_map`, so a new route is fuzzed as soon as it exists; the parameters each
route reads are declared in READS below and checked against what the views actually read (a recording
request class), so a new parameter is fuzzed too, or the test says which one is missing."""
from __future__ import annotations

import re
from contextvars import ContextVar
from urllib.parse import quote

import pytest
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from graph.questions.library import load_library

PAGE = "doc/koebenhavn/integrationshandleplan-2019-22"
QUESTION = "plans-expiring-without-successor"      # has a year and an iri parameter
HOSTILE = ["<x", ">", '"', "{", "a b", "x" * 5000, "a\x00b", "xx", "-1", "99999999999999999999", "２０２１",
           "٢٠٢١", "<http://example.org/x>", "javascript:alert(1)", "http://a b", "0"]
RAW_HOSTILE = ["%FF%FE", "%C3%28", "%00", "%E2%82"]   # invalid UTF-8 (and NUL) as they arrive on the wire
NETWORK = ["focus", "municipality", "administration", "committee", "theme", "target_group", "hops", "year", "cap",
           "doctype", "view", "findings", "workshops", "edges"]
SPARQL = ["query", "update", "format", "default-graph-uri", "named-graph-uri", "using-graph-uri",
          "using-named-graph-uri"]
QUESTION_PARAMS = sorted({p.name for q in load_library().values() for p in q.parameters} | {"explain", "workshops"})
SEARCH = ["q", "type", "municipality", "document", "period", "page"]
REPORT_SCOPE = ["municipality", "committee", "plan"]
EVERYWHERE = ["lang", "format"]   # the language (every page) and format=json (the error handler)
# endpoint -> the request parameters it reads besides EVERYWHERE
READS: dict[str, list[str]] = {
    "home.index": [], "home.index_json": [],
    "sparql.endpoint": SPARQL, "sparql.preflight": [],
    "workbench.editor": ["query", "example"],
    "questions.index": [], "questions.index_json": [],
    "questions.detail": QUESTION_PARAMS + ["page"], "questions.detail_json": QUESTION_PARAMS + ["page"],
    "questions.detail_csv": QUESTION_PARAMS,
    "resources.by_path": ["format"], "resources.by_iri": ["iri", "format"],
    "network.view": NETWORK, "network.view_json": NETWORK, "network.standalone": NETWORK,
    "network.svg": NETWORK,
    "charts.matrix": ["municipality", "measure", "workshops"], "charts.matrix_json": ["municipality", "measure", "workshops"],
    "charts.timeline": ["municipality"], "charts.timeline_json": ["municipality"],
    "workshop.index": ["code"], "workshop.index_json": ["code"], "workshop.new": ["seed", "municipality"],
    "workshop.join": ["code"], "workshop.room": [], "workshop.facilitate": [], "workshop.projector": [],
    "workshop.projector_json": [], "workshop.panel": [], "workshop.qr": [], "workshop.act": [],
    "workshop.stream": ["since"], "workshop.record": [], "workshop.record_json": [], "workshop.record_pdf": [],
    "workshop.letters": [], "workshop.letters_json": [], "workshop.letters_pdf": [], "workshop.scores": [],
    "workshop.scores_json": [], "workshop.scores_csv": [], "workshop.votes": [], "workshop.votes_json": [],
    "workshop.votes_csv": [], "workshop.results_xlsx": [], "workshop.briefing_pdf": ["body"], "workshop.briefing_html": ["body"], "workshop.history": ["since", "limit"], "workshop.history_json": ["since", "limit"],
    "search.results": SEARCH, "search.results_json": SEARCH,
    "report.page": REPORT_SCOPE, "report.page_json": REPORT_SCOPE, "report.page_pdf": REPORT_SCOPE,
    "importing.upload": [], "importing.review": [], "importing.review_json": [], "importing.edit": [],
    "importing.save": [],
    "static": [],
}
PATH_VALUES = {"path": PAGE, "qid": QUESTION, "filename": "policygraph.css", "workshop_id": "ffffffffffffffff",
               "draft_id": "0123456789abcdef0123456789abcdef",
               "role": "projector"}
_read: ContextVar[set[str] | None] = ContextVar("read", default=None)


class RecordingArgs(ImmutableMultiDict):
    """Request arguments that remember which names a view asked for."""

    def _note(self, key):
        seen = _read.get()
        if seen is not None and isinstance(key, str):
            seen.add(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self._note(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


@pytest.fixture(scope="module")
def fuzz_client(example_store):
    from web import create_app

    app = create_app({"STORE": example_store, "TESTING": True, "QUERY_TIMEOUT": 20})
    app.request_class = RecordingRequest
    return app


def _routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, path with sensible path values) for every rule of the app."""
    out = []
    for rule in app.url_map.iter_rules():
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD"})[0]
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: PATH_VALUES[m.group(1)], rule.rule)
        out.append((rule.endpoint, method, path))
    return out


def _check(response, endpoint: str, url: str) -> None:
    where = f"{endpoint} {url[:120]!r}"
    assert response.status_code < 500 or response.status_code == 503, f"{where}: HTTP {response.status_code}"
    path = url.split("?", 1)[0]
    if path.endswith(".json"):
        assert response.mimetype == "application/json", f"{where}: {response.mimetype}"
        if response.status_code >= 400:
            assert 400 <= response.status_code < 500, where
            message = response.get_json()["error"]
            assert isinstance(message, str) and message and not re.search(r"<(html|!doctype|body|p|h1)\b", message, re.I), \
                f"{where}: {message!r}"
    elif path == "/sparql" and response.status_code >= 400:
        assert response.mimetype == "text/plain", f"{where}: {response.mimetype}"
    elif response.status_code >= 400 and not path.endswith(".csv"):
        assert response.mimetype in ("text/html", "application/json"), f"{where}: {response.mimetype}"


def test_every_route_is_declared_with_the_parameters_it_reads(fuzz_client):
    endpoints = {endpoint for endpoint, _m, _p in _routes(fuzz_client)}
    assert endpoints == set(READS), f"routes not declared here: {endpoints - set(READS)}"


def test_hostile_values_in_any_parameter_never_give_a_500(fuzz_client):
    client = fuzz_client.test_client()
    read: set[tuple[str, str]] = set()
    failures: list[str] = []
    for endpoint, method, path in _routes(fuzz_client):
        if endpoint == "static":
            continue
        for name in READS[endpoint] + EVERYWHERE:
            values = [quote(v, safe="") for v in HOSTILE] + RAW_HOSTILE
            for value in values:
                url = f"{path}?{quote(name)}={value}"
                seen: set[str] = set()
                token = _read.set(seen)
                try:  # TESTING propagates a view's exception: list them all, not only the first
                    _check(client.open(url, method=method), endpoint, url)
                except Exception as error:  # noqa: BLE001 - the test reports every failure
                    failures.append(f"{endpoint} {url[:100]!r}: {type(error).__name__}: {str(error)[:200]}")
                finally:
                    _read.reset(token)
                read |= {(endpoint, n) for n in seen}
    assert not failures, f"{len(failures)} failing requests:\n" + "\n".join(failures[:60])
    undeclared = {(e, n) for e, n in read if n not in READS[e] + EVERYWHERE}
    assert not undeclared, f"views read parameters this test does not fuzz: {sorted(undeclared)}"


@pytest.mark.parametrize("path", [f"/id/{quote('<x')}", f"/id/{quote('<x')}.json", "/id/a%00b.json",
                                  "/id/%FF%FE", f"/id/{'x' * 5000}.json", f"/questions/{quote('<x')}",
                                  f"/questions/{quote('<x')}.json", "/questions/%FF.csv",
                                  f"/id/{PAGE}/{quote('a b')}.json", "/no/such/page", "/no/such/page.json"])
def test_hostile_paths_never_give_a_500(fuzz_client, path):
    _check(fuzz_client.test_client().get(path), "path", path)


def test_sparql_post_with_hostile_form_values_answers_plain_text(fuzz_client):
    client = fuzz_client.test_client()
    for value in HOSTILE:
        response = client.post("/sparql", data={"query": value})
        assert response.status_code < 500 or response.status_code == 503, value[:40]
        if response.status_code >= 400:
            assert response.mimetype == "text/plain"
    bad_body = client.post("/sparql", data=b"\xff\xfe", content_type="application/sparql-query")
    assert bad_body.status_code == 400 and bad_body.mimetype == "text/plain"


def test_unexpected_error_is_one_plain_sentence_in_the_shape_of_the_url(example_store, caplog):
    """A bug in a view (here: a store that breaks) is logged with its traceback and answered as a 500
    in the URL's shape: JSON for .json twins, plain text for /sparql, an HTML page otherwise."""
    from web import create_app

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("the disk caught fire")

    client = create_app({"STORE": Broken()}).test_client()
    page = client.get("/")
    assert page.status_code == 500 and page.mimetype == "text/html" and "fire" not in page.get_data(as_text=True)
    twin = client.get("/index.json")
    assert twin.status_code == 500 and twin.mimetype == "application/json"
    assert "fire" not in twin.get_json()["error"]
    assert "Traceback" in caplog.text or "the disk caught fire" in caplog.text


def test_not_found_json_twin_is_json(example_client):
    response = example_client.get("/questions/no-such-question.json")
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.get_json()["error"] and "no-such-question" in response.get_json()["detail"]
    page = example_client.get("/questions/no-such-question")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_a_bug_in_a_chart_is_logged_and_answered_with_one_sentence(example_app, monkeypatch, caplog):
    """The matrix no longer catches every exception: a bug reaches the one handler, which logs its
    traceback and tells the person one plain sentence in the URL's shape."""
    import graph.explore.network as nv

    def buggy(*args, **kwargs):
        return {}["no such column"]
    monkeypatch.setattr("graph.questions.kept.run_named", buggy)
    nv.clear_findings_cache()
    client = example_app.test_client()
    municipality = "https://w3id.org/policygraph/id/org/koebenhavn"
    twin = client.get("/matrix.json", query_string={"municipality": municipality, "lang": "en"})
    page = client.get("/matrix", query_string={"municipality": municipality, "lang": "en"})
    nv.clear_findings_cache()
    assert twin.status_code == 500 and "no such column" not in twin.get_data(as_text=True)
    assert twin.get_json()["error"] and page.status_code == 500 and page.mimetype == "text/html"
    assert "no such column" not in page.get_data(as_text=True)
    logged = [r for r in caplog.records if r.name == "web.errors"]
    assert logged and logged[0].exc_info[0] is KeyError and "GET /matrix.json" in logged[0].getMessage()


def test_a_remote_engine_at_its_time_limit_is_the_usual_took_too_long(example_store):
    """A StoreTimeout (Virtuoso's MaxQueryExecutionTime, a read that timed out) is the 503 a page
    answers when its own deadline passes, in the URL's shape, not a 500."""
    from graph.store import StoreTimeout
    from web import create_app

    class AtItsLimit:
        allow_federation = False

        def __getattr__(self, name):
            raise StoreTimeout("the engine stopped the query at its time limit")

    client = create_app({"STORE": AtItsLimit(), "WARM_ANSWERS": False, "QUERY_WORKERS": 0}).test_client()
    page = client.get("/")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "took longer" in page.get_data(as_text=True)
    twin = client.get("/index.json")
    assert twin.status_code == 503 and twin.get_json()["code"] == "timeout"
