"""Edits of a plan's YAML text (graph/pipeline/plan_edits.py): each changes one node and keeps the rest
of the file, comments, key order and quoting included, byte for byte."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from graph.pipeline import plan_edits as edits
from graph.pipeline.plan_edits import EditRefused

ROOT = Path(__file__).resolve().parents[3]
ANNEX = (ROOT / "data" / "koebenhavn" / "integrationshandleplan-2019-22.yaml").read_text(encoding="utf-8")
PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"

# A nested plan: focus areas hold their initiatives themselves; comments everywhere.
NESTED = '''# A small plan written by hand.
id: doc/test/plan   # the plan
type: ActionPlan
title: {da: "Testplan", en: "Test plan"}
source: {document: source/001, at: "Side 1", quote: "Testplan"}
focusAreas:
  # first area
  - id: doc/test/plan/a
    type: FocusArea
    label: {da: 'Område A'}
    initiatives:
      - id: doc/test/plan/job   # keep me
        type: Initiative
        label: {da: "Job"}
        targetGroups: tg/ledige
        budget:
          - {year: 2020, amount: 100, currency: DKK, unitMultiplier: 1000}
        source: {document: source/001, at: "Side 2"}
  - id: doc/test/plan/b
    type: FocusArea
    label: {da: "Område B"}
    source: {document: source/001, at: "Side 3"}
'''


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed, added) lines: everything else is byte for byte the same."""
    diff = [line for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
            if not line.startswith(("---", "+++", "@@"))]
    return [d[1:] for d in diff if d.startswith("-")], [d[1:] for d in diff if d.startswith("+")]


def test_changing_a_budget_changes_one_line_and_keeps_every_comment():
    after = edits.set_budget(ANNEX, f"{PLAN}/fritidsjob", 2020, "1.700")
    removed, added = changed_lines(ANNEX, after)
    assert removed == ["      - {year: 2020, amount: 1600, currency: DKK, unitMultiplier: 1000, perYear: true}\n"]
    assert added == ["      - {year: 2020, amount: 1700, currency: DKK, unitMultiplier: 1000, perYear: true}\n"]
    assert [line for line in after.splitlines() if "#" in line] == [line for line in ANNEX.splitlines() if "#" in line]


def test_a_new_year_copies_the_unit_of_the_other_lines_in_year_order():
    after = edits.set_budget(ANNEX, f"{PLAN}/barselsgruppe-med-fokus-paa-job-og-uddannelse", "2021", "650")
    assert changed_lines(ANNEX, after) == (
        [], ["      - {year: 2021, amount: 650, currency: DKK, unitMultiplier: 1000, perYear: true}\n"])
    lines = after.splitlines()
    at = lines.index("      - {year: 2021, amount: 650, currency: DKK, unitMultiplier: 1000, perYear: true}")
    assert "year: 2020" in lines[at - 1]


def test_an_empty_amount_removes_the_years_line_and_a_bad_one_is_refused():
    after = edits.set_budget(NESTED, "doc/test/plan/job", 2020, "")
    assert "budget" not in after and "# keep me" in after
    with pytest.raises(EditRefused) as refused:
        edits.set_budget(NESTED, "doc/test/plan/job", 2020, "mange")
    assert refused.value.key == "bad_amount"
    with pytest.raises(EditRefused) as refused:
        edits.set_budget(NESTED, "doc/test/plan/job", "20x0", "5")
    assert refused.value.key == "bad_year"


def test_danish_amounts_are_read_as_a_person_types_them():
    assert edits.amount("3.300") == 3300 and edits.amount("2,5") == 2.5 and edits.amount(" 700 ") == 700


def test_moving_an_initiative_listed_by_id_moves_only_its_id():
    after = edits.move_initiative(ANNEX, f"{PLAN}/fritidsjob", f"{PLAN}/fokusomraade-unge-i-uddannelse")
    removed, added = changed_lines(ANNEX, after)
    assert removed == [f"    initiatives: [{PLAN}/flere-laerepladser]\n", f"    initiatives: [{PLAN}/fritidsjob]\n"]
    assert added == [f"    initiatives: [{PLAN}/flere-laerepladser, {PLAN}/fritidsjob]\n"]


def test_moving_a_nested_initiative_moves_the_node_with_its_comment_and_sources():
    after = edits.move_initiative(NESTED, "doc/test/plan/job", "doc/test/plan/b")
    tree = edits.outline(after)
    assert [c.id for c in tree.children[0].children] == []
    assert [c.id for c in tree.children[1].children] == ["doc/test/plan/job"]
    assert "# keep me" in after and "# first area" in after and "label: {da: 'Område A'}" in after
    with pytest.raises(EditRefused) as refused:
        edits.move_initiative(after, "doc/test/plan/job", "doc/test/plan/b")
    assert refused.value.key == "already_there"


def test_adding_an_initiative_follows_the_files_style():
    by_reference, new_id = edits.add_initiative(ANNEX, f"{PLAN}/fokusomraade-unge-i-job", "Nye fritidsjob", "", "Side 3")
    assert new_id == f"{PLAN}/nye-fritidsjob"
    assert f"    initiatives: [{PLAN}/fritidsjob, {new_id}]\n" in by_reference
    removed, added = changed_lines(ANNEX, by_reference)
    assert added[1:] == ["\n", f"  - id: {new_id}\n", "    type: Initiative\n", "    label: {da: Nye fritidsjob}\n",
                         "    source: {document: source/004, at: Side 3}\n"]
    lines = by_reference.splitlines()   # the section heading after the list still comes after it, with its blank line
    heading = lines.index("budgetLines:") - 1
    assert lines[heading].startswith("# ----") and lines[heading - 1] == "" and new_id in lines[heading - 5]
    again, _ = edits.add_initiative(by_reference, f"{PLAN}/fokusomraade-unge-i-job", "Flere", "", "Side 4")
    lines = again.splitlines()
    assert lines[lines.index("budgetLines:") - 1].startswith("# ----") and lines.count("# " + "-" * 64 + " lines outside the bearings") == 1
    nested, nested_id = edits.add_initiative(NESTED, "doc/test/plan/a", "Job", "Jobs", "Side 4", "citat")
    assert nested_id == "doc/test/plan/job-2"  # the id is unique in the file
    assert [c.id for c in edits.outline(nested).children[0].children] == ["doc/test/plan/job", nested_id]
    with pytest.raises(EditRefused) as refused:
        edits.add_initiative(NESTED, "doc/test/plan/a", "Job", "", " ")
    assert refused.value.key == "place_missing"


def test_links_are_added_and_removed_in_the_files_own_style():
    after = edits.link(NESTED, "doc/test/plan/job", "targetGroups", "tg/unge")
    assert "        targetGroups: [tg/ledige, tg/unge]\n" in after
    after = edits.link(after, "doc/test/plan/job", "responsible", "org/test/udvalg")
    lines = after.splitlines()
    assert lines.index("        responsible: [org/test/udvalg]") < lines.index("        source: {document: source/001, at: \"Side 2\"}")
    back = edits.unlink(edits.unlink(after, "doc/test/plan/job", "responsible", "org/test/udvalg"),
                        "doc/test/plan/job", "targetGroups", "tg/unge")
    assert "targetGroups: [tg/ledige]" in back and "responsible" not in back
    with pytest.raises(EditRefused) as refused:
        edits.link(NESTED, "doc/test/plan/job", "targetGroups", "tg/ledige")
    assert refused.value.key == "already_linked"
    with pytest.raises(EditRefused) as refused:
        edits.link(NESTED, "doc/test/plan/job", "title", "x")
    assert refused.value.key == "bad_relation"


def test_continues_and_replaces_are_set_and_removed():
    after = edits.set_continuation(NESTED, "doc/test/plan/job", "continues", "doc/test/old/job")
    assert "        continues: doc/test/old/job\n" in after
    assert "continues" not in edits.set_continuation(after, "doc/test/plan/job", "continues", "")
    replaced = edits.set_continuation(NESTED, "doc/test/plan", "replaces", "doc/test/old")
    assert changed_lines(NESTED, replaced) == ([], ["replaces: doc/test/old\n"])
    with pytest.raises(EditRefused):
        edits.set_continuation(NESTED, "doc/test/plan", "replaces", "doc/test/plan")


def test_an_unknown_node_is_refused_by_name():
    with pytest.raises(EditRefused) as refused:
        edits.set_budget(NESTED, "doc/test/plan/nothing", 2020, "5")
    assert refused.value.key == "no_node" and refused.value.values == {"node": "doc/test/plan/nothing"}


def test_the_outline_shows_referenced_initiatives_under_their_focus_area():
    tree = edits.outline(ANNEX)
    assert tree.id == PLAN and tree.children[0].label["da"] == "Jobparate ledige"
    assert [c.id for c in tree.children[0].children] == [f"{PLAN}/haandholdt-og-kontinuerlig-virksomhedsindsats"]
    listed_once = [n.id for n in tree.children]
    assert f"{PLAN}/fritidsjob" not in listed_once and f"{PLAN}/survey-om-medborgerskab" in listed_once
