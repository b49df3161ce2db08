"""A protocol dataset becomes USING clauses for the embedded store; FROM is found as a keyword only."""
from __future__ import annotations

import pytest

EX = "http://example.org/"


def test_using_clauses_go_before_every_where_and_delete_where_is_spelled_out():
    from graph.sparql.dataset import Dataset, with_using

    update = (f"INSERT DATA {{ <{EX}a> <{EX}p> 'WHERE USING' }} ;\n"
              f"DELETE {{ ?s <{EX}p> ?o }} INSERT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o }} ;\n"
              f"DELETE WHERE {{ ?s <{EX}r> ?o }}")
    rewritten = with_using(update, Dataset((EX + "d",), (EX + "n",)))
    using = f"USING <{EX}d> USING NAMED <{EX}n>"
    assert rewritten == (f"INSERT DATA {{ <{EX}a> <{EX}p> 'WHERE USING' }} ;\n"
                         f"DELETE {{ ?s <{EX}p> ?o }} INSERT {{ ?s <{EX}q> ?o }} {using} WHERE {{ ?s <{EX}p> ?o }} ;\n"
                         f"DELETE {{ ?s <{EX}r> ?o }} {using} WHERE {{ ?s <{EX}r> ?o }}")


@pytest.mark.parametrize("update", [f"WITH <{EX}g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
                                    f"delete {{ ?s ?p ?o }} using <{EX}g> where {{ ?s ?p ?o }}"])
def test_an_update_with_its_own_dataset_takes_no_other(update):
    from graph.sparql.dataset import Dataset, with_using

    with pytest.raises(ValueError, match="own"):
        with_using(update, Dataset((EX + "d",)))


def test_from_counts_only_as_a_keyword():
    from graph.sparql.dataset import declares_dataset

    assert declares_dataset(f"SELECT * FROM <{EX}g> {{ ?s ?p ?o }}")
    assert declares_dataset(f"ask from named <{EX}g> {{ }}")
    assert not declares_dataset(f"PREFIX from: <{EX}> PREFIX ex: <{EX}>\n"
                                f"SELECT * {{ ?s from:from 'FROM' . ?from <{EX}p> ex:x-from }} # FROM")


@pytest.mark.parametrize("query, expected", [
    ("ASK FROM <http://e/g1> { ?s ?p ?o }", "ASK FROM <http://e/g2> FROM NAMED <http://e/n> { ?s ?p ?o }"),
    ("SELECT ?z FROM NAMED <http://e/x> FROM <http://e/y> WHERE { ?a ?b ?z }",
     "SELECT ?z FROM <http://e/g2> FROM NAMED <http://e/n> WHERE { ?a ?b ?z }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "CONSTRUCT { ?s ?p ?o } FROM <http://e/g2> FROM NAMED <http://e/n> WHERE { ?s ?p ?o }"),
    ("PREFIX from: <http://e/> SELECT * { ?s from:p 'FROM <x>' }",
     "PREFIX from: <http://e/> SELECT * FROM <http://e/g2> FROM NAMED <http://e/n> { ?s from:p 'FROM <x>' }"),
])
def test_a_dataset_replaces_the_querys_own_from_in_the_text(query, expected):
    from graph.sparql.dataset import Dataset, with_from

    assert " ".join(with_from(query, Dataset(("http://e/g2",), ("http://e/n",))).split()) == expected
