"""Every format into one outline (loaders/importing/reading/), and the files it refuses: one
LoadError naming the file and what is wrong."""
from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from weasyprint import HTML

from import_seeds import encrypted_office, encrypted_pdf
from loaders.errors import LoadError
from loaders.importing.reading import read_outline


def small_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Handleplan for test 2020-21", level=0)
    document.add_heading("1. Fokusområde - Job", level=1)
    document.add_paragraph("Indledende tekst.")
    document.add_paragraph("Første punkt", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text, table.rows[0].cells[2].text = "Indsats", "2020", "2021"
    cell = table.rows[1].cells[0]
    cell.paragraphs[0].add_run("Jobbro").bold = True
    cell.add_paragraph("Et forløb for ledige.")
    table.rows[1].cells[1].text, table.rows[1].cells[2].text = "1.200", "1.300"
    document.save(path)
    return path


def test_docx_headings_list_items_and_table_cells_with_their_places(tmp_path):
    outline = read_outline(small_docx(tmp_path / "plan.docx"))
    kinds = [(b.kind, b.level, b.text) for b in outline.blocks if b.kind != "row"]
    assert kinds == [("heading", 0, "Handleplan for test 2020-21"), ("heading", 1, "1. Fokusområde - Job"),
                     ("paragraph", 0, "Indledende tekst."), ("item", 0, "Første punkt")]
    header, line = outline.rows()
    assert [c.text for c in header.cells] == ["Indsats", "2020", "2021"]
    assert line.cells[0].lead == "Jobbro" and line.cells[0].text == "Jobbro Et forløb for ledige."
    assert line.cells[2].place.describe().startswith("table 1, row 2, column 3")
    assert outline.blocks[2].place.heading_path == ("Handleplan for test 2020-21", "1. Fokusområde - Job")


def test_pdf_headings_by_type_size_and_ruled_tables(tmp_path):
    path = tmp_path / "plan.pdf"
    HTML(string="<html><body style='font-size:10pt'><h1>Strategi 2020-22</h1><p>Lang brødtekst om planen, "
                "som fylder en hel linje og lidt til, så den er sidens brødtekst.</p>"
                "<table style='border-collapse:collapse'><tr><td style='border:1px solid'>Indsats</td>"
                "<td style='border:1px solid'>2020</td></tr><tr><td style='border:1px solid'><b>Jobbro</b> for ledige"
                "</td><td style='border:1px solid'>1.200</td></tr></table></body></html>").write_pdf(path)
    outline = read_outline(path)
    assert [(b.kind, b.text) for b in outline.blocks if b.kind != "row"][0] == ("heading", "Strategi 2020-22")
    rows = outline.rows()
    assert [c.text for c in rows[1].cells] == ["Jobbro for ledige", "1.200"]
    assert rows[1].cells[0].lead == "Jobbro" and rows[1].place.page == 1


def test_xlsx_and_csv_rows_keep_cells_and_typed_values(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Budget"
    workbook.active.append(["Indsats", 2020])
    workbook.active.append(["Jobbro", 1200])
    workbook.save(tmp_path / "b.xlsx")
    header, line = read_outline(tmp_path / "b.xlsx").rows()
    assert line.cells[1].value == 1200 and line.cells[1].place.describe() == "sheet 'Budget', cell B2"
    (tmp_path / "b.csv").write_text("Indsats;2020\nJobbro;1.200\n", encoding="utf-8")
    header, line = read_outline(tmp_path / "b.csv").rows()
    assert [c.text for c in line.cells] == ["Jobbro", "1.200"] and line.cells[1].place.cell == "B2"


def test_plain_text_headings_paragraphs_and_tab_tables(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Strategi 2020-22\n\n1. Kerneområde - Job\n\nEn lang tekst.\n\n1.1 Jobbro\n\nIndsats\t2020\n"
                    "Jobbro\t1.200\n", encoding="utf-8")
    outline = read_outline(path)
    assert [(b.kind, b.level) for b in outline.blocks] == [("heading", 1), ("heading", 1), ("paragraph", 0),
                                                            ("heading", 2), ("row", 0), ("row", 0)]


# ------------------------------------------------------------------------------------------ bad input
def refused(path: Path, *words: str) -> str:
    with pytest.raises(LoadError) as caught:
        read_outline(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    for word in words:
        assert word in message
    return message


def test_a_scanned_pdf_without_text_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    HTML(string="<div style='width:300px;height:400px;background:#777'></div>").write_pdf(path)
    refused(path, "no text layer", "OCR")


def test_password_protected_files_are_refused(tmp_path):
    refused(encrypted_pdf(tmp_path / "locked.pdf"), "password-protected")
    refused(encrypted_office(tmp_path / "locked.docx"), "password-protected", "Word document")
    refused(encrypted_office(tmp_path / "locked.xlsx"), "password-protected", "spreadsheet")


def test_merged_cells_in_a_spreadsheet_are_refused_with_their_cells(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Tabel 1"
    workbook.active.append(["Pejlemærke 1", None, 2019])
    workbook.active.merge_cells("A1:B1")
    workbook.save(tmp_path / "merged.xlsx")
    refused(tmp_path / "merged.xlsx", "sheet 'Tabel 1', cells A1:B1: merged cells", "unmerge")


def test_unknown_broken_empty_and_missing_files_are_refused(tmp_path):
    (tmp_path / "plan.odt").write_bytes(b"PK")
    refused(tmp_path / "plan.odt", "unknown format '.odt'", ".docx")
    (tmp_path / "plan.docx").write_text("just text", encoding="utf-8")
    refused(tmp_path / "plan.docx", "not a readable Word document")
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.4 garbage")
    refused(tmp_path / "plan.pdf", "not a readable PDF")
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    refused(tmp_path / "empty.txt", "holds no text")
    refused(tmp_path / "missing.docx", "no such file")
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02")
    refused(tmp_path / "binary.csv", "not a text file")


def test_a_reader_that_breaks_half_way_is_one_sentence(tmp_path, monkeypatch):
    from loaders.importing import reading

    def broken(path):
        raise RuntimeError("a content stream the library cannot parse")
    monkeypatch.setitem(reading.READERS, ".txt", broken)
    (tmp_path / "plan.txt").write_text("Plan\n", encoding="utf-8")
    message = refused(tmp_path / "plan.txt", "could not be read to the end as .txt (RuntimeError)")
    assert "content stream" not in message


def test_an_office_file_that_unpacks_to_too_much_is_refused(tmp_path, monkeypatch):
    from loaders.importing.reading import office
    monkeypatch.setattr(office, "MAX_UNPACKED_BYTES", 10_000)
    refused(small_docx(tmp_path / "plan.docx"), "unpacks to more than")
