"""StratML export: every plan in the example data becomes StratML Part 1 that the vendored ISO schema
accepts, with focus areas as Goals and what they hold as Objectives."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from loaders import load_file
from loaders.stratml.schema import PART1_NAMESPACE, problems, safe_resource
from loaders.stratml.write import stratml_xml
from ontology import PG, RDF, base_iri

DATA = Path(__file__).resolve().parents[3] / "data"
PLAN_TYPES = tuple(PG + t for t in ("Policy", "Strategy", "ActionPlan", "Plan"))
NS = "{" + PART1_NAMESPACE + "}"


def plans() -> list[tuple[Path, str]]:
    found = []
    for path in sorted(DATA.rglob("*.yaml")):
        quads = load_file(path, DATA).quads
        found += [(path, s) for s in sorted({q.subject.value for q in quads if q.predicate.value == RDF + "type"
                                             and q.object.value in PLAN_TYPES})]
    return found


PLANS = plans()


def short_name(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize("path,document", PLANS, ids=[d[len(base_iri()):] for _p, d in PLANS])
def test_every_example_plan_exports_to_stratml_the_schema_accepts(path: Path, document: str):
    data = stratml_xml(load_file(path, DATA).quads, document, "en", short_name)
    assert problems(safe_resource("plan.xml", data), PART1_NAMESPACE) == []
    assert ET.fromstring(data).findtext(NS + "AdministrativeInformation/" + NS + "Source") == document


def test_there_are_example_plans_to_export():
    assert len(PLANS) > 20


def test_focus_areas_become_goals_and_their_initiatives_objectives_in_order():
    path = DATA / "koebenhavn" / "integrationshandleplan-2019-22.yaml"
    document = base_iri() + "doc/koebenhavn/integrationshandleplan-2019-22"
    root = ET.fromstring(stratml_xml(load_file(path, DATA).quads, document, "da", short_name))
    assert root.findtext(NS + "Name") == "Integrationshandleplan 2019-22"
    goals = root.findall(f"{NS}StrategicPlanCore/{NS}Goal")
    assert [g.findtext(NS + "Name") for g in goals][:2] == ["Jobparate ledige", "Udsatte ledige"]
    first = goals[0].find(NS + "Objective")
    assert first.findtext(NS + "Name") == "Håndholdt og kontinuerlig virksomhedsindsats"
    assert "2019: 3300000 DKK" in first.findtext(NS + "OtherInformation")   # 3.300 in a table of 1.000 kr.
    stakeholder = first.find(NS + "Stakeholder")
    assert stakeholder.get("StakeholderTypeType") == "Generic_Group" and stakeholder.findtext(NS + "Name") == "jobparate-ledige"
    admin = root.find(NS + "AdministrativeInformation")
    assert admin.findtext(NS + "StartDate") == "2019-01-01" and admin.findtext(NS + "EndDate") == "2022-12-31"


def test_english_is_chosen_where_the_plan_has_it():
    path = DATA / "koebenhavn" / "integrationshandleplan-2019-22.yaml"
    document = base_iri() + "doc/koebenhavn/integrationshandleplan-2019-22"
    root = ET.fromstring(stratml_xml(load_file(path, DATA).quads, document, "en", short_name))
    assert root.findtext(NS + "Name") == "Integration Action Plan 2019-22"
