"""The `policygraph` command: the happy paths, and user mistakes as one line with a non-zero exit."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import main

PLAN = """\
id: doc/test/plan
type: ActionPlan
title: {da: Testplan, en: Test plan}
municipality: org/test
validFrom: 2020
validUntil: 2021
source: {document: source/test, at: "side 1", quote: "Testplan"}
initiatives:
  - id: doc/test/plan/indsats
    type: Initiative
    label: {da: Indsats, en: Initiative}
    source: {document: source/test, at: "side 2", quote: "Indsats"}
    budget:
      - {year: 2020, amount: 500, currency: DKK, unitMultiplier: 1000}
"""
ORG = """\
graph:
  - id: org/test
    type: Municipality
    label: {da: Testkommune, en: Test Municipality}
    source: {document: source/test, at: "side 1", quote: "Testkommune"}
  - id: source/test
    type: SourceDocument
    title: {da: Testdokument}
    fileName: test.txt
"""


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (folder / "org.yaml").write_text(ORG, encoding="utf-8")
    return folder


def run(tmp_path: Path, *args: str):
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), *args])
    return result


def test_load_then_stats_and_query(tmp_path, plans):
    loaded = run(tmp_path, "load", str(plans))
    assert loaded.exit_code == 0, loaded.output
    assert "Loaded 2 file(s)" in loaded.output
    stats = json.loads(run(tmp_path, "stats", "--json").output)
    graphs = {g["graph"] for g in stats["graphs"]}
    assert "https://w3id.org/policygraph/id/graph/plan.yaml" in graphs
    assert "https://w3id.org/policygraph/ontology" in graphs
    assert any(c["class"].endswith("#Initiative") and c["count"] == 1 for c in stats["classes"])
    table = run(tmp_path, "query", "SELECT ?t WHERE { ?p a pg:ActionPlan ; dct:title ?t FILTER(LANG(?t) = 'en') }")
    assert table.exit_code == 0 and "Test plan" in table.output and "(1 row)" in table.output


def test_query_formats_and_bound_parameters(tmp_path, plans):
    assert run(tmp_path, "load", str(plans)).exit_code == 0
    sparql = "SELECT ?v WHERE { ?i pg:hasBudgetAllocation [ pg:fiscalYear ?y ; schema:value ?v ] FILTER(STR(?y) = STR(?year)) }"
    as_json = run(tmp_path, "query", sparql, "--format", "json", "-p", "year=2020")
    assert json.loads(as_json.output)["results"]["bindings"][0]["v"]["value"] == "500"
    as_csv = run(tmp_path, "query", sparql, "--format", "csv", "-p", "year=2020")
    assert as_csv.output.splitlines()[0] == "v"
    construct = run(tmp_path, "query", "CONSTRUCT { ?p dct:title ?t } WHERE { ?p a pg:ActionPlan ; dct:title ?t }",
                    "--format", "turtle")
    assert "Testplan" in construct.output


def test_query_from_a_file(tmp_path, plans):
    run(tmp_path, "load", str(plans))
    question = tmp_path / "q.rq"
    question.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Initiative }")
    assert "1" in run(tmp_path, "query", str(question), "--format", "csv").output


def test_export_formats(tmp_path, plans):
    run(tmp_path, "load", str(plans))
    out = tmp_path / "graph.nq"
    result = run(tmp_path, "export", "--format", "nquads", "-o", str(out))
    assert result.exit_code == 0
    assert "Testplan" in out.read_text(encoding="utf-8")
    assert "@prefix pg:" in run(tmp_path, "export", "--format", "turtle").output


@pytest.mark.parametrize("args, words", [
    (["query", "SELECT ?s WHERE { ?s ?p }"], "SPARQL syntax error"),
    (["query", "missing.rq"], "no such query file"),
    (["query", "SELECT * WHERE { ?s ?p ?o }", "-p", "year"], "NAME=VALUE"),
    (["load", "does/not/exist"], "no such file or folder"),
    (["query", "SELECT * WHERE { ?s ?p ?year }", "-p", "year=２０２１"], "digits 0-9"),
    (["query", "SELECT * WHERE { ?s ?p ?year }", "-p", "year=٢٠٢١"], "digits 0-9"),
    (["ask", "plans-expiring-without-successor", "-p", "year=٢٠٢١"], "digits 0-9"),
])
def test_user_mistakes_are_one_line_and_non_zero(tmp_path, args, words):
    result = run(tmp_path, *args)
    assert result.exit_code != 0
    assert words in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_file_loads_nothing(tmp_path, plans):
    run(tmp_path, "load", str(plans))
    before = run(tmp_path, "stats", "--json").output
    (plans / "plan.yaml").write_text(PLAN.replace("validFrom: 2020", "validFrom: 20"), encoding="utf-8")
    (plans / "zz-new.yaml").write_text(PLAN.replace("doc/test/plan", "doc/test/other"), encoding="utf-8")
    result = run(tmp_path, "load", str(plans))
    assert result.exit_code == 1
    assert "plan.yaml:5" in result.output and "four-digit year" in result.output
    assert run(tmp_path, "stats", "--json").output == before


def test_shape_violation_loads_nothing_and_names_the_line(tmp_path, plans):
    (plans / "plan.yaml").write_text(PLAN.replace("      - {year: 2020, amount: 500, currency: DKK, unitMultiplier: 1000}",
                                                  "      - {amount: 500, currency: DKK, unitMultiplier: 1000}"))
    result = run(tmp_path, "load", str(plans))
    assert result.exit_code == 1
    assert "nothing loaded" in result.output
    assert "plan.yaml:9" in result.output and "pg:fiscalYear" in result.output
    assert run(tmp_path, "stats", "--json").exit_code == 0
    assert json.loads(run(tmp_path, "stats", "--json").output)["statements"] == 0


def test_validate_reports_in_danish(tmp_path, plans):
    (plans / "plan.yaml").write_text(PLAN.replace("      - {year: 2020, amount: 500, currency: DKK, unitMultiplier: 1000}",
                                                  "      - {amount: 500, currency: DKK, unitMultiplier: 1000}"))
    result = CliRunner().invoke(main, ["--lang", "da", "validate", str(plans)])
    assert result.exit_code == 1
    assert "violation" in result.output


def test_the_example_graph_loads_and_validates(tmp_path):
    data = Path(__file__).resolve().parents[3] / "data"
    result = run(tmp_path, "load", str(data))
    assert result.exit_code == 0, result.output
    assert run(tmp_path, "validate").exit_code == 0


def test_reloading_a_quad_file_replaces_its_own_graphs(tmp_path):
    quads = tmp_path / "q.nq"
    quads.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> <http://example.org/g1> .\n"
                     "<http://example.org/c> <http://example.org/p> <http://example.org/d> .\n")
    assert run(tmp_path, "load", "--no-validate", str(quads)).exit_code == 0
    first = json.loads(run(tmp_path, "stats", "--json").output)
    assert run(tmp_path, "load", "--no-validate", str(quads)).exit_code == 0
    assert json.loads(run(tmp_path, "stats", "--json").output) == first
    assert "http://example.org/g1" in {g["graph"] for g in first["graphs"]}


CLI = "import sys\nfrom web.cli import main\nmain(prog_name='policygraph')\n"
RDF_OPEN = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY lol0 "lol">\n'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10)) + "]>\n" + RDF_OPEN
          + '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n')
YAML_LAUGHS = ("id: doc/x\ntype: Initiative\n'http://example.org/p':\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
               + "".join(f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)))
BAD_INPUT = [
    ("date.ttl", '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<http://example.org/a> <http://example.org/d> '
                 '"2021-13-45"^^xsd:date .\n', 'date.ttl:2: "2021-13-45"^^xsd:date is not valid'),
    ("date.yaml", "id: doc/x\ntype: Initiative\nvalidFrom: 2019-13-45\n", "date.yaml:3:12: '2019-13-45' is not a valid date"),
    ("laughs.rdf", LAUGHS, "laughs.rdf:4:15: the entity 'lol1' refers to other entities"),
    ("laughs.yaml", YAML_LAUGHS, "laughs.yaml:8:5: aliases here expand"),
    ("deep.jsonld", '{"@id": "http://example.org/a", "http://example.org/p": ' + '{"http://example.org/p": ' * 100_000
                    + '"x"' + "}" * 100_000 + "}\n", "deep.jsonld:1: arrays and objects nested more than 256 deep"),
    ("tag.yaml", "id: doc/x\ntype: Initiative\nlabel: !!python/object:os.system {da: x}\n", "tag.yaml:3:8: the tag"),
    ("latin1.yaml", "id: doc/x\ntype: Initiative\nlabel: {da: Beskæftigelse}\n".encode("latin-1"), "latin1.yaml:3:17: not UTF-8"),
    ("latin1.rdf", ('<?xml version="1.0"?>\n' + RDF_OPEN + '<rdf:Description rdf:about="http://example.org/a">\n'
                    '<ex:p>Beskæftigelse</ex:p></rdf:Description>\n</rdf:RDF>\n').encode("latin-1"), "latin1.rdf:4:11: not UTF-8"),
    ("loop", None, "loop/up: symbolic link loop"),
]


@pytest.mark.parametrize("command", ["load", "validate"])
@pytest.mark.parametrize("name, content, words", BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_one_line_and_non_zero_on_the_command_line(tmp_path, command, name, content, words):
    from conftest import run_bounded

    path = tmp_path / name
    if content is None:
        path.mkdir()
        (path / "a.nt").write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
        (path / "up").symlink_to(tmp_path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    done = run_bounded(CLI, "--store", str(tmp_path / "store"), command, str(path))
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len(errors) == 1 and words in errors[0]


def test_a_file_name_with_spaces_and_danish_letters_loads(tmp_path, plans):
    (plans / "plan.yaml").rename(plans / "min plan æøå – 2019.yaml")
    result = run(tmp_path, "load", str(plans))
    assert result.exit_code == 0, result.output
    graphs = {g["graph"] for g in json.loads(run(tmp_path, "stats", "--json").output)["graphs"]}
    assert "https://w3id.org/policygraph/id/graph/min%20plan%20%C3%A6%C3%B8%C3%A5%20%E2%80%93%202019.yaml" in graphs


def test_findings_about_stored_nodes_name_the_file_as_written(tmp_path, plans):
    (plans / "plan.yaml").write_text(PLAN.replace("      - {year: 2020, amount: 500, currency: DKK, unitMultiplier: 1000}",
                                                  "      - {amount: 500, currency: DKK, unitMultiplier: 1000}"))
    (plans / "plan.yaml").rename(plans / "min plan æøå.yaml")
    assert run(tmp_path, "load", "--no-validate", str(plans)).exit_code == 0
    result = run(tmp_path, "validate")
    assert result.exit_code == 1 and "min plan æøå.yaml: violation" in result.output


def test_csv_output_neutralises_cells_a_spreadsheet_would_run(tmp_path, plans):
    assert run(tmp_path, "load", str(plans)).exit_code == 0
    out = run(tmp_path, "query", "SELECT ?x ?n WHERE { VALUES (?x ?n) { (\"=1+1\" -5) } }", "--format", "csv")
    assert out.exit_code == 0 and out.output.splitlines() == ["x,n", "'=1+1,-5"]


def test_lang_works_before_and_after_the_command(tmp_path, plans):
    """The README writes `policygraph report --lang da`; click reads group options only before it."""
    outputs = [CliRunner().invoke(main, ["--store", str(tmp_path / "store"), *args, str(plans)])
               for args in (["--lang", "da", "validate"], ["validate", "--lang", "da"], ["validate"])]
    assert [r.exit_code for r in outputs] == [0, 0, 0], outputs[1].output
    assert outputs[0].output == outputs[1].output != outputs[2].output


def test_ask_as_json_has_the_shape_of_the_question_page_twin(tmp_path, plans):
    """`ask --format json` and `/questions/<id>.json` print one shape (graph/questions/answer.py):
    the same keys and rows, the web adding only its own URLs and the page (one page here); the time taken differs."""
    from graph.store import open_store
    from web import create_app

    assert run(tmp_path, "load", str(plans)).exit_code == 0
    asked = run(tmp_path, "ask", "plans-expiring-without-successor", "-p", "year=2021", "--format", "json", "--explain",
                "--lang", "en")
    assert asked.exit_code == 0, asked.output
    printed = json.loads(asked.output)
    store = open_store(tmp_path / "store")
    try:
        app = create_app({"STORE": store, "TESTING": True, "QUERY_WORKERS": 0})
        served = app.test_client().get("/questions/plans-expiring-without-successor.json?year=2021&explain=1&lang=en")
        twin = served.get_json()
    finally:
        store.close()
    assert printed["rows"] and printed["rows"][0]["item"]["label"] == "Test plan" and printed["evidence"]
    assert set(twin) - set(printed) == {"url", "json", "csv",    # its URLs, and which page of the answer
                                        "total_rows", "page", "pages", "page_rows", "first_row", "last_row", "next",
                                        "previous"}
    for key in set(printed) - {"elapsed"}:
        assert printed[key] == twin[key], key


def test_warnings_reach_stderr_through_logging(tmp_path, plans, monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_MAX_QUERY_CHARS", "lots")
    result = run(tmp_path, "query", "ASK { ?s ?p ?o }")
    assert result.exit_code == 0, result.output
    assert "WARNING graph.sparql.text: POLICYGRAPH_MAX_QUERY_CHARS='lots' is not a number" in result.stderr
    assert "lots" not in result.stdout


def test_ask_prints_headings_and_names_in_the_chosen_language(tmp_path, plans):
    """`ask --lang da` prints the question's Danish headings and names link kinds (`gælder til`),
    never the variables (`itemLabel`) or local names (`validUntil`); the CSV has the same headings."""
    assert run(tmp_path, "load", str(plans)).exit_code == 0
    danish = run(tmp_path, "--lang", "da", "ask", "plans-expiring-without-successor", "-p", "year=2021")
    assert danish.exit_code == 0, danish.output
    head = danish.output.splitlines()[1]
    assert head.split("  ")[0] == "Plan eller indsats" and "Hvad udløber" in head and "itemLabel" not in head
    assert "gælder til" in danish.output and "validUntil" not in danish.output
    english = run(tmp_path, "--lang", "en", "ask", "plans-expiring-without-successor", "-p", "year=2021")
    assert "Plan or initiative" in english.output and "valid until" in english.output
    as_csv = run(tmp_path, "--lang", "da", "ask", "plans-expiring-without-successor", "-p", "year=2021",
                 "--format", "csv")
    assert as_csv.output.splitlines()[0].startswith("Plan eller indsats,Plan eller indsats (navn),Slags")


def test_ask_takes_a_short_id_and_a_full_iri_alike(tmp_path, plans):
    assert run(tmp_path, "load", str(plans)).exit_code == 0
    outputs = [run(tmp_path, "ask", "goals-without-initiative", "-p", f"municipality={value}", "--format", "csv")
               for value in ("org/test", "https://w3id.org/policygraph/id/org/test")]
    assert all(o.exit_code == 0 for o in outputs) and outputs[0].output == outputs[1].output
    wrong = run(tmp_path, "--lang", "da", "ask", "goals-without-initiative", "-p", "municipality=org/nowhere")
    assert wrong.exit_code != 0 and "ukendt kommune 'org/nowhere'" in wrong.output
