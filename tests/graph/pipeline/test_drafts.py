"""Drafts kept beside the store and saved into the data folder (graph/pipeline/drafts.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.pipeline.drafts import DraftFolder, DraftRefused, safe_name, target_file


@pytest.mark.parametrize("given, kept", [("plan.docx", "plan.docx"), ("../../etc/passwd", "passwd"),
                                         ("C:\\Users\\x\\Plan 2019.xlsx", "Plan_2019.xlsx"), ("..", "upload"),
                                         ("Handleplan æøå.pdf", "Handleplan_.pdf")])
def test_an_uploaded_name_is_never_a_path(given, kept):
    assert safe_name(given) == kept


def test_a_plan_is_saved_under_its_id_inside_the_data_folder(tmp_path):
    assert target_file("doc/koebenhavn/plan-2019-22", tmp_path) == tmp_path / "koebenhavn" / "plan-2019-22.yaml"
    assert target_file("doc/../../x", tmp_path) == tmp_path / "x.yaml"
    with pytest.raises(DraftRefused):
        target_file("doc/a b/<x>", tmp_path)


def test_an_upload_the_importer_refuses_leaves_nothing_and_names_the_file_not_our_folder(tmp_path):
    folder = DraftFolder(tmp_path / "drafts")
    with pytest.raises(DraftRefused) as refused:
        folder.create("plan.odt", b"PK\x03\x04", None, None, Path("data"))
    assert str(refused.value).startswith("plan.odt: unknown format") and str(tmp_path) not in str(refused.value)
    assert list((tmp_path / "drafts").iterdir()) == []


def test_a_draft_opens_by_its_id_and_answers_its_uploader_only(tmp_path):
    folder = DraftFolder(tmp_path / "drafts")
    draft, secret = folder.create("plan.txt", "Handleplan 2020\n\nFokusområde 1: Job\n\nMål: Flere i job.\n".encode(),
                                  None, None, Path("data"))
    opened = folder.open(draft.id)
    assert opened is not None and opened.owned_by(secret) and not opened.owned_by("guess") and not opened.owned_by(None)
    assert folder.open("../" + draft.id) is None and folder.open("f" * 32) is None
    assert (opened.folder / "upload" / "plan.txt").exists() and "# draft: confidence" in opened.text()
