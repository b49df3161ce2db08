"""Importing plans from Word, PDF, spreadsheets and text as drafts in the authoring format.

reading/ turns each format into one outline of placed blocks; structure.py and tables.py find the
plan's levels, lines and totals in it (amounts.py, sizes.py read the figures; matching.py ties names
to the known ids); draft.py writes the YAML. The draft is checked the way the loader checks any file
but is loaded nowhere: a person reviews it first.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from loaders.authoring import jsonld_to_quads, yaml_to_jsonld
from loaders.errors import LoadError
from loaders.importing.draft import draft_text
from loaders.importing.mapping import read_mapping
from loaders.importing.matching import Catalogue
from loaders.importing.nodes import DraftPlan
from loaders.importing.reading import Outline, read_outline
from loaders.importing.structure import find_structure
from loaders.importing.wording import document_language
from ontology import base_iri, suggest


@dataclass
class Imported:
    """A file read as a draft: the outline, what was found in it, and the draft's YAML text."""

    outline: Outline
    plan: DraftPlan
    text: str

    def counts(self) -> Counter:
        return Counter(node.kind for node in self.plan.all_nodes())


def import_plan(path: Path, mapping: Path | None = None, municipality: str | None = None,
                data_folder: Path | None = None) -> Imported:
    """Read a plan file into a checked draft; LoadError (file and place) for input that cannot be read."""
    path = Path(path)
    outline = read_outline(path)
    columns = None
    if mapping is not None:
        sheet_mapping = read_mapping(Path(mapping))
        if outline.kind not in ("xlsx", "csv"):
            raise LoadError(mapping, f"a spreadsheet mapping applies to .xlsx and .csv files, not {path.name}")
        sheets = list(dict.fromkeys(b.place.sheet for b in outline.blocks if b.place.sheet))
        if sheet_mapping.sheet is not None:
            if sheet_mapping.sheet not in sheets:
                raise LoadError(path, f"no sheet named '{sheet_mapping.sheet}'", hint="sheets: " + ", ".join(sheets))
            outline.blocks = [b for b in outline.blocks if b.place.sheet == sheet_mapping.sheet]
        elif sheets:
            outline.blocks = [b for b in outline.blocks if b.place.sheet == sheets[0]]
        outline.title = sheet_mapping.title or outline.title
        columns = sheet_mapping.columns
    catalogue = Catalogue.from_folder(data_folder)
    _check_municipality(municipality, catalogue, data_folder)
    prefix = f"{municipality}/" if municipality else ""
    plan = find_structure(outline, catalogue, prefix, columns)
    plan.lang = document_language([b.text for b in outline.blocks])
    if not plan.all_nodes():
        raise LoadError(path, "found no plan structure to draft (no level words such as fokusområde or mål, "
                              "no numbered headings, no budget table with years as columns)",
                        hint="give a mapping with --mapping" if outline.kind in ("xlsx", "csv") else None)
    text = draft_text(plan, path, municipality)
    check_draft(text)
    return Imported(outline, plan, text)


def _check_municipality(municipality: str | None, catalogue: Catalogue, data_folder: Path | None) -> None:
    """A municipality id the data folder does not know would make every question miss the plan."""
    if not municipality:
        return
    known = [k.id for k in catalogue.of_kind("org") if k.id.count("/") == 1]
    if known and municipality not in known:
        close = suggest(municipality, known)
        raise LoadError("--municipality", f"'{municipality}' is no municipality in {data_folder}",
                        hint=f"did you mean '{close}'?" if close else "known: " + ", ".join(sorted(known)))


def check_draft(text: str) -> None:
    """The draft read back as the loader reads any authoring file: a draft that would not load is our
    bug, and must not reach the reviewer as if it were theirs."""
    name = Path("draft.yaml")
    document, _lines = yaml_to_jsonld(name, text)
    jsonld_to_quads(document, "urn:policygraph:draft-check", base_iri(), name)


__all__ = ["Imported", "LoadError", "check_draft", "import_plan"]
