"""Drafts uploaded through the browser: kept in a folder beside the store, never loaded, until a person
has reviewed one and saves it into the data folder (validated first, then loaded all or nothing).

A draft is a folder `<drafts>/<id>/`: the uploaded file under `upload/`, the importer's `draft.yaml`
(the authoring format, confidence as `# draft:` comments), `source.json` (the document's blocks with
their places, for the source pane) and `meta.json`. The id is random and unguessable; the folder also
keeps a hash of the uploader's secret, so only the browser that uploaded it can read and change it.

This lives in graph/pipeline because it joins the importer (loaders) to the store, as load.py does;
web/importing.py only asks and shows.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.pipeline.load import ValidationFailed, check_files, load_files_into_store
from graph.pipeline.validation import Finding, violations
from graph.store import Store
from loaders import LoadError
from loaders.importing import check_draft, import_plan
from loaders.importing.reading import Outline
from loaders.sources import load_file

DRAFT_ID = re.compile(r"^[0-9a-f]{32}$")
KEEP_DAYS = 14              # a draft nobody saved is removed after this many days (POLICYGRAPH_DRAFT_DAYS)
SAVED_KEEP_SECONDS = 3600   # a saved draft stays an hour for its confirmation page; the data folder holds the plan
DRAFT_FILE = "draft.yaml"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class DraftRefused(Exception):
    """Input the importer or the save refuses: one line a person can act on (file and place)."""


class DraftInvalid(Exception):
    """The reviewed draft breaks the loader or the shapes: the findings, nothing written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages[0] if messages else "invalid")
        self.messages = messages


def safe_name(filename: str) -> str:
    """The uploaded file's name reduced to letters, digits, dot, dash and underscore (its suffix kept,
    as the importer chooses its reader by it); never a path."""
    name = _SAFE_NAME.sub("_", Path(filename.replace("\\", "/")).name).strip("._") or "upload"
    return name[-120:]


@dataclass
class Draft:
    """One kept draft: its folder and what was recorded when it was made."""

    id: str
    folder: Path
    meta: dict[str, Any]

    @property
    def path(self) -> Path:
        return self.folder / DRAFT_FILE

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def blocks(self) -> list[dict[str, Any]]:
        return json.loads((self.folder / "source.json").read_text(encoding="utf-8"))

    def owned_by(self, secret: str | None) -> bool:
        return bool(secret) and secrets.compare_digest(_hash(secret), self.meta.get("secret", ""))

    def replace_text(self, text: str) -> None:
        """An edit is written only when the draft still reads as the loader reads any file."""
        try:
            check_draft(text)
        except LoadError as error:
            raise DraftRefused(error.problem) from None
        write_whole(self.path, text)

    def record(self, **items: Any) -> None:
        self.meta.update(items)
        write_whole(self.folder / "meta.json", json.dumps(self.meta, ensure_ascii=False, indent=1))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def write_whole(target: Path, text: str, *, exclusive: bool = False, prefix: str = ".part-") -> None:
    """The text under its name complete or not at all: written beside it under a temporary name
    (`prefix`...), then moved in. `exclusive` never writes over a file that is there, or that appeared
    meanwhile (FileExistsError)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if exclusive:
            os.link(temporary, target)  # fails if the name is taken
        else:
            os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


class DraftFolder:
    """The drafts beside the store: made from an upload, opened by id, and removed when old: nothing
    else ever deletes them, and each holds an uploaded document."""

    def __init__(self, folder: Path | str, keep_days: float = KEEP_DAYS) -> None:
        self.folder = Path(folder)
        self.keep_days = keep_days

    def sweep(self, now: float | None = None) -> list[str]:
        """Remove the drafts made more than keep_days ago, and the saved ones saved more than an hour
        ago; the ids removed. Run when a draft is made and after one is saved, so no timer is needed."""
        now = time.time() if now is None else now
        removed = []
        for folder in self.folder.iterdir() if self.folder.is_dir() else ():
            draft = self.open(folder.name)
            if draft is None:
                continue
            made, saved_at = float(draft.meta.get("created") or 0), float(draft.meta.get("saved_at") or 0)
            if made < now - self.keep_days * 86400 or (saved_at and saved_at < now - SAVED_KEEP_SECONDS):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        return removed

    def open(self, draft_id: str) -> Draft | None:
        if not DRAFT_ID.match(draft_id or ""):
            return None
        folder = self.folder / draft_id
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Draft(draft_id, folder, meta)

    def create(self, filename: str, content: bytes, municipality: str | None, mapping: str | None,
               data_folder: Path) -> tuple[Draft, str]:
        """Import the upload into a new draft; (draft, the uploader's secret). The importer's refusal
        (unknown format, a scanned PDF, text in an amount column ...) as DraftRefused, nothing kept.
        Old drafts are swept away first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sweep()
        incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=self.folder))
        try:
            upload = incoming / "upload" / safe_name(filename)
            upload.parent.mkdir()
            upload.write_bytes(content)
            mapping_file = None
            if mapping and mapping.strip():
                mapping_file = incoming / "mapping.yaml"
                mapping_file.write_text(mapping, encoding="utf-8")
            try:
                imported = import_plan(upload, mapping_file, municipality or None, data_folder)
            except LoadError as error:
                raise DraftRefused(_without_folder(str(error), incoming)) from None
            (incoming / DRAFT_FILE).write_text(imported.text, encoding="utf-8")
            blocks = source_blocks(imported.outline, imported.plan.lang)
            (incoming / "source.json").write_text(json.dumps(blocks, ensure_ascii=False), encoding="utf-8")
            secret = secrets.token_urlsafe(24)
            meta = {"file": upload.name, "municipality": municipality or "", "created": time.time(),
                    "secret": _hash(secret), "mapping": bool(mapping_file), "saved": ""}
            (incoming / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
            draft_id = secrets.token_hex(16)
            os.replace(incoming, self.folder / draft_id)
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        return Draft(draft_id, self.folder / draft_id, meta), secret


def _without_folder(message: str, folder: Path) -> str:
    """The importer names the file by its path; a person uploaded a name, not our folder."""
    return message.replace(str(folder / "upload") + os.sep, "").replace(str(folder) + os.sep, "")


def source_blocks(outline: Outline, lang: str = "da") -> list[dict[str, Any]]:
    """The document as the source pane shows it: each block's text and every place a node may name
    (the block's own and each cell's) in the words of the draft's `source.at` (the document's
    language), so a node finds its block, and beside each the place itself (`where`), so the page
    words it in its reader's language."""
    blocks = []
    for number, block in enumerate(outline.blocks):
        places = [p for p in [block.place] + [cell.place for cell in block.cells] if p.describe()]
        blocks.append({"n": number, "kind": block.kind, "level": block.level, "text": block.text,
                       "cells": [cell.text for cell in block.cells], "places": [p.describe(lang) for p in places],
                       "where": [p.as_json() for p in places]})
    return blocks


# ------------------------------------------------------------------------------------------- saving
def target_file(plan_id: str, data_folder: Path) -> Path:
    """The data file a plan is saved to, named by its id: doc/koebenhavn/x -> data/koebenhavn/x.yaml."""
    parts = [p for p in plan_id.removeprefix("doc/").split("/") if p not in ("", ".", "..")]
    if not parts or not all(re.fullmatch(r"[A-Za-z0-9._-]+", p) for p in parts):
        raise DraftRefused(f"'{plan_id}' cannot name a file")
    return data_folder.joinpath(*parts).with_suffix(".yaml")


def save_draft(draft: Draft, plan_id: str, store: Store, data_folder: Path, lang: str = "en") -> Path:
    """Validate the draft as it would sit in the data folder (loader and shapes, with what the store
    holds), then write the file and load it into the store, all or nothing. DraftInvalid with the
    findings (nothing written) or DraftRefused (a file of that name already there)."""
    data_folder = Path(data_folder)
    target = target_file(plan_id, data_folder)
    relative = target.relative_to(data_folder)
    if target.exists():
        raise DraftRefused(f"{relative.as_posix()} is already in the data folder")
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=draft.folder))
    try:
        staged = staging / relative
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_text(draft.text(), encoding="utf-8")
        try:  # the graph is named as `policygraph load <data folder>` will name it
            files = [load_file(staged, staging)]
        except LoadError as error:
            raise DraftInvalid([_without_folder(str(error), staging)]) from None
        findings = check_files(store, files, lang)
        if violations(findings):
            raise DraftInvalid([_without_folder(str(f), staging) for f in violations(findings)])
        try:
            write_whole(target, staged.read_text(encoding="utf-8"), exclusive=True, prefix=".draft-")
        except FileExistsError:
            raise DraftRefused(f"{target.name} is already in the data folder") from None
        try:
            load_files_into_store(store, files, validate=False)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    draft.record(saved=relative.as_posix(), saved_at=time.time())
    shutil.rmtree(draft.folder / "upload", ignore_errors=True)   # the plan is in the data folder now
    return target


__all__ = ["Draft", "DraftFolder", "DraftInvalid", "DraftRefused", "Finding", "ValidationFailed", "save_draft",
           "safe_name", "target_file", "write_whole"]
