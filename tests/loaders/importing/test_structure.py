"""Levels from headings, numbering and level words (loaders/importing/structure.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from loaders.importing.matching import Catalogue, Known
from loaders.importing.reading import Block, Outline, Place
from loaders.importing.structure import find_structure, period, plan_kind


def outline(*blocks: tuple[str, int, str]) -> Outline:
    return Outline(Path("plan.docx"), [Block(kind, text, Place(paragraph=number), level)
                                       for number, (kind, level, text) in enumerate(blocks, start=1)])


CATALOGUE = Catalogue([Known("theme/beskaeftigelse", "theme", ("Beskæftigelse",), "Beskæftigelse")])


def test_level_words_numbering_and_lists():
    plan = find_structure(outline(
        ("heading", 0, "Integrationsstrategi 2016-2018"),
        ("heading", 2, "Mission"), ("paragraph", 0, "Vi åbner døre. Mere tekst."),
        ("heading", 2, "Målsætninger"), ("paragraph", 0, "I 2018 skal kommunen:"),
        ("item", 0, "have øget antallet i job."), ("item", 0, "være en attraktiv partner."),
        ("heading", 1, "1. Kerneområde - Beskæftigelse og uddannelse"), ("paragraph", 0, "En aktiv medborger."),
        ("heading", 2, "1.1 Styrket kontakt til erhvervslivet"), ("paragraph", 0, "Et styrket samarbejde."),
        ("heading", 2, "Indsats: Jobbro"),
        ("heading", 1, "Baggrund"), ("paragraph", 0, "Tekst uden for planens dele."),
    ), CATALOGUE)
    assert (plan.title, plan.kind, plan.valid_from, plan.valid_until) == (
        "Integrationsstrategi 2016-2018", "Strategy", 2016, 2018)
    assert plan.levels == ["målsætning", "kerneområde", "indsats"]
    mission, goal_1, goal_2, core = plan.nodes
    assert (mission.kind, mission.label) == ("Mission", "Vi åbner døre")
    assert [(g.kind, g.label, g.deadline.year, g.term) for g in (goal_1, goal_2)] == [
        ("Goal", "have øget antallet i job", 2018, "målsætning"),
        ("Goal", "være en attraktiv partner", 2018, "målsætning")]
    assert (core.kind, core.notation, core.label, core.term) == ("FocusArea", "1", "Beskæftigelse og uddannelse",
                                                                 "kerneområde")
    assert core.description == "En aktiv medborger." and [t.id for t in core.themes] == ["theme/beskaeftigelse"]
    point, initiative = core.children
    assert (point.kind, point.notation, point.label, point.term) == ("FocusArea", "1.1",
                                                                    "Styrket kontakt til erhvervslivet", "")
    assert point.found.confidence < 0.7 and point.found.why.text("en").startswith("numbered 1.1")
    assert (initiative.kind, initiative.label) == ("Initiative", "Jobbro")
    assert [text for _place, text in plan.unplaced] == ["Tekst uden for planens dele."]


def test_a_success_criteria_list_under_a_goal_belongs_to_it():
    plan = find_structure(outline(
        ("heading", 0, "Handleplan 2020"), ("heading", 1, "Mål 1: Flere i job"),
        ("heading", 2, "Succeskriterier"), ("paragraph", 0, "Ved udgangen af 2021:"), ("item", 0, "500 flere i job"),
    ), CATALOGUE)
    goal, = plan.nodes
    criterion, = goal.children
    assert (goal.kind, goal.label, criterion.kind, criterion.label, criterion.deadline.date) == (
        "Goal", "Flere i job", "SuccessCriterion", "500 flere i job", dt.date(2021, 12, 31))


def test_plan_kinds_and_periods():
    assert [plan_kind(t) for t in ("Integrationshandleplan 2019-22", "Integrationspolitik", "Strategi", "Notat")] == [
        "ActionPlan", "Policy", "Strategy", "Plan"]
    assert period("Integrationshandleplan 2019-22") == (2019, 2022)
    assert period("Strategi 2016–2018") == (2016, 2018) and period("Notat") == (None, None)


def test_bodies_named_in_the_text_with_their_first_place():
    catalogue = Catalogue([Known("org/x/biu", "org", ("Beskæftigelses- og Integrationsudvalget", "BIU"), "BIU"),
                           Known("org/y/biu", "org", ("BIU",), "BIU")])
    plan = find_structure(outline(("heading", 0, "Handleplan"), ("heading", 1, "Mål 1: Job"),
                                  ("paragraph", 0, "BIU vedtager planen."),
                                  ("paragraph", 0, "Beskæftigelses- og Integrationsudvalget følger op.")),
                          catalogue, "org/x/")
    (match, place), = plan.bodies
    assert (match.id, place.paragraph) == ("org/x/biu", 3)


def test_a_mission_or_vision_run_into_one_paragraph():
    plan = find_structure(outline(("heading", 0, "Strategi"), ("paragraph", 0, "Vision: Alle er en del af byen. Mere."),
                                  ("paragraph", 0, "Visionen er lang og uden kolon")), CATALOGUE)
    vision, = plan.nodes
    assert (vision.kind, vision.label, vision.found.confidence) == ("Vision", "Alle er en del af byen", 0.8)
    assert [text for _place, text in plan.unplaced] == ["Visionen er lang og uden kolon"]


def test_a_list_of_funded_focus_areas_gives_initiatives_with_a_budget_per_year_of_the_plan():
    plan = find_structure(outline(
        ("heading", 0, "Handleplan 2017-2018"),
        ("paragraph", 0, "Handleplanen 11 mio. kr. årligt"),
        ("heading", 1, "Fokusområder i den nuværende handleplan"),
        ("item", 0, "1. Job via partnerskaber 4,5 mio. kr. årligt"),
        ("item", 0, "2. Uden beløb"),
    ), CATALOGUE)
    funded, plain = plan.all_nodes()
    assert (funded.kind, funded.term, funded.notation, funded.label) == ("Initiative", "fokusområde", "1",
                                                                          "Job via partnerskaber")
    assert [(b.year, b.kroner()) for b in funded.budget] == [(2017, 4_500_000), (2018, 4_500_000)]
    assert (plain.kind, plain.label, plain.budget) == ("FocusArea", "2. Uden beløb", [])
    assert [(t.year, t.amount * t.unit.multiplier, t.per_year) for t in plan.totals] == \
        [(2017, 11_000_000, True), (2018, 11_000_000, True)]


def test_a_yearly_amount_without_the_plans_years_is_not_spread_over_guessed_years():
    plan = find_structure(outline(
        ("heading", 0, "Handleplan"), ("paragraph", 0, "Handleplanen 11 mio. kr. årligt"),
        ("heading", 1, "Fokusområder"), ("item", 0, "1. Job via partnerskaber 4,5 mio. kr. årligt"),
    ), CATALOGUE)
    assert [(n.kind, n.budget) for n in plan.all_nodes()] == [("FocusArea", [])]
    assert plan.totals == []
