"""graph/workshop/briefing.py on the example graph: what the seed YAML of data/koebenhavn says about
the Employment and Integration Committee (BIU) and its administration (BIF)."""
from __future__ import annotations

from decimal import Decimal

import graph.workshop.briefing as briefing_module
from graph.workshop.briefing import briefing

PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"
POLICY = "doc/koebenhavn/integrationspolitik-2019-22"
RACISM = "doc/koebenhavn/handleplan-racisme-og-diskrimination"


def biu(store, lang="da", plans=(PLAN, POLICY)):
    return briefing(store, lang, "org/koebenhavn/biu", list(plans), "org/koebenhavn", "Jeres erfaringer med fritidsjob")


def test_the_committee_that_adopted_the_action_plan_gets_its_initiatives_and_budgets(example_store):
    """integrationshandleplan-2019-22.yaml: `adoptedBy: org/koebenhavn/biu`; Fritidsjob
    `{year: 2019, amount: 1600, currency: DKK, unitMultiplier: 1000, perYear: true}` (and the same for
    2020-2022), `targetGroups: [tg/minoritetsunge, tg/nyankomne-unge-flygtninge]`."""
    found = biu(example_store)
    assert found.body_label == "Beskæftigelses- og Integrationsudvalget"
    [part] = found.plans
    assert part.label == "Integrationshandleplan 2019-22" and part.roles == ["vedtaget af"]
    initiatives = {i.label: i for i in part.initiatives}
    fritidsjob = initiatives["Fritidsjob"]
    assert fritidsjob.budget == [(year, Decimal(1_600_000)) for year in (2019, 2020, 2021, 2022)]
    assert "Nyankomne unge flygtninge" in fritidsjob.target_groups
    # "BIU's pulje reserveret til at iværksætte nye indsatser 0 0 600 1.000", `responsible: org/koebenhavn/biu`
    pool = initiatives["BIU's pulje reserveret til at iværksætte nye indsatser"]
    assert pool.budget == [(2019, 0), (2020, 0), (2021, Decimal(600_000)), (2022, Decimal(1_000_000))]
    assert part.budget_years() == [2019, 2020, 2021, 2022] and not part.initiatives_cut


def test_goals_are_the_plans_focus_areas_under_their_bearings(example_store):
    """`label: {da: "Jobparate ledige"}`, `documentTerm: {da: fokusområde}`,
    `underBearing: .../pejlemaerke-1-job` ("Pejlemærke 1: Job")."""
    goals = {g.label: g for g in biu(example_store).plans[0].goals}
    assert goals["Jobparate ledige"].kind == "fokusområde" and goals["Jobparate ledige"].under == "Job"
    assert "Unge i uddannelse" in goals


def test_a_plan_adopted_by_the_city_council_is_listed_apart(example_store):
    """integrationspolitik-2019-22.yaml: `adoptedBy: org/koebenhavn/br`, and no initiative of BIU's."""
    assert biu(example_store).plans_not_concerning == ["Københavns Kommunes Integrationspolitik 2019-22"]


def test_the_administration_that_prepared_a_plan_gets_it(example_store):
    """handleplan-racisme-og-diskrimination.yaml: `preparedBy: org/koebenhavn/bif`."""
    found = briefing(example_store, "da", "org/koebenhavn/bif", [RACISM], "org/koebenhavn")
    assert [(p.label, p.roles) for p in found.plans] == [("Handleplan mod racisme og diskrimination", ["udarbejdet af"])]
    assert biu(example_store, plans=[RACISM]).plans == []


def test_overlaps_touching_the_committees_initiatives_are_kept(example_store):
    """The overlapping-initiatives question pairs the plan's 'Helhedsorienteret forebyggelse af social
    kontrol' with BIF's 'Indsats til tidlig forebyggelse af social kontrol blandt børn og unge'
    (handleplan-social-kontrol.yaml, `themes: [theme/social-kontrol]`)."""
    found = biu(example_store)
    overlaps = [f for f in found.findings if f.kind == "overlap"]
    assert any("Helhedsorienteret forebyggelse af social kontrol" in f.cells
               and "Indsats til tidlig forebyggelse af social kontrol blandt børn og unge" in f.cells for f in overlaps)
    assert found.asked_to_bring == "Jeres erfaringer med fritidsjob"


def test_a_cut_list_says_so(example_store, monkeypatch):
    monkeypatch.setattr(briefing_module, "MAX_INITIATIVES", 3)
    monkeypatch.setattr(briefing_module, "MAX_GOALS", 2)
    part = biu(example_store).plans[0]
    assert len(part.initiatives) == 3 and part.initiatives_cut
    assert len(part.goals) == 2 and part.goals_cut


def test_english_labels(example_store):
    found = biu(example_store, "en")
    assert found.body_label == "Employment and Integration Committee"
    assert "Leisure-time jobs" in {i.label for i in found.plans[0].initiatives}
