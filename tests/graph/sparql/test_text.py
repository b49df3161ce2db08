"""The one SPARQL lexer and what the store's guard decides from it."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.sparql.text import MAX_DEPTH, MAX_NESTING, prefixed_names, refusal, shape, tokens

ROOT = Path(__file__).resolve().parents[3]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokens(text)]


def test_strings_iris_comments_and_names_are_single_tokens():
    assert kinds("""?x ex:a\\'b "a\\"'" '''x''y''' <http://x/'''> # SERVICE '''\n$y _:b1 @da-DK 1.5e3""") == [
        ("var", "?x"), ("pname", "ex:a\\'b"), ("string", '"a\\"\'"'), ("string", "'''x''y'''"),
        ("iri", "<http://x/'''>"), ("var", "$y"), ("bnode", "_:b1"), ("langtag", "@da-DK"), ("number", "1.5e3")]
    assert kinds("# comment\rSERVICE") == [("word", "SERVICE")]  # a CR ends a comment, as for the engine
    assert kinds("<http://x/\\u0078'> 'a'") == [("iri", "<http://x/\\u0078'>"), ("string", "'a'")]


@pytest.mark.parametrize("text", [
    'SELECT * { ?s ?p "SERVICE <x> { }" }',
    "SELECT ?service { ?service <http://x/SERVICE> ex:SERVICE . ?s :SERVICE $SERVICE } # SERVICE",
    "SELECT * { ?s ?p '''LOAD <http://x/>''' . ?s pg:loadedFrom ?o }",
    "SELECT * { ?s a cpsv:PublicService }",
])
def test_names_strings_and_comments_are_not_keywords(text):
    assert refusal(text, allow_federation=False) is None


@pytest.mark.parametrize("text", [
    "SELECT * { sErViCe SILENT <http://x/> {} }", "SELECT * { SERVICE :x {} }", "SELECT * { SERVICE:x{} }",
    "SELECT * { SERVICESILENT<http://x/>{} }", "SELECT * { ?s ?p falseSERVICE<http://x/>{} }",
    "load <http://x/>", "LOAD SILENT <http://x/> INTO GRAPH <http://g/>",
])
def test_service_and_load_are_refused_however_written(text):
    assert "is not allowed" in refusal(text, allow_federation=False)
    assert refusal(text, allow_federation=True) is None


def test_depth_and_chains_are_measured():
    assert shape("ASK { FILTER((1)) }").depth == 3
    assert shape("ASK" + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)).depth == MAX_DEPTH + 1
    assert shape("ASK{" + "{}UNION" * MAX_NESTING + "{}}").nesting > MAX_NESTING
    values = "VALUES ?x { " + " ".join(f"<http://x/{i}>" for i in range(5000)) + " }"
    assert shape(f"SELECT * {{ {values} ?x ?p ?o FILTER(?o IN ({', '.join(['1'] * 3000)})) }}").nesting < 10
    data = "INSERT DATA { " + " ".join(f"<http://x/{i}> <http://p/> {i} ." for i in range(5000)) + " }"
    assert refusal(data, allow_federation=False) is None
    assert "deep" in refusal("ASK" + "[" * 300 + "]" * 300, allow_federation=False)
    assert "chains too many" in refusal("ASK{FILTER(" + "!" * 2000 + "true)}", allow_federation=False)


def test_every_library_query_passes_and_prefixes_are_read_from_tokens():
    for path in sorted((ROOT / "graph" / "queries").glob("*.rq")):
        assert refusal(path.read_text(encoding="utf-8"), allow_federation=False) is None, path.name
    assert list(prefixed_names("SELECT * { ?s pg:x '''ex:y''' ; <a:b> STR(dct:) } # skos:z")) == [("pg", "x"), ("dct", "")]


def test_variables_keywords_and_declared_prefixes_skip_strings_iris_and_comments():
    from graph.sparql.text import declared_prefixes, keywords, variables

    text = """PREFIX ex: <http://example.org/#?notavar> # PREFIX no: <x>
    SELECT ?a $b WHERE { ?a ex:p "?c and PREFIX fake: <y>" . BIND($b AS ?d) }"""
    assert variables(text) == {"a", "b", "d"}
    assert {"PREFIX", "SELECT", "WHERE", "BIND", "AS"} <= keywords(text)
    assert declared_prefixes(text) == {"ex"}
    assert declared_prefixes("prefix : <http://x/> SELECT * {}") == {""}


def test_a_short_text_is_read_once_and_a_long_one_every_time():
    """The store reads every text it runs; the pages' own texts are read once, and a huge text is not
    kept (it would fill the memory)."""
    from graph.sparql.text import CACHED_CHARS, shape

    short = "SELECT * WHERE { ?s ?p ?o }"
    assert shape(short) is shape(short)
    long = "SELECT * WHERE { ?s ?p ?o }" + " " * CACHED_CHARS
    assert shape(long) is not shape(long) and shape(long) == shape(short)
