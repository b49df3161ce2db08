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

from graph.questions.library import bind_parameters, library, run_named
from graph.sparql.text import keywords

QUESTIONS = sorted(library())
MUNICIPALITIES = ("org/koebenhavn", "org/silkeborg")
ENGINES = ("virtuoso_example", "oxigraph_example")


def scopes(qid: str) -> list[str | None]:
    """National, and each municipality of the example graph when the question takes one."""
    named = library()[qid]
    takes = any(p.name == "municipality" for p in named.parameters)
    return [None, *MUNICIPALITIES] if takes else [None]


CASES = [(engine, qid, scope, lang) for engine in ENGINES for qid in QUESTIONS for scope in scopes(qid)
         for lang in ("da", "en")]


def rows(store: Any, qid: str, scope: str | None, lang: str) -> list[tuple[str, ...]]:
    """The answer as rows of N-Triples terms ('' for unbound), in the order the engine gave them."""
    named = library()[qid]
    result = run_named(store, named, {"municipality": scope} if scope else {}, lang)
    return [tuple("" if row[c] is None else str(row[c]) for c in result.columns) for row in result.rows]


def ordered(qid: str) -> bool:
    return "ORDER" in keywords(library()[qid].sparql)


@pytest.mark.parametrize("engine,qid,scope,lang", CASES,
                         ids=[f"{e.split('_')[0]}-{q}-{(s or 'national').split('/')[-1]}-{lang}" for e, q, s, lang in CASES])
def test_the_answer_is_the_embedded_one(request, example_store, engine, qid, scope, lang):
    remote, _addresses = request.getfixturevalue(engine)
    bind_parameters(example_store, library()[qid], {"municipality": scope} if scope else {}, lang)  # a valid scope
    expected = rows(example_store, qid, scope, lang)
    got = rows(remote, qid, scope, lang)
    if not ordered(qid):
        expected, got = sorted(expected), sorted(got)
    missing = [r for r in expected if r not in got]
    extra = [r for r in got if r not in expected]
    assert got == expected, (f"{qid} ({scope or 'national'}, {lang}) on {engine}: {len(got)} rows, embedded "
                             f"{len(expected)}; missing {missing[:2]}, extra {extra[:2]}"
                             + ("" if missing or extra else "; same rows in another order"))
