"""Budget tables: columns from the header, groups, lines, totals checked (loaders/importing/tables.py)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from import_seeds import ANNEX, ANNEX_MAPPING, annex_xlsx
from loaders.errors import LoadError
from loaders.importing import import_plan
from loaders.importing.matching import Catalogue
from loaders.importing.reading import Block, Cell, Place, read_outline
from loaders.importing.structure import find_structure
from loaders.importing.tables import columns_from_header

DATA = Path(__file__).resolve().parents[3] / "data"


def row(*texts: str) -> Block:
    return Block("row", " | ".join(texts), Place(table=1, row=1),
                 cells=tuple(Cell(t, "", Place(table=1, row=1, column=c)) for c, t in enumerate(texts, start=1)))


def test_column_roles_and_unit_from_the_header():
    columns = columns_from_header(row("Fokusområde", "Indsatser (udgifter i 1.000 kr.)", "Målgruppe årligt",
                                      "2019", "2020"))
    assert (columns.focus, columns.initiative, columns.size, columns.years, columns.unit.multiplier) == (
        1, 2, 3, {4: 2019, 5: 2020}, 1000)
    assert columns_from_header(row("Navn", "Adresse")) is None


def test_the_seed_annex_its_groups_lines_and_every_stated_total():
    """Seed 004 as extracted (tab-separated lines): the table is split by its footnote and read on."""
    plan = find_structure(read_outline(ANNEX), Catalogue.from_folder(DATA), "org/koebenhavn/")
    assert plan.levels == ["pejlemærke", "fokusområde"]
    assert [n.label for n in plan.nodes] == ["Jobparate ledige", "Udsatte ledige", "Kvinder og familie-forsørgede",
                                             "Mangfoldig rekruttering", "Unge i uddannelse", "Unge i job",
                                             "Forebyggelse af social kontrol"]
    first = plan.nodes[0].children[0]
    assert first.label == "Håndholdt og kontinuerlig virksomhedsindsats" and first.evidence_based
    assert [(b.year, b.amount, b.kroner()) for b in first.budget][0] == (2019, Decimal(3300), Decimal(3_300_000))
    assert first.under_bearing.id == "doc/koebenhavn/integrationspolitik-2019-22/pejlemaerke-1-job"
    assert (first.sizes[0].size, first.sizes[0].qualifier) == (350, "AtLeast")
    assert [m.id for m in first.target_groups] == ["tg/jobparate-ledige"]
    survey, pool = plan.budget_lines
    assert (survey.kind, [b.amount for b in survey.budget]) == ("Initiative", [400, 0, 400, 0])
    assert (pool.kind, [m.id for m in pool.responsible]) == ("ReservedFund", ["org/koebenhavn/biu"])
    totals = {(t.bearing.id if t.bearing else "plan", t.year): t.amount for t in plan.totals}
    assert len(totals) == 16 and totals[("plan", 2022)] == 11000
    assert totals[("doc/koebenhavn/integrationspolitik-2019-22/pejlemaerke-1-job", 2020)] == 7600


def refused(path: Path, mapping: Path | None, *words: str) -> None:
    with pytest.raises(LoadError) as caught:
        import_plan(path, mapping, "org/koebenhavn", DATA)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    for word in words:
        assert word in message, message


def test_text_in_an_amount_column_is_refused_at_its_cell(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(ANNEX_MAPPING, encoding="utf-8")
    refused(annex_xlsx(tmp_path / "a.xlsx", text_amount="cirka tre mio."), mapping,
            "sheet 'Tabel 1', cell F3", "'cirka tre mio.' is not a number", "in the 2020 column")


def test_a_table_that_does_not_add_up_is_refused_at_its_total(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(ANNEX_MAPPING, encoding="utf-8")
    refused(annex_xlsx(tmp_path / "a.xlsx", wrong_total=True), mapping,
            "sheet 'Tabel 1', row 7: the table does not add up",
            "'I alt' states 7300 for 2019, but the lines above sum to 7200")


def test_a_text_table_that_does_not_add_up(tmp_path):
    path = tmp_path / "annex.txt"
    path.write_text(ANNEX.read_text(encoding="utf-8").replace("<u>11.000</u>", "<u>12.000</u>", 1), encoding="utf-8")
    refused(path, None, "table 2", "states 12000 for 2019, but the lines above sum to 11000")


def test_merged_cells_in_the_annex_spreadsheet(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(ANNEX_MAPPING, encoding="utf-8")
    refused(annex_xlsx(tmp_path / "a.xlsx", merged=True), mapping, "cells A2:A3: merged cells")


def test_a_csv_annex_is_read_from_its_own_header_with_danish_numbers(tmp_path):
    """No mapping: the header row names the roles and the unit; `;` separated as Danish Excel writes."""
    from import_seeds import annex_parts
    _before, parts, _notes = annex_parts()
    lines = [";".join(cells) for rows in parts for cells in rows]
    path = tmp_path / "annex.csv"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252", errors="replace")
    plan = import_plan(path, None, "org/koebenhavn", DATA).plan
    assert len([n for n in plan.all_nodes() if n.kind == "Initiative"]) == 8 and len(plan.totals) == 16
    assert plan.nodes[0].children[0].budget[0].kroner() == Decimal(3_300_000)
