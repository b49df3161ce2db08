"""Faithfulness: the bundled example graph says what the seed texts say (each test quotes its passage)."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rapidfuzz import fuzz, process


DATA = Path(__file__).resolve().parents[1] / "data"
ID = "https://w3id.org/policygraph/id/"
PLAN_2019 = "doc/koebenhavn/integrationshandleplan-2019-22"
PLAN_2017 = "doc/koebenhavn/integrationshandleplan-2017-18"


@pytest.fixture
def store(example_store):
    return example_store


def ask(store, sparql: str, **bindings) -> list[dict]:
    return [{k: (v.value if v is not None else None) for k, v in zip([x.value for x in rows.variables], row)}
            for rows in [store.query(sparql, bindings)] for row in rows]


def iri(relative: str) -> str:
    return ID + relative


def test_plan_2019_22_every_initiative_budget_matches_the_annex_table(store):
    """Annex table 1 (seed 004), amounts in 1.000 kr.; blank cells are no allocation."""
    expected = {
        "haandholdt-og-kontinuerlig-virksomhedsindsats": [3300, 3300, 3300, 3300],
        "haandholdt-virksomhedsindsats-med-helbredsmaessig-gennemgang": [2500, 2900, 2500, 2500],
        "barselsgruppe-med-fokus-paa-job-og-uddannelse": [600, 600, None, None],
        "virksomhedsindsats-mod-ubevidst-diskrimination": [800, 800, 800, 800],
        "flere-laerepladser": [800, 800, 800, 800],
        "fritidsjob": [1600, 1600, 1600, 1600],
        "helhedsorienteret-forebyggelse-af-social-kontrol": [1000, 1000, 1000, 1000],
        "survey-om-medborgerskab": [400, 0, 400, 0],
        "biu-pulje-til-nye-indsatser": [0, 0, 600, 1000],
    }
    rows = ask(store, """SELECT ?line ?year ?amount ?mult WHERE {
        ?line pg:hasBudgetAllocation ?a . ?a pg:fiscalYear ?year ; schema:value ?amount ; pg:unitMultiplier ?mult .
        FILTER(STRSTARTS(STR(?line), ?prefix)) }""", prefix=iri(PLAN_2019 + "/"))
    found: dict[str, list] = {}
    for row in rows:
        assert row["mult"] == "1000"
        slot = found.setdefault(row["line"].rsplit("/", 1)[1], [None] * 4)
        slot[int(row["year"]) - 2019] = Decimal(row["amount"])
    assert found == {k: [Decimal(v) if v is not None else None for v in vs] for k, vs in expected.items()}


def test_plan_2019_22_stated_totals_add_up(store):
    """'I alt 7.200 7.600 6.600 6.600', '2.400' x4, '1.000' x4 and the grand total '11.000' x4 (seed 004)."""
    rows = ask(store, """SELECT ?scope ?year ?amount WHERE {
        ?plan pg:hasStatedTotal ?t . ?t pg:totalFor ?scope ; pg:fiscalYear ?year ; schema:value ?amount }""",
               plan=ox.NamedNode(iri(PLAN_2019)))
    totals = {(r["scope"].rsplit("/", 1)[1], int(r["year"])): Decimal(r["amount"]) for r in rows}
    for year, job in zip(range(2019, 2023), [7200, 7600, 6600, 6600]):
        assert totals[("pejlemaerke-1-job", year)] == job
        assert totals[("pejlemaerke-2-uddannelse", year)] == 2400
        assert totals[("pejlemaerke-3-integration-i-samfundet-generelt", year)] == 1000
        assert totals[("integrationshandleplan-2019-22", year)] == 11000
    per_year = ask(store, """SELECT ?year (SUM(?amount) AS ?sum) WHERE {
        ?line pg:hasBudgetAllocation [ pg:fiscalYear ?year ; schema:value ?amount ]
        FILTER(STRSTARTS(STR(?line), ?prefix)) } GROUP BY ?year""", prefix=iri(PLAN_2019 + "/"))
    assert {int(r["year"]): Decimal(r["sum"]) for r in per_year} == {y: 11000 for y in range(2019, 2023)}


def test_plan_2019_22_target_group_sizes_and_evidence_stars(store):
    """'Min. 350 jobparate', 'Min. 135 udsatte', 'Min. 30 kvinder', 'Min. 30 virksomheder', '60 unge',
    '110 unge i fritidsjob', '1.500 borgere'; every initiative in the table carries the star (seed 004)."""
    rows = ask(store, """SELECT ?i ?size ?evidence WHERE {
        ?i a pg:Initiative ; pg:hasTargetGroupSize/pg:annualSize ?size . OPTIONAL { ?i pg:evidenceBased ?evidence }
        FILTER(STRSTARTS(STR(?i), ?prefix)) }""", prefix=iri(PLAN_2019 + "/"))
    assert sorted(int(r["size"]) for r in rows) == [30, 30, 60, 110, 135, 350, 1500]
    assert all(r["evidence"] == "true" for r in rows)


def test_social_control_initiative_continues_the_2017_18_one(store):
    """'viderefører denne indsats "Bekæmpelse af social kontrol" fra Integrationshandleplan 2017-18' (seed 004)."""
    rows = ask(store, "SELECT ?old WHERE { ?new pg:continues ?old }",
               new=ox.NamedNode(iri(PLAN_2019 + "/helhedsorienteret-forebyggelse-af-social-kontrol")))
    assert [r["old"] for r in rows] == [iri(PLAN_2017 + "/bekaempelse-af-social-kontrol")]


def test_plan_2017_18_five_focus_areas_sum_to_11_million(store):
    """'4.5 mio. kr. arligt', '3 mio.', '2 mio.', '0,9 mio.', '0,6 mio.'; 'Integrationshandleplanen 11 mio. kr. arligt' (seed 000)."""
    rows = ask(store, """SELECT ?i ?amount WHERE { ?plan pg:hasInitiative ?i .
        ?i pg:hasBudgetAllocation [ pg:fiscalYear "2017"^^xsd:gYear ; schema:value ?amount ; pg:unitMultiplier 1000000 ] }""",
               plan=ox.NamedNode(iri(PLAN_2017)))
    assert sorted(Decimal(r["amount"]) for r in rows) == [Decimal("0.6"), Decimal("0.9"), 2, 3, Decimal("4.5")]
    assert sum(Decimal(r["amount"]) for r in rows) == 11


def test_coming_policy_and_its_four_action_plans(store):
    """Seed 001: the racism plan is mandated by BR's member proposal of 16 December 2021 and 'koordineres med
    ... LGBTI+ politik 2019-23 og Restaurations- og Nattelivsplan 2021'; 'Den nuværende handleplan udløb med
    2021'; 'Finansiering af forvaltningens indsats udløber med udgangen af 2022'; 'Barnets Lov 1. april 2023'."""
    plans = ask(store, "SELECT ?p WHERE { ?p a pg:ActionPlan ; pg:status pg:Planned }")
    assert {r["p"].rsplit("/", 1)[1] for r in plans} >= {
        "handleplan-integration-kommende", "handleplan-racisme-og-diskrimination", "handleplan-ekstremisme",
        "handleplan-social-kontrol"}
    mandate = ask(store, """SELECT ?date ?by WHERE { ?plan pg:mandatedBy ?d . ?d pg:decisionDate ?date ; pg:decidedBy ?by }""",
                  plan=ox.NamedNode(iri("doc/koebenhavn/handleplan-racisme-og-diskrimination")))
    assert mandate == [{"date": "2021-12-16", "by": iri("org/koebenhavn/br")}]
    coordinated = ask(store, "SELECT ?other WHERE { ?plan pg:coordinatesWith ?other }",
                      plan=ox.NamedNode(iri("doc/koebenhavn/handleplan-racisme-og-diskrimination")))
    assert {r["other"] for r in coordinated} == {iri("doc/koebenhavn/lgbti-politik-2019-23"),
                                                 iri("doc/koebenhavn/restaurations-og-nattelivsplan-2021")}
    expired = ask(store, "SELECT ?until WHERE { ?new dct:replaces ?old . ?old pg:validUntil ?until }",
                  new=ox.NamedNode(iri("doc/koebenhavn/handleplan-ekstremisme")))
    assert expired == [{"until": "2021"}]
    funding = ask(store, "SELECT ?i ?y WHERE { ?i pg:fundingUntil ?y }")
    assert {"i": iri("initiative/koebenhavn/tidlig-forebyggelse-af-social-kontrol"), "y": "2022"} in funding
    laws = ask(store, "SELECT ?law WHERE { ?p pg:legalBasis ?law }",
               p=ox.NamedNode(iri("doc/koebenhavn/handleplan-social-kontrol")))
    assert laws == [{"law": iri("law/barnets-lov")}]


def test_inclusion_policy_2011_14(store):
    """Seed 003: adopted by BR on 16 December 2010; four indsatsområder; revised plans due 16 May 2011."""
    policy = ox.NamedNode(iri("doc/koebenhavn/inklusionspolitik-2011-14"))
    assert ask(store, "SELECT ?d ?by WHERE { ?p dct:dateAccepted ?d ; pg:adoptedBy ?by }", p=policy) == [
        {"d": "2010-12-16", "by": iri("org/koebenhavn/br")}]
    areas = ask(store, "SELECT ?l WHERE { ?p pg:hasFocusArea/skos:prefLabel ?l FILTER(LANG(?l) = 'da') }", p=policy)
    names = sorted(r["l"] for r in areas)
    assert len(names) == 4
    assert any("god start på livet" in n for n in names) and any("arbejdsmarkedet" in n for n in names)
    assert any("udsatte grupper" in n for n in names) and any("storby" in n for n in names)
    assert ask(store, "SELECT ?due WHERE { ?x pg:implements ?p ; pg:dueDate ?due }", p=policy) == [{"due": "2011-05-16"}]


def test_policy_calendar_of_the_2019_22_policy(store):
    """Slide 3 (seed 000): '12. november: BIU behandler politikken', '13. december: BR behandler politikken'."""
    rows = ask(store, """SELECT ?by ?date WHERE { ?step a pg:ProcessStep ; prov:used ?doc ; prov:wasAssociatedWith ?by ; pg:date ?date }""",
               doc=ox.NamedNode(iri("doc/koebenhavn/integrationspolitik-2019-22")))
    steps = {(r["by"].rsplit("/", 1)[1], r["date"]) for r in rows}
    assert {("biu", "2018-11-12"), ("br", "2018-12-13"), ("oeu", "2018-12-04")} <= steps


def test_workshop_personas(store):
    """'1) Moren Amina og bedstemoren Mariam, 2) Faren Yousef, 3) Sønnen Malik og datteren Fatima' (seed 000)."""
    rows = ask(store, "SELECT ?l WHERE { ?w pg:hasPersona/skos:prefLabel ?l FILTER(LANG(?l) = 'da') }")
    text = " ".join(r["l"] for r in rows)
    for name in ("Amina", "Mariam", "Yousef", "Malik", "Fatima"):
        assert name in text


def test_silkeborg_strategy(store):
    """Seed 002: 'Mission Vi åbner døre til nye muligheder'; five kerneområder with focus points 1.1 ... 5.1."""
    strategy = ox.NamedNode(iri("doc/silkeborg/integrationsstrategi-2016-18"))
    mission = ask(store, "SELECT ?l WHERE { ?s pg:hasMission/skos:prefLabel ?l FILTER(LANG(?l) = 'da') }", s=strategy)
    assert mission[0]["l"].startswith("Vi åbner døre til nye muligheder")
    cores = ask(store, "SELECT ?n WHERE { ?s pg:hasFocusArea/skos:notation ?n }", s=strategy)
    assert sorted(r["n"] for r in cores) == ["1", "2", "3", "4", "5"]
    points = ask(store, "SELECT ?n WHERE { ?s pg:hasFocusArea/pg:hasFocusArea/skos:notation ?n }", s=strategy)
    assert sorted(r["n"] for r in points) == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "5.1"]
    goals = ask(store, "SELECT ?g WHERE { ?s pg:hasGoal ?g }", s=strategy)
    criteria = ask(store, "SELECT DISTINCT ?c WHERE { ?s (pg:hasGoal/pg:hasSuccessCriterion)|pg:hasSuccessCriterion ?c }", s=strategy)
    assert len(goals) == 3 and len(criteria) == 5


def test_catalogue_of_other_municipalities(store):
    """Seed 002 listing: 'Godkendt af Byrådet den 14. maj 2001' (Ringsted); 'Vedtaget af Skive Byråd den 21. juni 2011'."""
    municipalities = ask(store, "SELECT DISTINCT ?m WHERE { ?d pg:municipality ?m }")
    assert len(municipalities) >= 40
    adopted = {(r["m"].rsplit("/", 1)[1], r["d"]) for r in ask(
        store, "SELECT ?m ?d WHERE { ?doc pg:municipality ?m ; dct:dateAccepted ?d }")}
    assert {("ringsted", "2001-05-14"), ("skive", "2011-06-21")} <= adopted


MAIN_CLASSES = ["Policy", "Strategy", "ActionPlan", "Plan", "FocusArea", "Goal", "SuccessCriterion", "Initiative",
                "Committee", "Administration", "AdvisoryBody", "Decision", "ProcessStep", "Persona"]


@pytest.mark.parametrize("cls", MAIN_CLASSES)
def test_every_fact_bearing_node_points_to_its_source_and_place(store, cls):
    missing = ask(store, f"""SELECT ?x WHERE {{ ?x a pg:{cls} FILTER NOT EXISTS {{
        ?x prov:wasDerivedFrom [ pg:inDocument ?doc ; pg:locator ?at ] . ?doc pg:fileName ?f }} }}""")
    assert missing == []


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _quote_found(quote: str, source: str, words: set[str]) -> bool:
    """A quote may skip table cells ('...') and slides are OCR'd out of reading order: each fragment must
    match a passage closely, or nearly all of its words must occur in the document."""
    fragments = [_normalise(f) for f in re.split(r"\.\.\.|…", re.sub(r"\[[^\]]*\]", " ", quote))]
    fragments = [f for f in fragments if f]
    if all(fuzz.partial_ratio(f, source) >= 80 for f in fragments):
        return True
    quoted = [w for f in fragments for w in f.split()]
    found = [w in words or (process.extractOne(w, words, scorer=fuzz.ratio) or ("", 0))[1] >= 75 for w in quoted]
    return bool(quoted) and sum(found) / len(quoted) >= 0.85


def test_quotes_are_found_in_the_source_documents(store):
    """OCR noise aside, each quote is a passage of the document it cites."""
    sources = {}
    for r in ask(store, "SELECT ?doc ?file WHERE { ?doc a pg:SourceDocument ; pg:fileName ?file }"):
        text = re.sub(r"<[^>]+>", " ", (DATA / "sources" / r["file"]).read_text(encoding="utf-8"))
        sources[r["doc"]] = _normalise(text)
    words = {doc: set(text.split()) for doc, text in sources.items()}
    rows = ask(store, "SELECT ?doc ?quote WHERE { ?p pg:inDocument ?doc ; pg:quotation ?quote }")
    assert len(rows) > 200
    poor = [(r["doc"], r["quote"]) for r in rows if not _quote_found(r["quote"], sources[r["doc"]], words[r["doc"]])]
    assert poor == []


def test_derived_municipality_and_reached_groups_of_an_initiative(store):
    """'Min. 350 jobparate med løbende optag' (seed 004): job-ready unemployed are unemployed, in Copenhagen."""
    initiative = ox.NamedNode(iri(PLAN_2019 + "/haandholdt-og-kontinuerlig-virksomhedsindsats"))
    assert ask(store, "SELECT ?m WHERE { ?i pg:inMunicipality ?m }", i=initiative) == [{"m": iri("org/koebenhavn")}]
    reached = {r["g"] for r in ask(store, "SELECT ?g WHERE { ?i pg:reachesTargetGroup ?g }", i=initiative)}
    assert {iri("tg/jobparate-ledige"), iri("tg/ledige"), iri("tg/borgere")} <= reached
