"""The ontology (OWL 2 DL, consistent under HermiT, every authoring term declared and documented in
Danish and English) and the SHACL shapes (catch broken data, accept good data, accept the data folder)."""
from __future__ import annotations

import shutil
import warnings
from functools import lru_cache
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.collection import Collection

from ontology import ONTOLOGY_FILE, PG, SHAPES_FILE, authoring_context
from small_graph import GOOD, PREFIXES, WARNING_CASES, good_graph, mutate

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
ONTOLOGY_IRI = URIRef("https://w3id.org/policygraph/ontology")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module globals
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SCHEMA = rdflib.Namespace("http://schema.org/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PGNS = rdflib.Namespace(PG)
ID = rdflib.Namespace("https://w3id.org/policygraph/id/")

ENTITY_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): only these may be used in axioms.
OWL2_DATATYPES = {XSD[n] for n in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
    "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language "
    "Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp").split()} | {
    RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational}
BUILT_IN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo,
                        OWL.deprecated, OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith}


# ----------------------------------------------------------------------------------------- helpers

@lru_cache(maxsize=1)
def ontology_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def fresh_ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in ontology_graph():
        graph.add(triple)
    return graph


def kinds(iri: URIRef) -> set[URIRef]:
    return {k for k in ENTITY_KINDS if (iri, RDF.type, k) in ontology_graph()}


def context_terms() -> dict[str, URIRef]:
    """Each authoring key or type name with the IRI it expands to."""
    context = authoring_context()
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    expanded = {}
    for key, value in context.items():
        if key.startswith("@") or key in prefixes:
            continue
        iri = value["@id"] if isinstance(value, dict) else value
        if iri.startswith("@"):
            continue
        prefix, _, local = iri.partition(":")
        expanded[key] = URIRef(prefixes[prefix] + local) if prefix in prefixes else URIRef(iri)
    return expanded


def validate(data: rdflib.Graph, inference: str = "none") -> rdflib.Graph:
    """Validate data with the ontology mixed in, as the application does; return the report graph."""
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference=inference,
        allow_warnings=True, advanced=False,
    )
    return report


def results(report: rdflib.Graph, severity: URIRef | None = None) -> list[dict]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        found = report.value(result, SH.resultSeverity)
        if severity is not None and found != severity:
            continue
        messages = list(report.objects(result, SH.resultMessage))
        english = [m for m in messages if getattr(m, "language", None) == "en"] or messages
        out.append({
            "severity": found,
            "focus": report.value(result, SH.focusNode),
            "path": report.value(result, SH.resultPath),
            "value": report.value(result, SH.value),
            "shape": report.value(result, SH.sourceShape),
            "message": str(english[0]) if english else "",
        })
    return out


def describe(found: list[dict]) -> str:
    def short(node):
        if node is None:
            return "-"
        text = str(node)
        for long, prefix in ((str(ID), ""), (PG, "pg:"), (str(DCT), "dct:"), (str(PROV), "prov:"), (str(SKOS), "skos:")):
            text = text.replace(long, prefix)
        return text
    return "\n".join(f"  {short(r['focus'])} [{short(r['path'])}] {short(r['value'])}: {r['message']}" for r in found)


# ------------------------------------------------------------------------------ the ontology file

def test_ontology_parses_and_has_a_header():
    graph = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    for prop in (DCT.title, DCT.description):
        languages = {o.language for o in graph.objects(ONTOLOGY_IRI, prop)}
        assert {"da", "en"} <= languages, f"ontology header lacks {prop} in da and en"
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


def test_every_context_term_is_declared():
    missing = []
    for key, iri in context_terms().items():
        if not kinds(iri):
            missing.append(f"{key} -> {iri}")
    assert not missing, "terms of context.jsonld not declared in the ontology:\n" + "\n".join(missing)


def test_context_term_kinds_match_their_use():
    """Links (@id/@vocab) are object properties; texts, numbers and dates are data or annotation
    properties; capitalised type names are classes or (for value lists) named individuals."""
    context = authoring_context()
    wrong = []
    for key, iri in context_terms().items():
        definition = context[key] if isinstance(context[key], dict) else {"@id": context[key]}
        found = kinds(iri)
        if key[:1].isupper():
            if not found & {OWL.Class, OWL.NamedIndividual}:
                wrong.append(f"{key}: expected a class or individual, found {found}")
        elif definition.get("@type") in ("@id", "@vocab"):
            if found != {OWL.ObjectProperty}:
                wrong.append(f"{key}: links to nodes, so should be an object property, found {found}")
        else:
            if len(found & {OWL.DatatypeProperty, OWL.AnnotationProperty}) != 1 or OWL.ObjectProperty in found:
                wrong.append(f"{key}: holds values, so should be a datatype or annotation property, found {found}")
    assert not wrong, "\n".join(wrong)


def test_requested_terms_are_declared():
    """The terms the design brief lists, including the ones the context does not name."""
    classes = ("PolicyDocument Policy Strategy ActionPlan Plan SourceDocument SourceFile Vision Mission FocusArea "
               "Bearing Goal SuccessCriterion Initiative ReservedFund BudgetAllocation StatedTotal TargetGroupSize "
               "Organisation Municipality CityCouncil Committee Administration AdvisoryBody ExternalPartner Decision "
               "ProcessStep Persona Workshop SourcePassage TargetGroup Theme DocumentStatus StepType SizeQualifier").split()
    for name in classes:
        assert OWL.Class in kinds(PGNS[name]), name
    for name in "Draft Adopted Planned Expired Proposed".split():
        assert (PGNS[name], RDF.type, PGNS.DocumentStatus) in ontology_graph()
    for name in "Reading Adoption Hearing Discussion Approval Presentation Deadline".split():
        assert (PGNS[name], RDF.type, PGNS.StepType) in ontology_graph()
    for name in "AtLeast Exactly".split():
        assert (PGNS[name], RDF.type, PGNS.SizeQualifier) in ontology_graph()
    assert (PGNS.coordinatesWith, RDF.type, OWL.SymmetricProperty) in ontology_graph()
    assert (PGNS.initiativeOf, OWL.inverseOf, PGNS.hasInitiative) in ontology_graph() or \
        (PGNS.hasInitiative, OWL.inverseOf, PGNS.initiativeOf) in ontology_graph()


def test_standard_alignments():
    graph = ontology_graph()
    expected = [
        (PGNS.Municipality, RDFS.subClassOf, ORG.FormalOrganization),
        (PGNS.Committee, RDFS.subClassOf, ORG.OrganizationalUnit),
        (PGNS.Administration, RDFS.subClassOf, ORG.OrganizationalUnit),
        (PGNS.CityCouncil, RDFS.subClassOf, ORG.OrganizationalUnit),
        (PGNS.AdvisoryBody, RDFS.subClassOf, ORG.OrganizationalUnit),
        (PGNS.ExternalPartner, RDFS.subClassOf, ORG.Organization),
        (PGNS.TargetGroup, RDFS.subClassOf, SKOS.Concept),
        (PGNS.Theme, RDFS.subClassOf, SKOS.Concept),
        (PGNS.ProcessStep, RDFS.subClassOf, PROV.Activity),
        (PGNS.Decision, RDFS.subClassOf, PROV.Activity),
        (PGNS.SourcePassage, RDFS.subClassOf, PROV.Entity),
        (PGNS.PolicyDocument, RDFS.subClassOf, PROV.Entity),
        (PGNS.BudgetAllocation, RDFS.subClassOf, SCHEMA.MonetaryAmount),
        (PGNS.StatedTotal, RDFS.subClassOf, SCHEMA.MonetaryAmount),
        (PGNS.implements, RDFS.subPropertyOf, DCT.relation),
        (PGNS.coordinatesWith, RDFS.subPropertyOf, DCT.relation),
    ]
    missing = [t for t in expected if t not in graph]
    assert not missing, missing
    for document in ("Policy", "Strategy", "ActionPlan", "Plan"):
        assert (PGNS[document], RDFS.subClassOf, PGNS.PolicyDocument) in graph
    stratml = [c for c in graph.subjects(RDF.type, OWL.Class)
               if any("StratML" in str(n) for n in graph.objects(c, SKOS.scopeNote))]
    assert {PGNS.FocusArea, PGNS.Bearing, PGNS.Goal, PGNS.SuccessCriterion, PGNS.BudgetAllocation,
            PGNS.TargetGroup} <= set(stratml)


def pg_entities() -> list[URIRef]:
    graph = ontology_graph()
    return sorted({s for kind in ENTITY_KINDS for s in graph.subjects(RDF.type, kind)
                   if isinstance(s, URIRef) and str(s).startswith(PG)})


def test_every_pg_term_is_labelled_and_defined_in_danish_and_english():
    graph = ontology_graph()
    problems = []
    entities = pg_entities()
    assert len(entities) > 100
    for entity in entities:
        for prop in (RDFS.label, SKOS.definition):
            by_language = {}
            for value in graph.objects(entity, prop):
                by_language.setdefault(value.language, []).append(str(value))
            for language in ("da", "en"):
                if len(by_language.get(language, [])) != 1:
                    problems.append(f"{entity}: needs exactly one {prop} in {language}")
        labels = {str(v).lower() for v in graph.objects(entity, RDFS.label)}
        for definition in graph.objects(entity, SKOS.definition):
            text = str(definition)
            if text.lower() in labels or len(text) < 30 or len(text.split()) < 6:
                problems.append(f"{entity}: the definition {text!r} restates the label instead of defining")
        if (entity, RDFS.isDefinedBy, ONTOLOGY_IRI) not in graph:
            problems.append(f"{entity}: no rdfs:isDefinedBy <{ONTOLOGY_IRI}>")
    assert not problems, "\n".join(problems)


def test_every_pg_iri_used_is_declared():
    graph = ontology_graph()
    used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(PG)}
    undeclared = [str(t) for t in used if not kinds(t)]
    assert not undeclared, undeclared


# ------------------------------------------------------------------------------------ OWL 2 DL

def test_no_punning_between_entity_kinds():
    """OWL 2 DL: an IRI is one kind of entity; the only allowed mix (class + individual) is not used here."""
    graph = ontology_graph()
    iris = {s for kind in ENTITY_KINDS for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    punned = {str(i): sorted(str(k) for k in kinds(i)) for i in iris if len(kinds(i)) > 1}
    assert not punned, punned


def test_classes_are_not_used_as_individuals():
    graph = ontology_graph()
    classes = set(graph.subjects(RDF.type, OWL.Class))
    class_positions = {RDF.type, RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, RDFS.domain, RDFS.range,
                       RDF.first, OWL.someValuesFrom, OWL.allValuesFrom, OWL.onClass, OWL.complementOf}
    misuse = [(s, p, o) for s, p, o in graph if o in classes and p not in class_positions]
    assert not misuse, misuse
    typed_by_class = [(s, o) for s, o in graph.subject_objects(RDF.type)
                      if s in classes and o not in (OWL.Class, RDFS.Class)]
    assert not typed_by_class, typed_by_class


def test_every_property_used_in_the_ontology_is_declared():
    graph = ontology_graph()
    builtin = (str(RDF), str(RDFS), str(OWL))
    undeclared = {p for p in graph.predicates() if not str(p).startswith(builtin) and not kinds(p)}
    assert not undeclared, undeclared
    for subject, prop, value in graph:
        if prop in BUILT_IN_ANNOTATIONS or str(prop).startswith(builtin):
            continue
        if OWL.AnnotationProperty in kinds(prop):
            continue
        raise AssertionError(f"{subject} uses the non-annotation property {prop} in the ontology itself")


def test_datatypes_are_in_the_owl2_datatype_map():
    graph = ontology_graph()
    bad = []
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        for range_ in graph.objects(prop, RDFS.range):
            if range_ not in OWL2_DATATYPES:
                bad.append(f"{prop} has range {range_}, outside the OWL 2 datatype map")
    assert not bad, "\n".join(bad)


def test_object_and_datatype_properties_are_not_mixed_in_hierarchies():
    graph = ontology_graph()
    for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
        assert kinds(sub) & set(PROPERTY_KINDS) == kinds(sup) & set(PROPERTY_KINDS), (sub, sup)


# --------------------------------------------------------------------------------- reasoning

java_missing = pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed; HermiT needs it")


def _load_into_owlready(graph: rdflib.Graph, tmp_path: Path):
    import owlready2

    path = tmp_path / "policygraph.nt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib notes that N-Triples are always UTF-8
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")
    world = owlready2.World()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        onto = world.get_ontology(path.as_uri()).load()
    return owlready2, world, onto, [str(w.message) for w in caught]


@java_missing
def test_owlready2_loads_without_warnings_and_hermit_finds_it_consistent(tmp_path):
    owlready2, world, onto, caught = _load_into_owlready(ontology_graph(), tmp_path)
    assert not caught, caught
    assert onto.search_one(iri=PG + "Initiative") is not None
    try:
        with onto:
            owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as error:  # pragma: no cover - the failure message
        pytest.fail(f"HermiT finds the ontology inconsistent: {error}")
    assert list(world.inconsistent_classes()) == [], "classes equivalent to owl:Nothing"


@java_missing
def test_hermit_really_reasons_disjointness_and_property_chains(tmp_path):
    """Guards the test above against a reasoner that silently does nothing."""
    graph = fresh_ontology()
    plan, area, initiative, clash = ID["t/plan"], ID["t/area"], ID["t/initiative"], ID["t/clash"]
    for node, cls in ((plan, PGNS.ActionPlan), (area, PGNS.FocusArea), (initiative, PGNS.Initiative)):
        graph.add((node, RDF.type, OWL.NamedIndividual))
        graph.add((node, RDF.type, cls))
    graph.add((plan, PGNS.hasFocusArea, area))
    graph.add((area, PGNS.hasInitiative, initiative))
    owlready2, world, onto, _ = _load_into_owlready(graph, tmp_path)
    with onto:
        owlready2.sync_reasoner(world, infer_property_values=True, debug=0)
    found_plan = world[str(plan)]
    assert world[str(initiative)] in getattr(found_plan, "includesInitiative"), "the property chain was not applied"

    clashing = fresh_ontology()
    clashing.add((clash, RDF.type, OWL.NamedIndividual))
    clashing.add((clash, RDF.type, PGNS.Goal))
    clashing.add((clash, RDF.type, PGNS.Initiative))
    owlready2, world, onto, _ = _load_into_owlready(clashing, tmp_path)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        with onto:
            owlready2.sync_reasoner(world, infer_property_values=False, debug=0)


# ------------------------------------------------------------------------------------- shapes

def test_shapes_parse_and_speak_danish_and_english():
    graph = shapes_graph()
    assert len(list(graph.subjects(RDF.type, SH.NodeShape))) > 20
    problems = []
    for subject in set(graph.subjects(SH.message, None)):
        languages = {m.language for m in graph.objects(subject, SH.message)}
        if languages != {"da", "en"}:
            problems.append(f"{subject}: messages in {languages}")
    for shape in set(graph.subjects(SH.severity, None)):
        assert graph.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info)
    # every constraint with a message has a severity on itself or (SPARQL constraints) on its shape
    for subject in set(graph.subjects(SH.message, None)):
        owner = subject
        if (subject, RDF.type, SH.SPARQLConstraint) in graph:
            owner = graph.value(predicate=SH.sparql, object=subject)
        if graph.value(owner, SH.severity) is None:
            problems.append(f"{owner}: no sh:severity")
    assert not problems, "\n".join(problems)


def test_shapes_only_use_terms_the_ontology_declares():
    graph = shapes_graph()
    used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(PG)}
    undeclared = sorted(str(t) for t in used if not kinds(t))
    assert not undeclared, undeclared


def test_disjointness_shapes_cover_the_ontology_axioms():
    """A node typed with two classes the ontology declares disjoint is a SHACL violation too."""
    ontology = ontology_graph()
    internal = {PGNS.DocumentStatus, PGNS.StepType, PGNS.SizeQualifier}  # only the ontology's own individuals
    pairs = set()
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [m for m in Collection(ontology, ontology.value(axiom, OWL.members)) if m not in internal]
        pairs |= {(a, b) for i, a in enumerate(members) for b in members[i + 1:]}
    pairs |= {(a, b) for a, b in ontology.subject_objects(OWL.disjointWith)}
    data = rdflib.Graph()
    nodes = {}
    for n, (a, b) in enumerate(sorted(pairs)):
        node = ID[f"t/clash-{n}"]
        nodes[node] = (a, b)
        data.add((node, RDF.type, a))
        data.add((node, RDF.type, b))
    report = validate(data)
    flagged = {r["focus"] for r in results(report, SH.Violation)
               if r["shape"] is not None and "Disjoint" in str(r["shape"])}
    missed = [nodes[n] for n in nodes if n not in flagged]
    assert not missed, f"disjoint pairs SHACL does not catch: {missed}"


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_good_graph_conforms(inference):
    report = validate(good_graph(), inference)
    assert results(report, SH.Violation) == [], describe(results(report, SH.Violation))
    assert results(report, SH.Warning) == [], describe(results(report, SH.Warning))


BAD_CASES = {
    "budget allocation without year": (":alloc2019 pg:fiscalYear ?y .", "", "/alloc2019", PGNS.fiscalYear),
    "budget allocation without currency": (":alloc2019 schema:currency ?c .", "", "/alloc2019", SCHEMA.currency),
    "budget allocation without unit": (":alloc2019 pg:unitMultiplier ?u .", "", "/alloc2019", PGNS.unitMultiplier),
    "budget allocation without amount": (":alloc2019 schema:value ?v .", "", "/alloc2019", SCHEMA.value),
    "unit multiplier not a power of ten": (":alloc2019 pg:unitMultiplier ?u .",
                                           ":alloc2019 pg:unitMultiplier 1500 .", "/alloc2019", PGNS.unitMultiplier),
    "two allocations for one year": ("", ":indsats pg:hasBudgetAllocation [ pg:fiscalYear \"2019\"^^xsd:gYear ; "
                                     "schema:value 5.0 ; schema:currency \"DKK\" ; pg:unitMultiplier 1000 ] .", "/indsats", None),
    "target group size without group": ("?s pg:targetGroup :tg-unge .", "", None, PGNS.targetGroup),
    "negative target group size": ("?s pg:annualSize ?n .", ":indsats pg:hasTargetGroupSize [ pg:targetGroup :tg-unge ; pg:annualSize -5 ] .",
                                   None, PGNS.annualSize),
    "document without Danish title": (":plan dct:title ?t .", ":plan dct:title \"Test plan\"@en .", "/plan", DCT.title),
    "document with two statuses": ("", ":plan pg:status pg:Planned .", "/plan", PGNS.status),
    "two Danish labels": ("", ":maal skos:prefLabel \"Flere unge i arbejde\"@da .", "/maal", SKOS.prefLabel),
    "label without language": ("", ":maal skos:prefLabel \"Mål\" .", "/maal", SKOS.prefLabel),
    "concept without scheme": (":tg-unge skos:inScheme ?s . :tg-unge skos:topConceptOf ?t .", "", "/tg-unge", SKOS.inScheme),
    "period ends before it starts": (":plan pg:validUntil ?u .", ":plan pg:validUntil \"2017\"^^xsd:gYear .", "/plan", None),
    "evidenceBased not boolean": (":indsats pg:evidenceBased ?e .", ":indsats pg:evidenceBased \"yes\" .",
                                  "/indsats", PGNS.evidenceBased),
    "year not a gYear": (":plan pg:validFrom ?f .", ":plan pg:validFrom \"2019\" .", "/plan", PGNS.validFrom),
    "process step with unknown type": (":trin pg:stepType ?t .", ":trin pg:stepType pg:Adopted .", "/trin", PGNS.stepType),
    "passage without locator": ("?p pg:locator \"side 3\" .", "", None, PGNS.locator),
    "passage in an unknown document": ("", ":maal prov:wasDerivedFrom [ pg:inDocument :unknown-source ; pg:locator \"s. 9\" ] .",
                                       None, PGNS.inDocument),
    "goal without provenance": (":maal prov:wasDerivedFrom ?p . ?p ?x ?y .", "", "/maal", PROV.wasDerivedFrom),
    "organisation without provenance": (":udvalg prov:wasDerivedFrom ?p . ?p ?x ?y .", "", "/udvalg", PROV.wasDerivedFrom),
    "supports points at a target group": ("", ":indsats pg:supports :tg-unge .", "/indsats", PGNS.supports),
    "targetGroups points at a goal": ("", ":indsats dct:audience :maal .", "/indsats", DCT.audience),
    "responsible points at a concept": ("", ":maal pg:responsibleBody :tg-unge .", "/maal", PGNS.responsibleBody),
    "implements points at an initiative": ("", ":plan pg:implements :indsats .", "/plan", PGNS.implements),
    "dangling reference": ("", ":plan pg:coordinatesWith :not-described .", "/plan", PGNS.coordinatesWith),
    "goal that is also an initiative": ("", ":maal a pg:Initiative .", "/maal", None),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_broken_data_is_a_violation(case):
    delete, insert, focus, path = BAD_CASES[case]
    report = validate(mutate(delete, insert))
    violations = results(report, SH.Violation)
    matching = [r for r in violations
                if (focus is None or str(r["focus"]).endswith(focus)) and (path is None or r["path"] == path)]
    assert matching, f"{case}: no matching violation; got\n{describe(violations)}"


@pytest.mark.parametrize("case", sorted(WARNING_CASES))
def test_incompleteness_is_a_warning_not_a_violation(case):
    delete, insert, focus = WARNING_CASES[case]
    report = validate(mutate(delete, insert))
    assert results(report, SH.Violation) == [], describe(results(report, SH.Violation))
    assert any(str(r["focus"]).endswith(focus) for r in results(report, SH.Warning)), \
        f"{case}: no warning on {focus}; got\n{describe(results(report, SH.Warning))}"


def test_facts_split_over_two_files_are_judged_together():
    """A second file may state only a status about a document titled in the first one."""
    first = rdflib.Graph().parse(data=GOOD, format="turtle")
    first.update(PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + "DELETE WHERE { :plan pg:status ?s }")
    second = rdflib.Graph().parse(data=PREFIXES + ":plan pg:status pg:Adopted .", format="turtle")
    assert results(validate(second), SH.Violation) == []
    assert results(validate(first + second), SH.Violation) == []


# ---------------------------------------------------------------------------------- the data folder

@lru_cache(maxsize=1)
def data_graph() -> rdflib.Graph:
    from loaders import load_paths

    graph = rdflib.Graph()
    lines = []
    for loaded in load_paths([DATA_DIR]):
        lines += [f"{q.subject} {q.predicate} {q.object} ." for q in loaded.quads]
    graph.parse(data="\n".join(lines), format="nt")
    return graph


def test_data_uses_only_declared_terms_of_the_right_kind():
    """OWL 2 DL on the data side: every predicate is a declared property of a kind that fits its values,
    every type is a declared class, and no ontology class or property appears as a data node."""
    data = data_graph()
    assert len(data) > 0
    problems = set()
    entities = {s for kind in ENTITY_KINDS for s in ontology_graph().subjects(RDF.type, kind)}
    for subject, prop, value in data:
        if prop == RDF.type:
            if OWL.Class not in kinds(value):
                problems.add(f"type {value} is not a declared class")
            continue
        found = kinds(prop)
        if not found & set(PROPERTY_KINDS):
            problems.add(f"property {prop} is not declared")
        elif OWL.ObjectProperty in found and isinstance(value, Literal):
            problems.add(f"object property {prop} has the literal value {value!r}")
        elif OWL.DatatypeProperty in found and not isinstance(value, Literal):
            problems.add(f"datatype property {prop} points at the node {value}")
        if subject in entities:
            problems.add(f"{subject} is an ontology term used as data")
    assert not problems, "\n".join(sorted(problems))


@java_missing
def test_data_folder_and_ontology_are_consistent_under_hermit(tmp_path):
    """OWL reasoning over the data: no node is of two disjoint kinds, no functional property has two
    different values (e.g. two step types). Years and dates (xsd:gYear, xsd:date) are outside the
    OWL 2 datatype map, so HermiT is told to ignore those values rather than reject them."""
    owlready2, world, onto, caught = _load_into_owlready(data_graph() + ontology_graph(), tmp_path)
    assert not caught, caught
    try:
        with onto:
            owlready2.sync_reasoner(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError as error:  # pragma: no cover - the failure message
        pytest.fail(f"HermiT finds data/ + ontology inconsistent: {error}")
    assert list(world.inconsistent_classes()) == []


def test_data_folder_conforms_to_the_shapes():
    """The union of every data file, with the ontology: no violations (warnings are findings)."""
    data = data_graph() + ontology_graph()
    report = validate(data)
    violations = results(report, SH.Violation)
    assert not violations, f"{len(violations)} violations in data/:\n" + describe(violations)
