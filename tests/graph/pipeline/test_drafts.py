"""Drafts kept beside the store and saved into the data folder (graph/pipeline/drafts.py)."""
from __future__ import annotations

import time
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


def _made(folder: DraftFolder, days_ago: float = 0.0):
    draft, _secret = folder.create("plan.txt", "Handleplan 2020\n\nFokusområde 1: Job\n\nMål: Flere i job.\n".encode(),
                                   None, None, Path("data"))
    draft.record(created=draft.meta["created"] - days_ago * 86400)
    return draft


def test_drafts_older_than_the_days_kept_are_removed_when_a_new_one_is_made(tmp_path):
    folder = DraftFolder(tmp_path / "drafts")
    old, recent = _made(folder, days_ago=15), _made(folder, days_ago=13)
    (tmp_path / "drafts" / "not-a-draft").mkdir()
    new = _made(folder)
    left = {p.name for p in (tmp_path / "drafts").iterdir()}
    assert left == {recent.id, new.id, "not-a-draft"} and folder.open(old.id) is None
    shorter = DraftFolder(tmp_path / "drafts", keep_days=0.5)
    assert set(shorter.sweep(now=time.time() + 86400)) == {recent.id, new.id}


def test_a_saved_draft_loses_its_upload_at_once_and_goes_an_hour_after_saving(tmp_path):
    import shutil

    from graph.pipeline.drafts import save_draft
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[3] / "data" / "vocabularies", data / "vocabularies")
    store = OxigraphStore()
    load_into_store(store, [data], validate=False)
    folder = DraftFolder(tmp_path / "drafts")
    draft, unsaved = _made(folder), _made(folder)
    save_draft(draft, "doc/test/handleplan-2020", store, data)
    assert not (draft.folder / "upload").exists() and (draft.folder / "draft.yaml").exists()
    assert folder.sweep() == [] and folder.sweep(now=time.time() + 3601) == [draft.id]
    assert folder.open(unsaved.id) is not None and (unsaved.folder / "upload").exists()
    store.close()
