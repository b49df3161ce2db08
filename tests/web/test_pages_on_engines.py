"""The pages show the same over a remote engine as over the embedded store: the web app made by
create_app from POLICYGRAPH_ENDPOINT (as `policygraph serve` on a remote engine runs it) over
Virtuoso 7.2 and over `oxigraph serve`, both loaded with the example graph (tests/conftest.py),
against the app over the embedded example store. Compared through each page's `.json` twin (the
page and its twin share one context): the front page, every question page (national and for
Copenhagen), /network, /matrix and a resource page; each HTML page answers as the embedded one does.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from graph.questions.library import library

ENGINES = ("virtuoso_example", "oxigraph_example")
VOLATILE = {"elapsed", "kept"}   # how long it took and whether it was kept: not what the page shows


def _pages() -> list[str]:
    pages = ["/", "/network", "/matrix", "/matrix?municipality=org/koebenhavn", "/id/org/koebenhavn",
             "/id/doc/koebenhavn/integrationshandleplan-2019-22"]
    for qid, named in sorted(library().items()):
        names = {p.name for p in named.parameters}
        if not named.needs_input():
            pages.append(f"/questions/{qid}")
        if "municipality" in names:
            pages.append(f"/questions/{qid}?municipality=org/koebenhavn")
    return pages


PAGES = _pages()


def twin(path: str) -> str:
    base, _, query = path.partition("?")
    base = "/index" if base == "/" else base
    return f"{base}.json" + (f"?{query}" if query else "")


def shown(value: Any) -> Any:
    """The JSON without what is no part of the answer (timings)."""
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [shown(v) for v in value]
    return value


@pytest.fixture(scope="module", params=ENGINES)
def remote_client(request):
    """The app as `policygraph serve` opens it on a remote engine: from POLICYGRAPH_ENDPOINT."""
    from web import create_app

    _store, addresses = request.getfixturevalue(request.param)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYGRAPH_ENDPOINT", addresses["query"])
        app = create_app({"TESTING": True})
    assert type(app.config["STORE"]).__name__ == "SparqlEndpointStore"
    return request.param, app.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_the_page_shows_what_the_embedded_store_shows(remote_client, example_client, path):
    engine, client = remote_client
    expected, got = example_client.get(twin(path)), client.get(twin(path))
    assert expected.status_code == 200
    assert got.status_code == 200, f"{path} on {engine}: {got.status_code} {got.get_data(as_text=True)[:300]}"
    assert shown(got.get_json()) == shown(expected.get_json()), f"{path} on {engine} differs from the embedded store"


@pytest.mark.parametrize("path", ["/", "/network", "/matrix", "/questions/plan-synergies", "/id/org/koebenhavn"])
def test_the_html_page_answers(remote_client, path):
    engine, client = remote_client
    page = client.get(path)
    assert page.status_code == 200, f"{path} on {engine}: {page.status_code}"


# Runs until Virtuoso's own limit (60 s in tests/virtuoso.py): every pair of statements, compared as text.
SLOW = "SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) } } }"


def slow_app(addresses: dict, monkeypatch, seconds: str) -> Any:
    """The app over Virtuoso with one question made slow (SLOW) and the store's limit at `seconds`."""
    import web.questions
    from graph.questions.library import library as real_library
    from web import create_app

    slow = {**real_library()}
    slow["personas-without-initiative"] = replace(slow["personas-without-initiative"], sparql=SLOW)
    monkeypatch.setattr(web.questions, "library", lambda: slow)
    monkeypatch.setenv("POLICYGRAPH_ENDPOINT", addresses["query"])
    monkeypatch.setenv("POLICYGRAPH_ENDPOINT_TIMEOUT", seconds)
    return create_app({"TESTING": True}).test_client()


def test_a_question_the_engine_cannot_answer_in_time_is_the_usual_took_too_long(virtuoso_example, monkeypatch):
    """A question Virtuoso cannot answer within the store's time limit (POLICYGRAPH_ENDPOINT_TIMEOUT)
    gives the question page's usual 503 "took too long", in the shape the URL promises."""
    client = slow_app(virtuoso_example[1], monkeypatch, "2")
    page = client.get("/questions/personas-without-initiative.json")
    assert page.status_code == 503 and page.get_json()["code"] == "timeout"


def test_after_a_question_that_took_too_long_the_engine_answers_the_next(virtuoso_example, monkeypatch):
    """The engine never hangs on a question it could not answer in time: the next question answers
    within the page's own deadline."""
    client = slow_app(virtuoso_example[1], monkeypatch, "2")
    assert client.get("/questions/personas-without-initiative.json").status_code == 503
    answered = client.get("/questions/continuity-chains.json")
    assert answered.status_code == 200 and answered.get_json()["rows"], answered.get_data(as_text=True)[:300]
