"""Issue 17's done-when at graph level: the seed 2019-22 annex as XLSX (with its mapping) and the
integration action plan 2017-18 as DOCX or PDF, imported as drafts, reviewed with the corrections a
strategist makes on the review page (tests/import_answers.py: ACTION_PLAN_REVIEW, ANNEX_REVIEW, each one
action of the page) and saved through the same save as the page, give the same answers to every
question of the library as the hand model: national and for org/koebenhavn (the comparison of two
municipalities for Copenhagen and Silkeborg, both ways), in Danish and English,
compared by what a person reads (names and numbers), never by IRI."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.pipeline.draft_review import plan_id
from graph.pipeline.drafts import DraftFolder, save_draft
from import_answers import (ACTION_PLAN_REVIEW, ANNEX_REVIEW, MUNICIPALITY, answer_table, data_without_hand_files,
                            differences, review)
from import_seeds import ANNEX_MAPPING, action_plan_docx, action_plan_pdf, annex_xlsx


@pytest.fixture(scope="module")
def hand_answers(example_store):
    return answer_table(example_store)


def imported_store(folder: Path, action_plan: Path, reviewed: bool = True):
    """A store of data/ without the two hand files, with the two drafts saved into it as the page saves."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore
    data = data_without_hand_files(folder / "data")
    store = OxigraphStore()
    load_into_store(store, [data], validate=False)
    drafts = DraftFolder(folder / "drafts")
    annex = annex_xlsx(folder / "annex.xlsx")
    uploads = [(action_plan, None, ACTION_PLAN_REVIEW), (annex, ANNEX_MAPPING, ANNEX_REVIEW)]
    for path, mapping, steps in uploads:   # the action plan first: the annex replaces it
        draft, _secret = drafts.create(path.name, path.read_bytes(), MUNICIPALITY, mapping, data)
        if reviewed:
            draft.replace_text(review(draft.text(), steps))
        save_draft(draft, plan_id(draft.text()), store, data, "en")
    return store


@pytest.mark.parametrize("suffix, build", [("docx", action_plan_docx), ("pdf", action_plan_pdf)], ids=["docx", "pdf"])
def test_every_question_answers_the_imported_and_reviewed_plans_as_the_hand_model(tmp_path, hand_answers, suffix, build):
    store = imported_store(tmp_path, build(tmp_path / f"handleplan.{suffix}"))
    try:
        imported = answer_table(store)
    finally:
        store.close()
    assert set(imported) == set(hand_answers) and len(hand_answers) == 86  # 22 questions, their runs x 2 languages
    assert len({qid for qid, _lang, _params in hand_answers}) == 22
    assert any(rows for rows in hand_answers.values())
    differing = differences(hand_answers, imported)
    assert differing == {}, "\n".join(f"{key}: hand only {a[:3]}, import only {b[:3]}" for key, (a, b) in differing.items())


def test_without_the_review_the_answers_differ_where_the_documents_are_silent(tmp_path, hand_answers):
    """The measure can fail: unreviewed drafts lack the English names, links and facts the documents do
    not state, and these questions then answer otherwise."""
    store = imported_store(tmp_path, action_plan_docx(tmp_path / "handleplan.docx"), reviewed=False)
    try:
        differing = differences(hand_answers, answer_table(store))
    finally:
        store.close()
    questions = {qid for qid, _lang, _params in differing}
    assert {"continuity-chains", "plan-coordination-matrix", "committee-target-group-matrix",
            "budget-per-target-group-year", "plans-expiring-without-successor", "overlaps-between-municipalities"} <= questions
