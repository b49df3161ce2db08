"""The YAML authoring format: good files become the expected triples, bad ones name the line and the fix."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from loaders import LoadError, load_file

BASE = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
id: doc/test/handleplan
type: ActionPlan
title: {da: Handleplan, en: Action plan}
validFrom: 2019
initiatives:
  - id: doc/test/handleplan/indsats
    type: Initiative
    label: {da: Fritidsjob}
    evidenceBased: true
    budget:
      - {year: 2019, amount: 1600, currency: DKK, unitMultiplier: 1000}
    targetGroupSizes:
      - {group: tg/unge, annualSize: 110, sizeQualifier: Exactly, asStated: {da: "110 unge i fritidsjob"}}
    processSteps:
      - {step: Reading, date: 2018-12-10}
"""


def triples(loaded) -> set[tuple[str, str, str]]:
    return {(q.subject.value if not isinstance(q.subject, ox.BlankNode) else "_", q.predicate.value, q.object.value)
            for q in loaded.quads}


def test_good_file_becomes_typed_triples_in_its_own_graph(tmp_path):
    loaded = load_file(write(tmp_path, GOOD))
    facts = triples(loaded)
    plan, initiative = BASE + "doc/test/handleplan", BASE + "doc/test/handleplan/indsats"
    assert (plan, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", PG + "ActionPlan") in facts
    assert (plan, PG + "hasInitiative", initiative) in facts
    assert (initiative, PG + "evidenceBased", "true") in facts
    assert ("_", PG + "fiscalYear", "2019") in facts
    assert ("_", PG + "annualSize", "110") in facts
    assert ("_", PG + "date", "2018-12-10") in facts
    assert {q.graph_name.value for q in loaded.quads} == {BASE + "graph/plan.yaml"}
    years = [q.object for q in loaded.quads if q.predicate.value == PG + "fiscalYear"]
    assert years[0].datatype.value.endswith("#gYear")


def test_node_lines_point_at_where_each_node_starts(tmp_path):
    loaded = load_file(write(tmp_path, GOOD))
    assert loaded.node_lines["doc/test/handleplan"] == 1
    assert loaded.node_lines["doc/test/handleplan/indsats"] == 6


@pytest.mark.parametrize("text, line, words", [
    ("id: doc/x\ntype: Initiative\nbudjet: 3\n", 3, ["unknown key 'budjet'", "did you mean 'budget'"]),
    ("id: doc/x\ntype: Initative\n", 2, ["unknown value 'Initative'", "did you mean 'Initiative'"]),
    ("id: doc/x\nbudget:\n  - {year: 19, amount: 3}\n", 3, ["four-digit year", "19"]),
    ("id: doc/x\nprocessSteps:\n  - {date: 13. december}\n", 3, ["YYYY-MM-DD"]),
    ("id: doc/x\ntitle: Handleplan\n", 2, ["text per language"]),
    ("id: doc/x\ntitle: {dansk: Handleplan}\n", 2, ["language tag"]),
    ("id: doc/x\n  type: : Initiative\n", 2, ["YAML syntax error"]),
    ("id: doc x\n", 1, ["identifier"]),
    ("id: doc/x\nresponsible:\n", 2, ["has no value"]),
    ("id: doc/x\nbudget:\n  - {year: 2019, amount: '3.300,5'}\n", 3, ["'amount' expects a number"]),
    ("id: doc/x\ntype: Initiative\nvalidFrom: 2019-13-45\n", 3, ["'2019-13-45' is not a valid date", "YYYY-MM-DD"]),
    ("id: doc/x\nprocessSteps:\n  - {step: Reading, date: '2019-02-30'}\n", 3, ["'date' expects a date", "2019-02-30"]),
    ("id: doc/x\ntype: Initiative\nlabel: !!python/object:os.system {da: x}\n", 3, ["tag '!!python/object:os.system'"]),
    ("id: doc/x\ntype: !plan Initiative\n", 2, ["tag '!plan' is not part of the authoring format"]),
])
def test_bad_input_names_file_line_and_expectation(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}")
    for word in words:
        assert word in message


def test_empty_and_non_mapping_files_are_refused(tmp_path):
    with pytest.raises(LoadError, match="empty"):
        load_file(write(tmp_path, "# nothing\n"))
    with pytest.raises(LoadError, match="mapping at the top"):
        load_file(write(tmp_path, "- a\n- b\n", "list.yaml"))


def test_non_utf8_file_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: doc/x\ntitle: {da: Beskæftigelse}\n".encode("latin-1"))
    with pytest.raises(LoadError, match="UTF-8"):
        load_file(path)


def test_non_utf8_byte_is_named_at_its_line_and_column(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: doc/x\ntype: Initiative\nlabel: {da: Beskæftigelse}\n".encode("latin-1"))
    with pytest.raises(LoadError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}:3:17: not UTF-8 text")


def test_alias_bomb_is_refused_at_the_alias(tmp_path, load_bounded):
    levels = ["  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = write(tmp_path, "id: doc/x\ntype: Initiative\n'http://example.org/p':\n" + "\n".join(levels) + "\n")
    code, output = load_bounded(path)
    assert code == 3, output
    assert output.startswith(f"{path}:8:") and "aliases here expand to more than" in output


@pytest.mark.parametrize("nested", ["[" * 5_000 + "x" + "]" * 5_000, "{a: " * 5_000 + "x" + "}" * 5_000,
                                    "\n" + "".join("  " * i + "- \n" for i in range(300)) + "  " * 300 + "- x"])
def test_deep_nesting_is_refused_not_a_crash_or_a_hang(tmp_path, load_bounded, nested):
    path = write(tmp_path, "id: doc/x\ntype: Initiative\n'http://example.org/p': " + nested + "\n")
    code, output = load_bounded(path)
    assert code == 3, output
    assert output.startswith(f"{path}:") and "nested" in output and "Traceback" not in output


def test_inline_context_is_refused_so_the_format_stays_one(tmp_path):
    with pytest.raises(LoadError, match="bundled context"):
        load_file(write(tmp_path, "'@context': {x: 'http://example.org/'}\nid: doc/x\n"))


def test_full_iris_and_compact_iris_are_allowed_as_keys(tmp_path):
    text = "id: doc/x\ntype: Initiative\n'http://example.org/p': value\nskos:note: {'@value': hej, '@language': da}\n"
    facts = triples(load_file(write(tmp_path, text)))
    assert (BASE + "doc/x", "http://example.org/p", "value") in facts
    assert (BASE + "doc/x", "http://www.w3.org/2004/02/skos/core#note", "hej") in facts


def test_base_iri_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_BASE", "https://data.kk.dk/id")
    loaded = load_file(write(tmp_path, "id: doc/x\ntype: Initiative\n"))
    assert any(q.subject.value == "https://data.kk.dk/id/doc/x" for q in loaded.quads)
    assert loaded.graph == "https://data.kk.dk/id/graph/plan.yaml"


ORDERED = """\
id: doc/test/plan
type: ActionPlan
title: {da: Plan}
focusAreas:
  - {id: doc/test/plan/zulu, type: FocusArea, label: {da: Zulu}, initiatives: [doc/test/plan/b]}
  - {id: doc/test/plan/alfa, type: FocusArea, label: {da: Alfa}}
initiatives:
  - {id: doc/test/plan/b, type: Initiative, label: {da: B}}
  - {id: doc/test/plan/a, type: Initiative, label: {da: A}}
"""


def test_parts_keep_their_place_in_the_file_as_a_stated_position(tmp_path):
    """RDF has no order, so each part defined in a structure list gets its 1-based place in it, in
    the file's own graph; a part only referred to by id (the focus area's initiatives) gets none there."""
    loaded = load_file(write(tmp_path, ORDERED))
    positions = {(q.subject.value[len(BASE):], q.object.value, q.object.datatype.value.rsplit("#")[-1], q.graph_name.value)
                 for q in loaded.quads if q.predicate.value == PG + "positionInSource"}
    graph = BASE + "graph/plan.yaml"
    assert positions == {("doc/test/plan/zulu", "1", "positiveInteger", graph), ("doc/test/plan/alfa", "2", "positiveInteger", graph),
                         ("doc/test/plan/b", "1", "positiveInteger", graph), ("doc/test/plan/a", "2", "positiveInteger", graph)}
