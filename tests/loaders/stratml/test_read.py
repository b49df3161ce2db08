"""StratML import: a published sample plan becomes a draft that reads as the authoring format, and
hostile or malformed XML is refused with one line naming the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import LoadError, load_file
from loaders.stratml.read import stratml_draft
from ontology import DCT, PG, RDF, SKOS, base_iri

SAMPLE = Path(__file__).parent / "fixtures" / "oecd-ai-policy-observatory.xml"
PART1 = """<?xml version="1.0"?>
<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core">
  <Name>Plan for grøn omstilling</Name><Description>Kort</Description>
  <StrategicPlanCore>
    <Vision><Description>Et grønt Danmark</Description></Vision>
    <Goal><Name>Mindre CO2</Name><Description/><SequenceIndicator>1</SequenceIndicator>
      <Objective><Name>Flere cykelstier</Name></Objective><Objective><Name>Flere cykelstier</Name></Objective>
    </Goal>
  </StrategicPlanCore>
  <AdministrativeInformation><StartDate>2024-01-01</StartDate><EndDate>2027-12-31</EndDate></AdministrativeInformation>
</StrategicPlan>"""


def load_draft(tmp_path: Path, text: str):
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    return load_file(path, tmp_path).quads


def test_a_published_sample_plan_imports_to_a_draft_that_loads(tmp_path: Path):
    draft = stratml_draft(SAMPLE, SAMPLE.read_bytes(), "en")
    assert draft.warnings  # the sample breaks its schema in places: read anyway, said in the draft
    quads = load_draft(tmp_path, draft.text)
    titles = {q.object.value for q in quads if q.predicate.value == DCT + "title"}
    assert "About OECD.AI" in titles
    areas = {q.subject.value for q in quads if q.predicate.value == RDF + "type" and q.object.value == PG + "FocusArea"}
    labels = {q.object.value for q in quads if q.predicate.value == SKOS + "prefLabel" and q.subject.value in areas}
    assert labels == {"Multidisciplinarity", "Analysis", "Partnerships"}
    notes = " ".join(q.object.value for q in quads if q.predicate.value == SKOS + "note")
    assert "Stakeholder: Governments (Generic_Group)." in notes
    # its Objectives are empty placeholders (no name, no description): no goal is made of them
    assert not [q for q in quads if q.predicate.value == RDF + "type" and q.object.value == PG + "Goal"]
    assert draft.document == "doc/stratml/about-oecd-ai"


def test_a_part1_plan_keeps_its_order_dates_and_language(tmp_path: Path):
    draft = stratml_draft("plan.xml", PART1.encode("utf-8"), "da", document_id="doc/test/groen")
    assert draft.warnings == []
    quads = load_draft(tmp_path, draft.text)
    facts = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}
    document = base_iri() + "doc/test/groen"
    assert (document, PG + "validFrom", "2024") in facts and (document, PG + "validUntil", "2027") in facts
    labels = [q.object for q in quads if q.predicate.value == SKOS + "prefLabel"]
    assert {lit.value for lit in labels} >= {"Mindre CO2", "Flere cykelstier", "Et grønt Danmark"}
    assert all(lit.language == "da" for lit in labels)
    objectives = {q.subject.value for q in quads if q.predicate.value == RDF + "type" and q.object.value == PG + "Goal"}
    assert len(objectives) == 2  # two objectives of the same name stay two, with ids of their own


@pytest.mark.parametrize("data,expected", [
    (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>', "forbidden"),
    (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]><l>&x;</l>', "forbidden"),
    (b'<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>x</Name>', "not well-formed"),
    (b"", "not well-formed"),
    (b"<html><body>not a plan</body></html>", "not a StratML plan"),
    (b'<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>x</Name>' + b"<a>" * 5000
     + b"</a>" * 5000 + b"</StrategicPlan>", "maximum XML depth"),
    (b'<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><StrategicPlanCore/></StrategicPlan>',
     "no <Name>"),
])
def test_bad_files_are_refused_in_one_line(data: bytes, expected: str):
    with pytest.raises(LoadError) as caught:
        stratml_draft("bad.xml", data)
    message = str(caught.value)
    assert message.startswith("bad.xml: ") and expected in message and "\n" not in message


def test_strict_mode_refuses_a_file_that_breaks_the_schema():
    with pytest.raises(LoadError, match="breaks the StratML schema"):
        stratml_draft(SAMPLE, SAMPLE.read_bytes(), strict=True)
