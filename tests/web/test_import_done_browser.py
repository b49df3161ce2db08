"""Issue 17's done-when in a real browser (Chromium through Playwright): a strategist uploads the
integration action plan 2017-18 (DOCX, and in a second run PDF) and the seed 2019-22 annex as XLSX with
its mapping, makes on the review page the corrections of tests/import_answers.py (English labels, target
groups, themes, status, adoption, what the plans implement, replace and continue, the action plan's id;
each a field and a button of the page), saves both, and the question pages then show the same rows as
they show over the hand-made example graph (the ten questions whose answers name the two plans), in
Danish and English. The review and question pages pass axe
in both languages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from import_answers import ACTION_PLAN_REVIEW, ANNEX_REVIEW, MUNICIPALITY, OTHER, data_without_hand_files
from import_seeds import ANNEX_MAPPING, action_plan_docx, action_plan_pdf, annex_xlsx
from tests.browser_support import WatchedSession, serve

# The questions whose answers name these two plans (the graph-level test asks all of them): without the
# review, each of them answers otherwise (tests/graph/pipeline/test_import_answers.py).
QUESTIONS = ["budget-per-plan-year", "budget-per-target-group-year", "budget-totals", "committee-target-group-matrix",
             "continuity-chains", "overlapping-initiatives", "overlaps-between-municipalities", "plan-coordination-matrix",
             "plan-synergies", "plans-expiring-without-successor"]


@pytest.fixture
def setting(tmp_path):
    """A data folder without the two hand-made plans, a store loaded from it, and the app over both."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore
    from web import create_app

    data = data_without_hand_files(tmp_path / "data")
    store = OxigraphStore()
    load_into_store(store, [data], validate=False)
    app = create_app({"STORE": store, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0, "DATA_FOLDER": str(data),
                      "DRAFTS_FOLDER": str(tmp_path / "drafts"), "WORKSHOP_LOG": str(tmp_path / "workshops.sqlite")})
    server = serve(app)
    yield {"server": server, "data": data, "folder": tmp_path}
    server.close()
    store.close()


def anchor(node_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in node_id)


class Reviewer:
    """The strategist at the browser: uploads a file and performs review steps with the page's own forms."""

    def __init__(self, page, server) -> None:
        self.page, self.server = page, server
        self.plan = ""

    def upload(self, path: Path, mapping: str | None) -> None:
        page = self.page
        page.goto(self.server.url("/import?lang=da"))
        page.set_input_files("#file", str(path))
        page.select_option("#municipality", MUNICIPALITY)
        if mapping:
            page.fill("#mapping", mapping)
        page.fill("#token", "tok")
        page.get_by_role("button", name="Lav udkast").click()
        page.wait_for_url(re.compile(r"/drafts/[0-9a-f]{32}$"))
        self.plan = json.loads(page.request.get(page.url + ".json").text())["plan"]

    def details(self, node: str):
        node_id = self.plan if not node else f"{self.plan}/{node}"
        details = self.page.locator(f"#node-{anchor(node_id)} > details.draft-edit")
        if not details.evaluate("d => d.open"):
            details.locator("summary").click()
        return details

    def submit(self, button) -> None:
        with self.page.expect_navigation():
            button.click()
        assert self.page.locator("#draft-error").count() == 0, self.page.locator("#draft-error").inner_text()

    def step(self, action: str, node: str, fields: dict[str, str]) -> None:
        details = self.details(node)
        if action == "change":
            if "label" in fields:
                details.locator("input[name=label]").fill(fields["label"])
            details.locator("input[name=label_en]").fill(fields["label_en"])
            self.submit(details.locator("button[value=change]"))
        elif action == "set":
            control = details.locator(f"[name='field-{fields['field']}']")
            if fields["field"] == "status":
                control.select_option(fields["value"])
            else:
                control.fill(fields["value"])
            self.submit(details.locator("button[value=set]"))
        elif action == "rename":
            details.locator("input[name=new_id]").fill(fields["new_id"])
            self.submit(details.locator("button[value=rename]"))
            self.plan = fields["new_id"]

    def save(self) -> None:
        self.page.locator("form.draft-save button").click()
        self.page.locator("#draft-saved").wait_for()


def answer_rows(page, url: str) -> list[tuple[str, ...]]:
    """The rows of a question page's answer table as a person reads them, sorted."""
    page.goto(url)
    rows = page.locator("table.data-table:has(#answer-caption) tbody tr")
    return sorted(tuple(td.strip() for td in row) for row in rows.evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.innerText))"))


@pytest.mark.parametrize("suffix, build", [("docx", action_plan_docx), ("pdf", action_plan_pdf)], ids=["docx", "pdf"])
def test_import_review_and_save_both_plans_then_the_questions_answer_as_the_hand_model(
        browser, setting, live_server, suffix, build):
    folder = setting["folder"]
    session = WatchedSession(browser)
    page, axe = session.page, session.axe

    reviewer = Reviewer(page, setting["server"])
    uploads = [(build(folder / f"handleplan.{suffix}"), None, ACTION_PLAN_REVIEW),
               (annex_xlsx(folder / "annex.xlsx"), ANNEX_MAPPING, ANNEX_REVIEW)]
    for number, (path, mapping, steps) in enumerate(uploads):
        reviewer.upload(path, mapping)
        for action, node, fields in steps:
            reviewer.step(action, node, fields)
        if number == 0:   # the plan's edit forms open, in both languages
            draft = page.url.split("#")[0]
            for lang in ("en", "da"):
                page.goto(f"{draft}?lang={lang}")
                reviewer.details("")
                reviewer.details(ACTION_PLAN_REVIEW[-1][1])
                axe(f"review with its edit forms open ({lang})")
        reviewer.save()
    written = setting["data"] / "koebenhavn"
    assert {"integrationshandleplan-2017-18.yaml", "integrationshandleplan-2019-22.yaml"} <= {p.name for p in written.iterdir()}
    assert "continues: doc/koebenhavn/integrationshandleplan-2017-18/bekaempelse-af-social-kontrol" in \
        (written / "integrationshandleplan-2019-22.yaml").read_text(encoding="utf-8")

    compared = 0
    for qid in QUESTIONS:
        for lang in ("da", "en"):
            given = f"municipality1={MUNICIPALITY}&municipality2={OTHER}" if qid.startswith("overlaps-between") \
                else f"municipality={MUNICIPALITY}"
            query = f"/questions/{qid}?{given}&lang={lang}"
            hand = answer_rows(page, live_server.url(query))
            imported = answer_rows(page, setting["server"].url(query))
            if qid == QUESTIONS[0]:
                axe(f"question page ({lang})")
            assert imported == hand, f"{qid} ({lang}): hand only {[r for r in hand if r not in imported][:3]}, " \
                                     f"import only {[r for r in imported if r not in hand][:3]}"
            compared += len(hand)
    assert compared > 50
    session.close_and_check()
