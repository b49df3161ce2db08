"""`policygraph import FILE`: a Word, PDF, spreadsheet or text plan drafted in the authoring format.

The draft is written and loaded nowhere: a person reviews it before it goes into the data folder.
Bad input ends as one line naming the file and the place, a non-zero exit and no file written.
"""
from __future__ import annotations

from pathlib import Path

import click

from graph.cli.context import fail
from graph.pipeline.drafts import write_whole
from loaders import LoadError
from loaders.importing import Imported, import_plan

# How many places the summary lists of what could not be placed (the rest are counted).
SHOWN_UNPLACED = 5
LOW_CONFIDENCE = 0.7
_NAMES = {"Bearing": ("bearing", "bearings"), "FocusArea": ("focus area", "focus areas"), "Goal": ("goal", "goals"),
          "SuccessCriterion": ("success criterion", "success criteria"), "Initiative": ("initiative", "initiatives"),
          "ReservedFund": ("reserved fund", "reserved funds"), "Mission": ("mission", "missions"),
          "Vision": ("vision", "visions")}


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(path_type=Path), metavar="M.yaml",
              help="A spreadsheet mapping: which sheet and columns hold the initiative, target group, years, unit.")
@click.option("--municipality", metavar="ID", help="The plan's municipality, e.g. org/koebenhavn.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="DRAFT.yaml",
              help="Where to write the draft (default: FILE's name with .draft.yaml, here).")
@click.option("--data", "data_folder", type=click.Path(path_type=Path), default=Path("data"), show_default=True,
              help="The data folder whose organisations, target groups, themes and bearings names are matched to.")
@click.option("--force", is_flag=True, help="Overwrite an existing draft.")
def import_command(file: Path, mapping: Path | None, municipality: str | None, output: Path | None,
                   data_folder: Path, force: bool) -> None:
    """Draft a plan from a DOCX, text-based PDF, XLSX/CSV or text file (written, loaded nowhere)."""
    target = output or Path(f"{file.stem}.draft.yaml")
    if target.exists() and not force:
        fail(f"{target}: a draft is already there (review it, or give --force to overwrite it)")
    if target.suffix.lower() not in (".yaml", ".yml"):
        fail(f"{target}: the draft is YAML; name it .yaml")
    try:
        imported = import_plan(file, mapping, municipality, data_folder)
    except LoadError as error:
        fail(f"nothing written: {error}")
        return
    _write(target, imported.text)
    for line in summary(imported, target):
        click.echo(line)


def _write(target: Path, text: str) -> None:
    """All or nothing: the draft appears complete under its name, or not at all."""
    try:
        write_whole(target, text, prefix=".draft-")
    except OSError as error:
        fail(f"{target}: cannot write the draft: {error.strerror or error}")


def summary(imported: Imported, target: Path) -> list[str]:
    """A few lines: what was written, the levels, the counts, the matches and what could not be placed."""
    plan, counts = imported.plan, imported.counts()
    nodes = plan.all_nodes()
    lines = [f"Wrote {target}: a draft {plan.kind} '{plan.title}', loaded nowhere until reviewed."]
    lines.append("Levels found: " + (" > ".join(plan.levels) if plan.levels else "none named by the document"))
    found = [f"{count} {_NAMES.get(kind, (kind, kind))[count != 1]}" for kind, count in counts.items()]
    years = sorted({b.year for n in nodes for b in n.budget})
    budget = sum(len(n.budget) for n in nodes)
    if budget:
        found.append(f"{budget} yearly amounts ({years[0]}-{years[-1]})")
    if plan.totals:
        found.append(f"{len(plan.totals)} stated totals, all adding up")
    lines.append("Found: " + ", ".join(found))
    known = {m.id for n in nodes for m in n.target_groups + n.themes + n.responsible if not m.new}
    known |= {n.under_bearing.id for n in nodes if n.under_bearing is not None and not n.under_bearing.new}
    proposed = {m.id for n in nodes for m in n.target_groups if m.new}
    proposed |= {n.under_bearing.label for n in nodes if n.under_bearing is not None and n.under_bearing.new}
    lines.append(f"Matched to known ids: {len(known)}; proposed as new: {len(proposed)}")
    if plan.bodies:
        lines.append(f"Bodies named in the text: {', '.join(m.id for m, _place in plan.bodies)} "
                     "(listed in the draft for preparedBy, adoptedBy, responsible)")
    unsure = [n for n in nodes if n.found.confidence < LOW_CONFIDENCE]
    if unsure:
        lines.append(f"Less sure ({len(unsure)} node{'s' if len(unsure) != 1 else ''} below {LOW_CONFIDENCE}): "
                     "see '# draft: confidence' in the draft")
    if plan.unplaced:
        lines.append(f"Could not place {len(plan.unplaced)} block(s) of text (not in the draft):")
        for place, text in plan.unplaced[:SHOWN_UNPLACED]:
            lines.append(f"  {place.describe()}: {text[:70]}{'...' if len(text) > 70 else ''}")
        if len(plan.unplaced) > SHOWN_UNPLACED:
            lines.append(f"  ... and {len(plan.unplaced) - SHOWN_UNPLACED} more")
    return lines


COMMANDS = [import_command]
