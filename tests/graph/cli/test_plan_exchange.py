"""`policygraph export-plan`, `export-stratml`, `import-stratml`: a plan out of the store and back
to the same graph, to StratML the schema accepts, a StratML file in as a draft; bad input is one
line, a non-zero exit and nothing written."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from loaders.stratml.schema import PART1_NAMESPACE, problems, safe_resource
from ontology import base_iri, file_graph
from web.cli import main

DATA = Path(__file__).resolve().parents[3] / "data"
SAMPLE = Path(__file__).resolve().parents[2] / "loaders" / "stratml" / "fixtures" / "oecd-ai-policy-observatory.xml"
PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("exchange") / "store"
    result = CliRunner().invoke(main, ["--store", str(location), "load", "--no-validate", str(DATA)])
    assert result.exit_code == 0, result.output
    return location


def run(store: Path, *args: str):
    return CliRunner().invoke(main, ["--store", str(store), *args])


def graph_of(store: Path, graph: str) -> rdflib.Graph:
    result = run(store, "export", "--format", "ntriples", "--graph", graph)
    assert result.exit_code == 0, result.output
    parsed = rdflib.Graph()
    parsed.parse(data=result.output, format="nt")
    return parsed


def test_export_plan_then_load_gives_the_same_graph(store: Path, tmp_path: Path):
    folder = tmp_path / "again" / "koebenhavn"
    folder.mkdir(parents=True)
    exported = folder / "integrationshandleplan-2019-22.yaml"
    result = run(store, "export-plan", PLAN, "-o", str(exported))
    assert result.exit_code == 0, result.output
    assert exported.read_text(encoding="utf-8").splitlines()[2] == f"id: {PLAN}"
    other = tmp_path / "store2"
    loaded = CliRunner().invoke(main, ["--store", str(other), "load", "--no-validate", str(tmp_path / "again")])
    assert loaded.exit_code == 0, loaded.output
    graph = file_graph("koebenhavn/integrationshandleplan-2019-22.yaml")
    assert isomorphic(graph_of(store, graph), graph_of(other, graph))


def test_export_plan_to_stdout_takes_the_full_iri_too(store: Path):
    result = run(store, "export-plan", base_iri() + PLAN)
    assert result.exit_code == 0, result.output
    assert f"\nid: {PLAN}\n" in result.output and "focusAreas:" in result.output


def test_export_stratml_is_valid_and_in_the_chosen_language(store: Path, tmp_path: Path):
    output = tmp_path / "plan.xml"
    result = run(store, "--lang", "da", "export-stratml", PLAN, "-o", str(output))
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert problems(safe_resource(output, data), PART1_NAMESPACE) == []
    text = data.decode("utf-8")
    assert "<Name>Integrationshandleplan 2019-22</Name>" in text
    assert "<Name>Københavns Kommune</Name>" in text          # the municipality by its label, from its own file
    assert "<Name>Jobparate ledige</Name>" in text


def test_import_stratml_writes_a_draft_that_loads(store: Path, tmp_path: Path):
    draft = tmp_path / "draft.yaml"
    result = run(store, "import-stratml", str(SAMPLE), "-o", str(draft))
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output                         # the sample breaks its schema in places
    loaded = run(tmp_path / "store3", "load", "--no-validate", str(draft))
    assert loaded.exit_code == 0, loaded.output


@pytest.mark.parametrize("args,words", [
    (["export-plan", "doc/findes/ikke"], "no loaded file describes 'doc/findes/ikke'"),
    (["export-stratml", "doc/findes/ikke"], "no loaded file describes"),
    (["export-plan", "doc/med mellemrum<>"], "is not an id"),
])
def test_unknown_document_is_one_line_and_writes_nothing(store: Path, tmp_path: Path, args, words):
    output = tmp_path / "out.file"
    result = run(store, *args, "-o", str(output))
    assert result.exit_code != 0 and words in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not output.exists()


@pytest.mark.parametrize("content,words", [
    (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><l>&b;</l>', "forbidden"),
    (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]><l>&x;</l>', "forbidden"),
    (b"<StrategicPlan><Name>half", "not well-formed"),
    (b"<plan/>", "not a StratML plan"),
])
def test_hostile_or_malformed_stratml_is_one_line_and_writes_nothing(store: Path, tmp_path: Path, content, words):
    source = tmp_path / "plan.xml"
    source.write_bytes(content)
    output = tmp_path / "draft.yaml"
    result = run(store, "import-stratml", str(source), "-o", str(output))
    assert result.exit_code != 0 and words in result.output and "nothing written" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not output.exists()


def test_an_existing_output_file_is_kept_unless_forced(store: Path, tmp_path: Path):
    output = tmp_path / "plan.yaml"
    output.write_text("mine", encoding="utf-8")
    result = run(store, "export-plan", PLAN, "-o", str(output))
    assert result.exit_code != 0 and "exists" in result.output
    assert output.read_text(encoding="utf-8") == "mine"
    assert run(store, "export-plan", PLAN, "-o", str(output), "--force").exit_code == 0
    assert output.read_text(encoding="utf-8") != "mine"


def test_a_missing_stratml_file_is_one_line(store: Path, tmp_path: Path):
    result = run(store, "import-stratml", str(tmp_path / "none.xml"))
    assert result.exit_code != 0 and "cannot read" in result.output and "Traceback" not in result.output




def test_every_file_exported_from_the_store_loads_back_to_the_same_graphs(store: Path, tmp_path: Path):
    """Through the store (whose literals and blank nodes are its own): each file of data/ exported by
    one of the ids it describes, the exports loaded into a second store, every file graph the same."""
    from graph.cli.plan_exchange import document_graph
    from graph.store import open_store
    from loaders import load_file
    from ontology import RDF

    out = tmp_path / "exported"
    files = sorted(DATA.rglob("*.yaml"))
    first = open_store(store)
    try:
        for path in files:
            graph = file_graph(path.relative_to(DATA).as_posix())
            subjects = sorted({q.subject.value for q in load_file(path, DATA).quads
                               if q.predicate.value == RDF + "type" and isinstance(q.subject, ox.NamedNode)
                               and q.subject.value != graph})
            chosen = next(s for s in subjects if document_graph(first, s) == graph)
            target = out / path.relative_to(DATA)
            target.parent.mkdir(parents=True, exist_ok=True)
            result = run(store, "export-plan", chosen, "-o", str(target))
            assert result.exit_code == 0, result.output
    finally:
        first.close()
    again = tmp_path / "store-again"
    loaded = CliRunner().invoke(main, ["--store", str(again), "load", "--no-validate", str(out)])
    assert loaded.exit_code == 0, loaded.output
    for path in files:
        graph = file_graph(path.relative_to(DATA).as_posix())
        assert isomorphic(graph_of(store, graph), graph_of(again, graph)), path
