"""Saving an edit of a plan: refused when the file changed since the form was opened, validated before
anything is written, written whole, loaded into the store all or nothing, and kept as a version.

The steps, one writer per file at a time (a lock per file, held from reading to recording):
1. the file's bytes must still hash to the version the form was opened at, else `EditConflict`:
   two people editing one plan never overwrite each other silently;
2. the edit (a function of plan_edits.py) is applied to the file's text;
3. the new text is read by the loader and checked against the shapes together with what the store
   holds, as `save_draft` does (graph/pipeline/drafts.py); a finding raises `EditInvalid` and nothing
   is written;
4. the file is written whole (`write_whole`) and loaded into the store under the graph name
   `policygraph load <data folder>` gives it; if loading fails the old text is put back;
5. the save is recorded as a version (plan_versions.py).
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from graph.pipeline.drafts import write_whole
from graph.pipeline.load import check_files, load_files_into_store
from graph.pipeline.plan_edits import EditRefused, plan_id
from graph.pipeline.plan_versions import Version, digest, keeper_for
from graph.pipeline.validation import violations
from graph.store import Store
from loaders import LoadError
from loaders.sources import load_file
from ontology import base_iri, file_of_graph

MAX_NAME = 100
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class EditConflict(Exception):
    """The file changed since the form was opened: nothing was written."""

    def __init__(self, opened: str, current: str) -> None:
        super().__init__(f"opened at {opened}, now {current}")
        self.opened, self.current = opened, current


class EditInvalid(Exception):
    """The edited plan breaks the loader or the shapes: the findings, nothing written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages[0] if messages else "invalid")
        self.messages = messages


@dataclass(frozen=True)
class PlanFile:
    """A plan and the data file it was loaded from, relative to the data folder."""

    plan: str            # the plan's id as the authoring format writes it (doc/...)
    relative: str
    data_folder: Path

    @property
    def path(self) -> Path:
        return self.data_folder.joinpath(*self.relative.split("/"))

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def plan_file(store: Store, plan: str, data_folder: Path) -> PlanFile | None:
    """The YAML file in the data folder the plan was loaded from (its graph names the path), or None
    when the plan is unknown or its file is not an authoring file there."""
    if not plan.startswith("doc/") or len(plan) > 300:
        return None
    try:
        node = ox.NamedNode(base_iri() + plan)
    except ValueError:
        return None
    data_folder = Path(data_folder).resolve()
    for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a ?t } } ORDER BY ?g", {"s": node}):
        relative = file_of_graph(row["g"].value) if isinstance(row["g"], ox.NamedNode) else None
        if not relative or not relative.endswith((".yaml", ".yml")):
            continue
        found = PlanFile(plan, relative, data_folder)
        try:
            inside = found.path.resolve().is_relative_to(data_folder) and found.path.is_file()
        except OSError:
            inside = False
        if inside and _defines(found):
            return found
    return None


def _defines(found: PlanFile) -> bool:
    """Other files may name the plan (a stub saying what it is); the plan's own file holds it as its
    top node."""
    try:
        return plan_id(found.text()) == found.plan
    except Exception:  # noqa: BLE001 - a file that does not read as a plan does not define it
        return False


def _lock(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(path), threading.Lock())


def editor_name(typed: str) -> str:
    name = " ".join((typed or "").split())
    if not name:
        raise EditRefused("name_missing")
    if len(name) > MAX_NAME:
        raise EditRefused("name_too_long", limit=MAX_NAME)
    return name


def save_edit(store: Store, plan: PlanFile, opened: str, edit: Callable[[str], str], who: str, what: str,
              lang: str = "en") -> Version:
    """Apply `edit` to the plan's file as described in the module's docstring; the version saved."""
    who = editor_name(who)
    with _lock(plan.path):
        before = plan.text()
        if digest(before) != opened:
            raise EditConflict(opened, digest(before))
        after = edit(before)
        if after == before:
            raise EditRefused("no_change")
        check_text(store, plan, after, lang)
        write_whole(plan.path, after, prefix=".edit-")
        try:
            load_files_into_store(store, [load_file(plan.path, plan.data_folder)], validate=False)
        except BaseException:
            write_whole(plan.path, before, prefix=".edit-")
            raise
        return keeper_for(plan.data_folder).record(plan.relative, before, after, who, what)


def check_text(store: Store, plan: PlanFile, text: str, lang: str = "en") -> None:
    """The text as the loader reads it at the plan's place in the data folder, validated against the
    shapes with what the store holds; EditInvalid with the findings in the reader's language."""
    staging = Path(tempfile.mkdtemp(prefix="policygraph-edit-"))
    try:
        staged = staging.joinpath(*plan.relative.split("/"))
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_text(text, encoding="utf-8")
        try:
            files = [load_file(staged, staging)]
        except LoadError as error:
            raise EditInvalid([_plain(str(error), staging)]) from None
        found = violations(check_files(store, files, lang))
        if found:
            raise EditInvalid([_plain(str(f), staging) for f in found])
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _plain(message: str, staging: Path) -> str:
    """A finding names the staged copy; the person knows the file by its place in the data folder."""
    return message.replace(str(staging) + "/", "")
