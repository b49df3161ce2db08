"""Every question of the library gives the same answer on a remote engine as on the embedded store:
Virtuoso Open Source 7.2 (the engine many public bodies run) and `oxigraph serve`, both on loopback
and loaded with the example graph once per session (tests/conftest.py). For the national view and
for each municipality of the example graph, row for row, in order where the question orders its
rows; in both languages, since labels are chosen by language in the query.

What the texts must avoid so that this holds is in tests/graph/questions/test_portable_queries.py.
"""
from __future__ import annotations

from typing import Any

import pytest

from graph.questions.library import library, run_named
from graph.sparql.text import keywords

QUESTIONS = sorted(library())
MUNICIPALITIES = ("org/koebenhavn", "org/silkeborg")
ENGINES = ("virtuoso_example", "oxigraph_example")


def scopes(qid: str) -> list[dict[str, str]]:
    """National, and each municipality of the example graph when the question takes one; a question
    that compares two municipalities (it needs both) compares the two of the example graph."""
    named = library()[qid]
    names = {p.name for p in named.parameters}
    if {"municipality1", "municipality2"} <= names:
        return [dict(zip(("municipality1", "municipality2"), MUNICIPALITIES)),
                dict(zip(("municipality1", "municipality2"), reversed(MUNICIPALITIES)))]
    return [{}, *({"municipality": m} for m in MUNICIPALITIES)] if "municipality" in names else [{}]


def case_id(engine: str, qid: str, params: dict[str, str], lang: str) -> str:
    scope = "-".join(v.split("/")[-1] for v in params.values()) or "national"
    return f"{engine.split('_')[0]}-{qid}-{scope}-{lang}"


CASES = [pytest.param(engine, qid, params, lang, id=case_id(engine, qid, params, lang))
         for engine in ENGINES for qid in QUESTIONS for params in scopes(qid) for lang in ("da", "en")]


def rows(store: Any, qid: str, params: dict[str, str], lang: str) -> list[tuple[str, ...]]:
    """The answer as rows of N-Triples terms ('' for unbound), in the order the engine gave them."""
    result = run_named(store, library()[qid], params, lang)
    return [tuple("" if row[c] is None else str(row[c]) for c in result.columns) for row in result.rows]


def ordered(qid: str) -> bool:
    return "ORDER" in keywords(library()[qid].sparql)


@pytest.mark.parametrize("engine,qid,params,lang", CASES)
def test_the_answer_is_the_embedded_one(request, example_store, engine, qid, params, lang):
    remote, _addresses = request.getfixturevalue(engine)
    expected = rows(example_store, qid, params, lang)
    got = rows(remote, qid, params, lang)
    if not ordered(qid):
        expected, got = sorted(expected), sorted(got)
    missing = [r for r in expected if r not in got]
    extra = [r for r in got if r not in expected]
    assert got == expected, (f"{qid} {params or 'national'} ({lang}) on {engine}: {len(got)} rows, embedded "
                             f"{len(expected)}; missing {missing[:2]}, extra {extra[:2]}"
                             + ("" if missing or extra else "; the same rows in another order"))
