"""web/workshop/naming.py: a workshop's names are read once per version of the data, and again after
the data changes (a label corrected while the workshop runs shows on the next refresh)."""
from __future__ import annotations

from types import SimpleNamespace

import pyoxigraph as ox
from flask import Flask

from graph.store import GraphContent
from web.workshop.naming import namer

PLAN = "https://example.org/plan"
LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


def _state() -> SimpleNamespace:
    workshop = SimpleNamespace(id="w1", details={"plans": [PLAN]})
    return SimpleNamespace(workshop=workshop, activities={}, proposals={}, persona_picks={}, participants={})


def _label(store, text: str) -> None:
    graph = "https://example.org/graph"
    store.replace_graphs([GraphContent(graph, [ox.Quad(ox.NamedNode(PLAN), LABEL, ox.Literal(text, language="da"),
                                                       ox.NamedNode(graph))])])


def test_names_are_read_again_after_the_data_changes(memory_store):
    app = Flask(__name__)
    app.config["STORE"] = memory_store
    _label(memory_store, "Handleplan")
    with app.app_context():
        assert namer(_state(), "da")(PLAN) == "Handleplan"
        _label(memory_store, "Handleplan 2019-22")
        assert namer(_state(), "da")(PLAN) == "Handleplan 2019-22"


def test_one_workshop_reads_its_names_once_per_version(memory_store):
    app = Flask(__name__)
    app.config["STORE"] = memory_store
    _label(memory_store, "Handleplan")
    reads = []
    original = memory_store.query
    memory_store.query = lambda *a, **k: reads.append(a[0]) or original(*a, **k)
    with app.app_context():
        for _ in range(3):
            assert namer(_state(), "da")(PLAN) == "Handleplan"
    assert len(reads) == 1
