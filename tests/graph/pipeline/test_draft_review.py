"""The review's view of a draft and the reviewer's edits (graph/pipeline/draft_review.py), on a draft
written by the importer: confidence read from its `# draft:` comments, edits that keep the rest."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from graph.pipeline import draft_review as review
from graph.pipeline.drafts import DraftRefused
from import_seeds import ANNEX_MAPPING, annex_xlsx
from loaders.importing import check_draft, import_plan

ROOT = Path(__file__).resolve().parents[3]
PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"
LAEREPLADSER = PLAN + "/flere-laerepladser"


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("review")
    mapping = folder / "mapping.yaml"
    mapping.write_text(ANNEX_MAPPING, encoding="utf-8")
    return import_plan(annex_xlsx(folder / "annex.xlsx"), mapping, "org/koebenhavn", ROOT / "data").text


def nodes(text: str) -> dict[str, review.ReviewNode]:
    return {n.id: n for n in review.walk(review.review_nodes(text, []))}


def test_the_tree_with_confidence_places_budgets_and_sizes(draft):
    found = nodes(draft)
    top = review.review_nodes(draft, [])
    assert [n.id for n in top] == [PLAN] and review.plan_id(draft) == PLAN
    node = found[LAEREPLADSER]
    assert (node.kind, node.label, node.confidence, node.place) == ("Initiative", "Flere lærepladser", 0.85,
                                                                     "ark 'Tabel 1', celle B9")
    assert node.budget[0] == {"year": 2019, "amount": "800", "unit": 1000} and node.sizes[0].startswith("60 ")
    assert any(n.low for n in found.values()) and not node.low
    area = next(n for n in found.values() if n.kind == "FocusArea")
    assert area.term == "fokusområde" and area.as_json()["term"] == "fokusområde"


def test_a_node_finds_its_block_by_place_else_by_quote():
    node = review.ReviewNode("x", "Goal", "Flere i job", 0.9, "", False, "paragraph 4", "Flere i job senest 2021")
    blocks = [{"n": 0, "text": "Indledning", "cells": [], "places": ["paragraph 1"]},
              {"n": 1, "text": "Mål: Flere i job senest 2021", "cells": [], "places": ["paragraph 2"]},
              {"n": 2, "text": "x", "cells": [], "places": ["paragraph 4"]}]
    assert review.find_block(node, blocks) == 2
    node.place = "page 9"
    assert review.find_block(node, blocks) == 1


def test_change_accept_and_drop_keep_the_rest_of_the_draft(draft):
    changed = review.change(draft, LAEREPLADSER, " Flere  lære- og elevpladser ", {2019: "1.350", 2020: "2,5"})
    check_draft(changed)
    node = nodes(changed)[LAEREPLADSER]
    assert node.label == "Flere lære- og elevpladser" and [b["amount"] for b in node.budget][:2] == ["1350", "2.5"]
    assert changed.count("# draft: confidence") == draft.count("# draft: confidence")
    untouched = [line for line in draft.splitlines() if "flere-laerepladser" not in line and "Flere lærepladser" not in line
                 and "amount: 800" not in line]
    assert all(line in changed.splitlines() for line in untouched)
    accepted = review.accept(changed, LAEREPLADSER)
    assert nodes(accepted)[LAEREPLADSER].confidence is None
    area = next(n for n in review.walk(review.review_nodes(draft, [])) if n.kind == "FocusArea" and n.children)
    dropped = nodes(review.drop(draft, area.id))
    assert area.id not in dropped and area.children[0].id not in dropped and PLAN in dropped


@pytest.mark.parametrize("typed, value", [("3300", 3300), ("3.300", 3300), ("1.234.567", 1234567), ("2,5", Decimal("2.5")),
                                          ("0.9", Decimal("0.9")), (" 12 000 ", 12000)])
def test_amounts_as_people_type_them(typed, value):
    assert review.amount(typed) == value


@pytest.mark.parametrize("typed", ["tre", "-5", "1e99", "NaN", "", "Infinity"])
def test_what_is_no_amount_is_refused(typed):
    with pytest.raises(DraftRefused, match="not an amount"):
        review.amount(typed)


def test_edits_that_make_no_sense_are_refused(draft):
    with pytest.raises(DraftRefused, match="cannot be empty"):
        review.change(draft, LAEREPLADSER, "  ", {})
    with pytest.raises(DraftRefused, match="no budget line for 2030"):
        review.change(draft, LAEREPLADSER, None, {2030: "5"})
    with pytest.raises(DraftRefused, match="no node"):
        review.accept(draft, "doc/none")
    with pytest.raises(DraftRefused, match="plan itself"):
        review.drop(draft, PLAN)


def test_an_english_label_is_added_beside_the_danish_one_and_an_empty_field_takes_it_away(draft):
    text = review.change(draft, LAEREPLADSER, None, {}, "More apprenticeships")
    assert review.parse(text)["graph"][1]["focusAreas"][4]["initiatives"][0]["label"] == \
        {"da": "Flere lærepladser", "en": "More apprenticeships"}
    titled = review.change(draft, PLAN, None, {}, "Integration Action Plan 2019-22")
    assert review.parse(titled)["graph"][1]["title"] == {"da": "Integrationshandleplan 2019-22",
                                                         "en": "Integration Action Plan 2019-22"}
    again = review.change(text, LAEREPLADSER, None, {}, "  ")
    assert "More apprenticeships" not in again and "# draft: confidence" in again
    check_draft(text)


def test_links_and_facts_the_document_does_not_state_are_set_and_removed(draft):
    text = review.set_field(draft, LAEREPLADSER, "targetGroups", "tg/minoritetsunge, tg/unge tg/unge")
    text = review.set_field(text, PLAN, "status", "Adopted")
    text = review.set_field(text, PLAN, "adoptedInYear", "2018")
    text = review.set_field(text, PLAN, "replaces", "doc/koebenhavn/integrationshandleplan-2017-18")
    text = review.set_field(text, LAEREPLADSER, "sizeGroup", "tg/minoritetsunge")
    plan = review.parse(text)["graph"][1]
    node = plan["focusAreas"][4]["initiatives"][0]
    assert list(node["targetGroups"]) == ["tg/minoritetsunge", "tg/unge"]
    assert [s["group"] for s in node["targetGroupSizes"]] == ["tg/minoritetsunge"]
    assert (plan["status"], plan["adoptedInYear"], plan["replaces"]) == \
        ("Adopted", 2018, "doc/koebenhavn/integrationshandleplan-2017-18")
    assert "themes" not in review.parse(review.set_field(text, LAEREPLADSER, "themes", ""))["graph"][1]["focusAreas"][4]["initiatives"][0]
    check_draft(text)


@pytest.mark.parametrize("name, value", [("status", "Vedtaget"), ("adoptedInYear", "atten"), ("replaces", "a b"),
                                         ("targetGroups", "tg/unge <script>"), ("municipality", "org/x"),
                                         ("sizeGroup", "")])
def test_a_value_that_is_not_one_is_refused(draft, name, value):
    with pytest.raises(DraftRefused):
        review.set_field(draft, LAEREPLADSER if name in ("targetGroups", "sizeGroup") else PLAN, name, value)


def test_renaming_the_plan_moves_the_ids_below_it_and_every_mention(draft):
    new = "doc/koebenhavn/integrationshandleplan-2019-2022"
    text = review.rename(draft, PLAN, new)
    assert review.plan_id(text) == new and PLAN + "/" not in text and f"totalFor: {PLAN}," not in text
    assert new + "/flere-laerepladser" in nodes(text)
    assert "# draft: confidence" in text.split(new + "/flere-laerepladser", 1)[1].split("\n", 1)[0]
    check_draft(text)
    with pytest.raises(DraftRefused):
        review.rename(draft, PLAN, "Not an id")
    with pytest.raises(DraftRefused):
        review.rename(draft, PLAN, LAEREPLADSER)
