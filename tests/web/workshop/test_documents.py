"""The facilitator's documents: the record, the letters (HTML and PDF from the same page), the scores
and votes as CSV and XLSX; nobody else may read them."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.pdf_text import pdf_text
from tests.workshop_client import act, join


@pytest.fixture
def decided(app, workshop):
    """A link accepted with a follow-up for the first invited body, a vote and a score."""
    aya, aya_token = join(app, workshop, "Aya")
    fac, fac_token = workshop["client"], workshop["csrf"]
    for activity in ("a2", "a3", "a4"):
        act(fac, fac_token, workshop, "activity.open", {"activity": activity, "dots": 2})
    state = fac.get(f"/workshops/{workshop['id']}/projector.json").get_json()
    links, impact, votes = state["activities"][1:]
    act(aya, aya_token, workshop, "link.propose", {"activity": "a2", "source": links["items"][0]["id"],
                                                   "target": links["items"][1]["id"], "relation": "coordinate",
                                                   "rationale": "Fælles målgruppe"}, action="l1")
    act(fac, fac_token, workshop, "decide", {"proposal": "l1", "accepted": True, "follow_up": {
        "body": workshop["bodies"][0], "task": "Send en revideret handleplan", "due": "2027-05-02"}})
    act(aya, aya_token, workshop, "vote", {"activity": "a4", "item": votes["items"][0]["id"]})
    cell = next(c for c in state["scores"]["a3"])
    act(aya, aya_token, workshop, "score", {"activity": "a3", "source": cell["source"], "target": cell["target"], "score": -2})
    return workshop, aya


def test_only_the_facilitator_reads_the_documents(decided):
    workshop, aya = decided
    for path in ("record", "letters", "scores", "votes", "results.xlsx", "record.pdf"):
        assert aya.get(f"/workshops/{workshop['id']}/{path}").status_code == 403, path


def test_the_record_says_who_took_part_and_what_was_decided(decided):
    workshop, _aya = decided
    record = workshop["client"].get(f"/workshops/{workshop['id']}/record.json").get_json()
    assert [p["name"] for p in record["participants"]] == ["Aya"]
    (proposal,) = record["proposals"]
    assert proposal["status"] == "accepted" and "bør koordineres med" in proposal["sentence"]
    assert record["votes"][0][1] == 1 and any(row[3] == 1 for row in record["scores"])


def test_each_invited_body_gets_a_letter_with_its_task_and_date_also_as_pdf(decided):
    workshop, _aya = decided
    fac = workshop["client"]
    letters = fac.get(f"/workshops/{workshop['id']}/letters.json").get_json()
    asked = [letter for letter in letters if letter["tasks"]]
    assert len(letters) == len(workshop["bodies"]) and len(asked) == 1
    assert asked[0]["tasks"][0] == {"task": "Send en revideret handleplan", "due": "2027-05-02",
                                    "decision": asked[0]["tasks"][0]["decision"]}
    pdf = fac.get(f"/workshops/{workshop['id']}/letters.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Send en revideret handleplan" in text and "senest 2027-05-02" in text and asked[0]["body_label"] in text


def test_scores_and_votes_as_csv_and_xlsx(decided):
    workshop, _aya = decided
    fac = workshop["client"]
    csv = fac.get(f"/workshops/{workshop['id']}/scores.csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("Fremskridt på,Påvirker") and ",-2," in csv
    book = load_workbook(io.BytesIO(fac.get(f"/workshops/{workshop['id']}/results.xlsx").data))
    assert book.sheetnames == ["Krydsvirkninger", "Prioriteringer"]
    assert book["Prioriteringer"]["B2"].value == 1


def test_a_typed_formula_never_becomes_a_live_one_in_the_workbook(app, workshop):
    aya, aya_token = join(app, workshop, "Aya")
    fac, fac_token = workshop["client"], workshop["csrf"]
    act(fac, fac_token, workshop, "activity.open", {"activity": "a1"})
    persona = fac.get(f"/workshops/{workshop['id']}/projector.json").get_json()["activities"][0]["items"][0]["id"]
    act(aya, aya_token, workshop, "focus.propose", {"activity": "a1", "persona": persona, "text": '=HYPERLINK("http://x")'})
    act(fac, fac_token, workshop, "activity.open", {"activity": "a4"})
    book = load_workbook(io.BytesIO(fac.get(f"/workshops/{workshop['id']}/results.xlsx").data))
    items = [row[0].value for row in book["Prioriteringer"].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x")' in items


def test_a_briefing_for_each_invited_body_and_none_for_others(decided):
    workshop, _aya = decided
    fac = workshop["client"]
    body = workshop["bodies"][0]
    pdf = fac.get(f"/workshops/{workshop['id']}/briefing.pdf", query_string={"body": body})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    label = fac.get("/workshops/" + workshop["id"] + "/letters.json").get_json()[0]["body_label"]
    assert label in pdf_text(pdf.data)
    download = fac.get(f"/workshops/{workshop['id']}/briefing.html", query_string={"body": body})
    assert download.headers["Content-Disposition"].startswith("attachment") and label in download.get_data(as_text=True)
    assert fac.get(f"/workshops/{workshop['id']}/briefing.pdf", query_string={"body": "https://example.org/x"}).status_code == 404
