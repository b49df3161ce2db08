"""The question texts and the pages' queries avoid the SPARQL shapes that a real engine answered wrong.

Each rule below is a shape that is valid SPARQL 1.1 and that Oxigraph answers as the standard says,
but that Virtuoso Open Source 7.2 (the engine many public bodies run) answered wrongly, refused or
hung on, measured on the example graph (issue 18). The rule's docstring says which question, what
the engine did, and the portable form used instead. tests/test_question_answers_on_engines.py then
checks the answers themselves on Virtuoso and `oxigraph serve`; these rules keep a new question from
bringing a known shape back without anyone running Virtuoso.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Callable, Iterator

import pytest

from graph.questions.library import QUERY_DIR, parse_query_file
from graph.sparql.text import Token, tokens

ROOT = Path(__file__).resolve().parents[3]


def _meaningful(sparql: str) -> list[Token]:
    return [t for t in tokens(sparql) if t.kind not in ("space", "comment")]


def _close(toks: list[Token], opening: int) -> int:
    """The index of the bracket closing the one at `opening` (the end when unbalanced)."""
    pairs = {"(": ")", "{": "}"}
    want, depth = pairs[toks[opening].text], 0
    for index in range(opening, len(toks)):
        if toks[index].text == toks[opening].text:
            depth += 1
        elif toks[index].text == want:
            depth -= 1
            if depth == 0:
                return index
    return len(toks) - 1


def _subselects(toks: list[Token]) -> Iterator[tuple[int, int]]:
    """(the SELECT, the brace opening its WHERE group) of each sub-SELECT (a SELECT right after `{`)."""
    for index, t in enumerate(toks):
        if t.kind != "word" or t.text.upper() != "SELECT" or index == 0 or toks[index - 1].text != "{":
            continue
        where = next((i for i in range(index, len(toks)) if toks[i].text == "{"), None)
        if where is not None:
            yield index, where


def never_bound_variable_in_an_expression(sparql: str) -> Iterator[str]:
    """A variable written once only, as an argument of IF or COALESCE, stands for "unbound" (the
    idiom `BIND(IF(?raw = "", ?none, ?raw) AS ?x)`). Virtuoso 7.2 lost every row whose value was
    NOT empty (plan-synergies: 10 rows of 18) and, for Copenhagen, ran the query until the engine
    answered nothing more, not even `ASK {}`, and had to be restarted. Portable: let a sub-SELECT
    have a row only where there is a value, and OPTIONAL-join it (plan-synergies' bodies)."""
    toks = _meaningful(sparql)
    counts: dict[str, int] = {}
    for t in toks:
        if t.kind == "var":
            counts[t.text[1:]] = counts.get(t.text[1:], 0) + 1
    for index, t in enumerate(toks):
        if t.kind != "word" or t.text.upper() not in ("IF", "COALESCE") or index + 1 >= len(toks) \
                or toks[index + 1].text != "(":
            continue
        for inner in toks[index + 2:_close(toks, index + 1)]:
            if inner.kind == "var" and counts[inner.text[1:]] == 1:
                yield f"{t.text.upper()}(... {inner.text} ...): {inner.text} is never bound"


def guard_projecting_an_unbound_variable(sparql: str) -> Iterator[str]:
    """A guard sub-SELECT (no triple pattern, only FILTER and BIND: it has one row or none, decided by
    which parameters are bound) may project at most one variable that it does not BIND itself, and
    then one its FILTER requires BOUND. `{ SELECT ?municipality ?committee WHERE {
    FILTER(BOUND(?municipality) || BOUND(?committee)) } }` passes with one of the two unbound; SPARQL
    joins that unbound variable with anything, Virtuoso 7.2 with nothing (committee-target-group-matrix
    for Copenhagen: 0 rows instead of 14). Portable: one guard per parameter, as in that question."""
    toks = _meaningful(sparql)
    for index, where in _subselects(toks):
        body = toks[where + 1:_close(toks, where)]
        projected = [x.text[1:] for x in toks[index + 1:where] if x.kind == "var"]
        words = {x.text.upper() for x in body if x.kind == "word"}
        has_pattern = any(x.kind in ("iri", "pname") for x in body) or "SELECT" in words or "VALUES" in words
        if has_pattern:
            continue
        assigned = {body[i + 1].text[1:] for i in range(len(body) - 1)
                    if body[i].text.upper() == "AS" and body[i + 1].kind == "var"}
        free = [v for v in projected if v not in assigned]
        if len(free) > 1:
            yield f"a guard sub-SELECT projects {', '.join('?' + v for v in free)}, which it does not bind"


def repeated_path_without_distinct(sparql: str) -> Iterator[str]:
    """A `*` or `+` property path with no SELECT DISTINCT around it. SPARQL gives each solution once;
    Virtuoso 7.2 gave continuity-chains' rows once more each where the chain's
    `(dct:replaces|pg:continues)*` met the OPTIONAL dates after it (8 rows instead of 6), and a sum
    over such a path would count twice. Portable: a SELECT DISTINCT around the path, the query's own
    (continuity-chains) or a sub-SELECT of just the path before a sum (describe.py's budget of parts)."""
    toks = _meaningful(sparql)
    selects = []   # (where-group opening, closing, distinct) of each SELECT
    for index, t in enumerate(toks):
        if t.kind == "word" and t.text.upper() == "SELECT":
            where = next((i for i in range(index, len(toks)) if toks[i].text == "{"), None)
            if where is not None:
                distinct = index + 1 < len(toks) and toks[index + 1].text.upper() in ("DISTINCT", "REDUCED")
                selects.append((where, _close(toks, where), distinct))
    for index, t in enumerate(toks):
        if t.text in ("*", "+") and 0 < index < len(toks) - 1 and toks[index - 1].text == ")" \
                and toks[index + 1].kind in ("var", "iri", "pname"):
            enclosing = [s for s in selects if s[0] < index < s[1]]
            if enclosing and not any(distinct for _, _, distinct in enclosing):
                yield "a `*`/`+` property path with no SELECT DISTINCT around it"


def exists_read_as_a_value(sparql: str) -> Iterator[str]:
    """EXISTS used as a value (`BIND(EXISTS { ... } AS ?x)`), not as a FILTER. SPARQL gives a boolean;
    Virtuoso 7.2 gives 1 or 0, so a page that reads "true" found no initiative in a plan and showed
    no budget table. Portable: a row per thing found (a UNION with a BIND of a constant in each branch),
    or the EXISTS in a FILTER."""
    toks = _meaningful(sparql)
    for index, t in enumerate(toks):
        if t.kind == "word" and t.text.upper() == "EXISTS":
            before = index - 1 - (index > 0 and toks[index - 1].text.upper() == "NOT")
            if before >= 1 and toks[before].text == "(" and toks[before - 1].text.upper() == "BIND":
                yield "BIND(EXISTS ...): a boolean some engines give as 1/0"


def _outer_where(toks: list[Token]) -> tuple[int, int] | None:
    """The opening and closing brace of the query's own WHERE group (not a sub-SELECT's)."""
    opening = next((i for i, x in enumerate(toks) if x.text == "{"), None)
    return None if opening is None else (opening, _close(toks, opening))


def _branch_is_a_subselect(toks: list[Token], opening: int) -> bool:
    return opening + 1 < len(toks) and toks[opening + 1].text.upper() == "SELECT"


def union_of_subselects_beside_other_patterns(sparql: str) -> Iterator[str]:
    """A UNION whose branches are sub-SELECTs, in the query's outer WHERE group with other patterns
    beside it (`{ SELECT ... } UNION { SELECT ... } ?item ?p ?o ...`). SPARQL joins the union's rows
    with the rest; Virtuoso 7.2 paired a municipality's items with other items' names and lost a MINUS
    for some (plans-expiring-without-successor for Copenhagen: 6 rows, 5 wrong). Portable: the union
    (and what it filters) in a sub-SELECT of its own, joined with the rest."""
    toks = _meaningful(sparql)
    outer = _outer_where(toks)
    if outer is None:
        return
    index = outer[0] + 1
    while index < outer[1]:   # the outer group's own elements: a nested group is stepped over whole
        if toks[index].text != "{":
            index += 1
            continue
        end = _close(toks, index)
        if _branch_is_a_subselect(toks, index) and end + 2 < outer[1] and toks[end + 1].text.upper() == "UNION" \
                and toks[end + 2].text == "{" and _branch_is_a_subselect(toks, end + 2):
            while end + 2 < outer[1] and toks[end + 1].text.upper() == "UNION":
                end = _close(toks, end + 2)
            beside = toks[outer[0] + 1:index] + toks[end + 1:outer[1]]
            if any(x.kind in ("var", "iri", "pname") or x.text == "{" for x in beside):
                yield "a UNION of sub-SELECTs beside other patterns in the outer WHERE group"
        index = end + 1


def aggregates_joined_on_the_same_variables(sparql: str) -> Iterator[str]:
    """Two GROUP BY sub-SELECTs in one group keyed by the same two or more variables
    (`{ SELECT ?a ?b (COUNT(?g) ...) ... GROUP BY ?a ?b } { SELECT ?a ?b (COUNT(?t) ...) ... GROUP BY ?a ?b }`).
    Virtuoso 7.2 chooses its plan from sampled statistics: after writes had changed them it lost one pair
    of ten, or counted one shared theme of two (overlaps-between-municipalities, in some test runs and
    not in others). Portable: one aggregate over a UNION of both kinds of rows, with HAVING for what
    both must find (overlaps-between-municipalities' groups and themes)."""
    toks = _meaningful(sparql)
    keys_by_group: dict[int, list[tuple[str, ...]]] = {}
    for index, where in _subselects(toks):
        end = _close(toks, where)
        if end + 2 < len(toks) and toks[end + 1].text.upper() == "GROUP" and toks[end + 2].text.upper() == "BY":
            keys = []
            for x in toks[end + 3:]:
                if x.kind != "var":
                    break
                keys.append(x.text[1:])
            enclosing = max((i for i in range(index - 1) if toks[i].text == "{" and _close(toks, i) > end), default=-1)
            keys_by_group.setdefault(enclosing, []).append(tuple(sorted(keys)))
    for keyings in keys_by_group.values():
        several = [k for k in set(keyings) if len(k) > 1 and keyings.count(k) > 1]
        for keys in several:
            yield f"two aggregate sub-SELECTs grouped by {', '.join('?' + k for k in keys)} joined in one group"


RULES: list[Callable[[str], Iterator[str]]] = [exists_read_as_a_value, never_bound_variable_in_an_expression,
                                               guard_projecting_an_unbound_variable,
                                               repeated_path_without_distinct, union_of_subselects_beside_other_patterns,
                                               aggregates_joined_on_the_same_variables]


def _text(node: ast.AST) -> str:
    """The SPARQL text an expression builds, with what it computes (names, calls) as one space; an
    f-string's placeholder stands as a variable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v) if isinstance(v, ast.Constant) else " ?computed " for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) + _text(node.right)
    return " "


def page_queries() -> Iterator[tuple[str, str]]:
    """(where, text) of every SPARQL text the pages send to the store from code: the first argument
    of each `.query(...)` call, and the constants that hold query texts, in what the pages draw
    (graph/explore), the questions' code (graph/questions), the names on every page (labels.py) and web/."""
    paths = [*sorted((ROOT / "graph" / "explore").glob("*.py")), *sorted((ROOT / "graph" / "questions").glob("*.py")),
             ROOT / "graph" / "store" / "labels.py", *sorted((ROOT / "web").glob("*.py"))]
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            found = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query" \
                    and node.args:
                found = _text(node.args[0])
            elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                found = _text(node.value)
            if found and "{" in found and any(k in found for k in ("SELECT", "ASK", "CONSTRUCT")):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", found


def library_queries() -> Iterator[tuple[str, str]]:
    for path in sorted(QUERY_DIR.glob("*.rq")):
        yield str(path.relative_to(ROOT)), parse_query_file(path).sparql


ALL = [*library_queries(), *page_queries()]


@pytest.mark.parametrize("rule", RULES, ids=[r.__name__ for r in RULES])
def test_no_text_has_a_shape_an_engine_got_wrong(rule):
    found = [f"{where}: {problem}" for where, text in ALL for problem in rule(text)]
    assert not found, f"{rule.__doc__}\n\nFound:\n" + "\n".join(found)


def test_the_texts_are_read():
    """The rules see every question and the pages' queries (a rule over no text cannot fail)."""
    assert len(list(library_queries())) == len(list(QUERY_DIR.glob("*.rq"))) >= 20
    assert {where.split(":")[0] for where, _ in page_queries()} >= {"graph/explore/network.py", "graph/explore/overview.py",
                                                                    "graph/explore/plan.py", "graph/explore/describe.py",
                                                                    "graph/questions/explain.py"}


@pytest.mark.parametrize("rule,bad,good", [
    (never_bound_variable_in_an_expression,
     'SELECT ?x WHERE { ?s ?p ?raw BIND(IF(?raw = "", ?none, ?raw) AS ?x) }',
     'SELECT ?x WHERE { ?s ?p ?raw BIND(IF(?raw = "", "none", ?raw) AS ?x) }'),
    (guard_projecting_an_unbound_variable,
     "SELECT * WHERE { { SELECT ?m ?c WHERE { FILTER(BOUND(?m) || BOUND(?c)) } } ?l <p> ?m ; <q> ?c }",
     "SELECT * WHERE { { SELECT ?m WHERE { FILTER(BOUND(?m)) } } { SELECT ?flag WHERE { BIND(true AS ?flag) "
     "FILTER(!BOUND(?c)) } } ?l <p> ?m ; <q> ?c }"),
    (exists_read_as_a_value,
     "SELECT ?s ?i WHERE { ?s ?p ?o BIND(EXISTS { ?s a <I> } AS ?i) }",
     "SELECT ?s ?i WHERE { { ?s a <I> BIND(\"I\" AS ?i) } UNION { ?s ?p ?o FILTER NOT EXISTS { ?s a <I> } } }"),
    (union_of_subselects_beside_other_patterns,
     "SELECT * WHERE { { SELECT ?i WHERE { ?i <p> ?m } } UNION { SELECT ?i WHERE { ?i <q> ?m } } "
     "MINUS { ?x <r> ?i } OPTIONAL { ?i <l> ?l } }",
     "SELECT * WHERE { { SELECT ?i WHERE { { SELECT ?i WHERE { ?i <p> ?m } } UNION "
     "{ SELECT ?i WHERE { ?i <q> ?m } } MINUS { ?x <r> ?i } } } OPTIONAL { ?i <l> ?l } }"),
    (aggregates_joined_on_the_same_variables,
     "SELECT * WHERE { { SELECT ?a ?b (COUNT(?g) AS ?n) WHERE { ?a <g> ?g . ?b <g> ?g } GROUP BY ?a ?b } "
     "{ SELECT ?a ?b (COUNT(?t) AS ?m) WHERE { ?a <t> ?t . ?b <t> ?t } GROUP BY ?a ?b } }",
     "SELECT * WHERE { { SELECT ?a ?b (COUNT(DISTINCT ?g) AS ?n) (COUNT(DISTINCT ?t) AS ?m) WHERE { "
     "{ ?a <g> ?g . ?b <g> ?g } UNION { ?a <t> ?t . ?b <t> ?t } } GROUP BY ?a ?b } "
     "{ SELECT ?a (SAMPLE(?l) AS ?label) WHERE { ?a <l> ?l } GROUP BY ?a } }"),
    (repeated_path_without_distinct,
     "SELECT ?a ?b WHERE { ?a (<p>|<q>)* ?b }",
     "SELECT ?y (SUM(?v) AS ?n) WHERE { { SELECT DISTINCT ?b WHERE { <a> (<p>|<q>)+ ?b } } ?b <v> ?v } GROUP BY ?y"),
])
def test_each_rule_finds_its_shape_and_only_it(rule, bad, good):
    assert list(rule(bad)) and not list(rule(good))
