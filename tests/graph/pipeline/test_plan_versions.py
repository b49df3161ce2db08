"""Versions of an edited plan (graph/pipeline/plan_versions.py): git commits when the data folder is in
a git repository (a repository made here with dulwich), otherwise a versions folder; one interface."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from dulwich import porcelain
from dulwich.repo import Repo

from graph.pipeline.plan_versions import (FolderKeeper, GitKeeper, Version, digest, in_force_on, keeper_for,
                                          node_changes, unified_diff)
from loaders.sources import expand_paths

FILE = "koebenhavn/plan.yaml"
FIRST = "id: doc/k/plan  # the plan\ntype: ActionPlan\ninitiatives:\n  - id: doc/k/plan/a\n    label: {da: A}\n"
SECOND = FIRST.replace("{da: A}", "{da: A2}") + "  - id: doc/k/plan/b\n    label: {da: B}\n"


def _data(folder: Path) -> Path:
    data = folder / "data"
    (data / "koebenhavn").mkdir(parents=True)
    (data / FILE).write_text(FIRST, encoding="utf-8")
    return data


@pytest.fixture
def folder_data(tmp_path):
    return _data(tmp_path)


@pytest.fixture
def git_data(tmp_path):
    """A repository whose data folder holds one committed plan, and one other change staged."""
    data = _data(tmp_path)
    (data / "other.yaml").write_text("id: x\n", encoding="utf-8")
    repo = porcelain.init(str(tmp_path))
    porcelain.add(repo, paths=[str(data / FILE)])
    porcelain.commit(repo, message=b"first", author=b"Seed <seed@example.org>", committer=b"Seed <seed@example.org>")
    porcelain.add(repo, paths=[str(data / "other.yaml")])   # staged by someone else, not ours to commit
    repo.close()
    return data


def _save(data: Path, who: str, what: str, before: str, after: str) -> Version:
    (data / FILE).write_text(after, encoding="utf-8")
    return keeper_for(data).record(FILE, before, after, who, what)


def test_outside_git_each_save_is_a_copy_in_the_versions_folder_with_the_original_kept(folder_data):
    keeper = keeper_for(folder_data)
    assert isinstance(keeper, FolderKeeper) and keeper.kind == "folder"
    saved = _save(folder_data, "Anna", "A renamed", FIRST, SECOND)
    history = keeper.history(FILE)
    assert [(v.who, v.what) for v in history] == [("Anna", "A renamed"), ("", "")]
    assert history[0] == saved and saved.digest == digest(SECOND) and history[1].digest == digest(FIRST)
    assert keeper.text(FILE, history[1].id) == FIRST and keeper.text(FILE, saved.id) == SECOND
    assert keeper.text(FILE, "../../etc/passwd") is None and keeper.text(FILE, "nothing") is None
    assert datetime.fromtimestamp(saved.when, timezone.utc).date() == datetime.now(timezone.utc).date()


def test_the_versions_folder_is_never_loaded_with_the_data(folder_data):
    _save(folder_data, "Anna", "A renamed", FIRST, SECOND)
    assert any((folder_data / ".versions").rglob("*"))
    assert [p.relative_to(folder_data).as_posix() for p, _root in expand_paths([folder_data])] == [FILE]


def test_inside_git_each_save_is_a_commit_of_that_file_by_the_editor(git_data):
    keeper = keeper_for(git_data)
    assert isinstance(keeper, GitKeeper) and keeper.kind == "git"
    saved = _save(git_data, "Anna Ø", "A renamed", FIRST, SECOND)
    history = keeper.history(FILE)
    assert [(v.who, v.what) for v in history] == [("Anna Ø", "A renamed"), ("Seed", "first")]
    assert keeper.text(FILE, saved.id) == SECOND and keeper.text(FILE, history[1].id) == FIRST
    with Repo(str(git_data.parent)) as repo:
        commit = repo[repo.head()]
        assert commit.author.startswith("Anna Ø".encode()) and commit.id.decode() == saved.id
        names = {entry.path for entry in repo.object_store.iter_tree_contents(commit.tree)}
        assert names == {b"data/" + FILE.encode()}                    # the staged other file is not swept in
    status = porcelain.status(str(git_data.parent))
    assert b"data/other.yaml" in status.staged["add"] and not status.unstaged   # the index matches the commit
    assert not (git_data / ".versions").exists()


def test_inside_git_an_uncommitted_change_is_kept_before_the_edit(git_data):
    changed = FIRST + "# changed by hand\n"
    saved = _save(git_data, "Anna", "edit", changed, SECOND)
    history = keeper_for(git_data).history(FILE)
    assert [v.what for v in history] == ["edit", "before editing in the browser", "first"]
    assert keeper_for(git_data).text(FILE, history[1].id) == changed and history[0] == saved


def test_the_version_in_force_on_a_date_is_the_newest_saved_by_its_end():
    day = datetime(2026, 3, 2, 12, tzinfo=timezone.utc).timestamp()
    versions = [Version("b", day + 86400, "Bo", "", "2"), Version("a", day, "Anna", "", "1"),
                Version("o", day - 86400 * 30, "", "", "0")]
    assert in_force_on(versions, date(2026, 3, 2)).id == "a"
    assert in_force_on(versions, date(2026, 3, 3)).id == "b"
    assert in_force_on(versions, date(2025, 1, 1)).id == "o"      # the original: in force before any edit
    assert in_force_on(versions[:2], date(2025, 1, 1)) is None


def test_two_versions_compare_as_text_and_by_node():
    changes = node_changes(FIRST, SECOND)
    assert changes.added == ["doc/k/plan/b"] and changes.removed == []
    assert set(changes.changed) == {"doc/k/plan", "doc/k/plan/a"}
    diff = unified_diff(FIRST, SECOND, "old", "new")
    assert "-    label: {da: A}" in diff and "+    label: {da: A2}" in diff
    assert node_changes(FIRST, FIRST).as_json() == {"added": [], "removed": [], "changed": []}


def test_two_saves_in_quick_succession_are_two_versions(folder_data):
    """Stamps carry microseconds, and a stamp already taken gets a suffix: no save overwrites another."""
    _save(folder_data, "Anna", "one", FIRST, SECOND)
    _save(folder_data, "Bo", "two", SECOND, FIRST)
    assert [v.who for v in keeper_for(folder_data).history(FILE)] == ["Bo", "Anna", ""]
