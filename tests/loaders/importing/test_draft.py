"""The draft in the authoring format (loaders/importing/draft.py): it loads as any hand-written file
does, every node carries its source and a confidence comment, amounts keep the table's unit."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from import_seeds import ANNEX
from graph.pipeline.load import check_files
from graph.pipeline.validation import violations
from loaders import load_file, load_paths
from loaders.importing import check_draft, import_plan

DATA = Path(__file__).resolve().parents[3] / "data"


@pytest.fixture(scope="module")
def annex_draft(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("draft") / "annex.draft.yaml"
    path.write_text(import_plan(ANNEX, None, "org/koebenhavn", DATA).text, encoding="utf-8")
    return path


def nodes_with_ids(data) -> list[dict]:
    found, stack = [], [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "id" in node:
                found.append(node)
            stack += [v for v in node.values() if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += node
    return found


def test_the_draft_loads_and_validates_with_the_example_data(annex_draft):
    loaded = load_file(annex_draft)
    assert len(loaded.quads) > 300
    findings = check_files(None, load_paths([DATA, annex_draft]), "en")
    assert violations(findings) == []


def test_every_node_has_its_source_and_a_confidence(annex_draft):
    text = annex_draft.read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)
    nodes = [n for n in nodes_with_ids(data) if n["type"] != "SourceDocument"]
    assert len(nodes) == 1 + 7 + 9  # the plan, its focus areas, initiatives and the reserved fund
    for node in nodes:
        assert set(node["source"]) == {"document", "at", "quote"} and node["source"]["quote"]
        assert node["source"]["document"] == "source/import/004-9bc7ee40ca6f453d"
    id_lines = [line for line in text.splitlines() if re.match(r"\s*- id: doc/", line)]
    assert len(id_lines) == len(nodes)
    assert all(re.search(r"# draft: confidence (0|1)\.\d\d \(.+\)", line) for line in id_lines)


def test_amounts_keep_the_unit_and_totals_are_stated(annex_draft):
    data = YAML(typ="safe").load(annex_draft.read_text(encoding="utf-8"))
    plan = data["graph"][1]
    assert (plan["type"], plan["status"], plan["validFrom"], plan["validUntil"]) == ("ActionPlan", "Draft", 2019, 2022)
    first = plan["focusAreas"][0]["initiatives"][0]
    assert first["budget"][0] == {"year": 2019, "amount": 3300, "currency": "DKK", "unitMultiplier": 1000,
                                  "perYear": True}
    assert first["targetGroupSizes"][0]["sizeQualifier"] == "AtLeast" and first["evidenceBased"] is True
    assert first["supports"] == ["doc/koebenhavn/integrationspolitik-2019-22/pejlemaerke-1-job"]
    assert len(plan["statedTotals"]) == 16
    assert {t["totalFor"] for t in plan["statedTotals"]} >= {plan["id"]}


def test_proposed_bearings_and_target_groups_are_written_as_nodes_and_marked(tmp_path):
    """Without the data folder nothing is known: the pejlemærker become proposed bearings of the draft."""
    text = import_plan(ANNEX, None, "org/koebenhavn", None).text
    check_draft(text)
    assert text.count("# draft: proposed bearing") == 3
    assert "# draft: proposed target group" in text
    data = YAML(typ="safe").load(text)
    bearings = [n for n in nodes_with_ids(data) if n.get("type") == "Bearing"]
    assert sorted(b["label"]["da"] for b in bearings) == ["Integration i samfundet generelt", "Job", "Uddannelse"]


def test_a_draft_that_would_not_load_is_caught():
    with pytest.raises(Exception, match="unknown key"):
        check_draft("id: doc/x\ntype: Plan\ntitel: {da: x}\n")
