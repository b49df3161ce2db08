"""`policygraph import FILE`: a draft written and summarised; bad input as one line, a non-zero
exit, no traceback and nothing written (issue 17, parts 1 and 6)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from weasyprint import HTML

from import_seeds import ANNEX, ANNEX_MAPPING, annex_xlsx, encrypted_office, encrypted_pdf
from loaders import load_file
from web.cli import main

DATA = Path(__file__).resolve().parents[3] / "data"


def run(*args: str):
    return CliRunner().invoke(main, ["import", *args])


@pytest.fixture
def mapping(tmp_path) -> Path:
    path = tmp_path / "annex-mapping.yaml"
    path.write_text(ANNEX_MAPPING, encoding="utf-8")
    return path


def test_the_annex_spreadsheet_drafted_with_its_mapping(tmp_path, mapping):
    draft = tmp_path / "out" / "annex.yaml"
    result = run(str(annex_xlsx(tmp_path / "annex.xlsx")), "--mapping", str(mapping), "--municipality",
                 "org/koebenhavn", "--data", str(DATA), "-o", str(draft))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (f"Wrote {draft}: a draft ActionPlan 'Integrationshandleplan 2019-22', loaded nowhere until "
                        "reviewed.")
    assert lines[1] == "Levels found: pejlemærke > fokusområde"
    assert lines[2] == ("Found: 7 focus areas, 8 initiatives, 1 reserved fund, 34 yearly amounts (2019-2022), "
                        "16 stated totals, all adding up")
    assert lines[3] == "Matched to known ids: 16; proposed as new: 0"
    assert len(load_file(draft).quads) > 300


def test_the_default_draft_name_and_no_overwriting_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run(str(ANNEX), "--data", str(DATA))
    assert first.exit_code == 0 and (tmp_path / f"{ANNEX.stem}.draft.yaml").is_file()
    assert "Could not place 1 block(s)" in first.output and "Stjernemarkeringen" in first.output
    again = run(str(ANNEX), "--data", str(DATA))
    assert again.exit_code == 1 and "a draft is already there" in again.output
    assert run(str(ANNEX), "--data", str(DATA), "--force").exit_code == 0


def bad_inputs(tmp_path: Path, mapping: Path) -> list[tuple[list[str], str, str]]:
    """(arguments, the file the message names, words it says)."""
    scan = tmp_path / "scan.pdf"
    HTML(string="<div style='width:300px;height:300px;background:#777'></div>").write_pdf(scan)
    unknown = tmp_path / "plan.odt"
    unknown.write_bytes(b"PK\x03\x04")
    text_amount = annex_xlsx(tmp_path / "text-amount.xlsx", text_amount="tre")
    return [
        ([str(scan)], str(scan), "no text layer"),
        ([str(encrypted_pdf(tmp_path / "locked.pdf"))], str(tmp_path / "locked.pdf"), "password-protected"),
        ([str(encrypted_office(tmp_path / "locked.docx"))], str(tmp_path / "locked.docx"), "password-protected"),
        ([str(annex_xlsx(tmp_path / "merged.xlsx", merged=True)), "--mapping", str(mapping)],
         str(tmp_path / "merged.xlsx"), "cells A2:A3: merged cells"),
        ([str(text_amount), "--mapping", str(mapping)], str(text_amount), "cell F3: 'tre' is not a number"),
        ([str(annex_xlsx(tmp_path / "wrong.xlsx", wrong_total=True)), "--mapping", str(mapping)],
         str(tmp_path / "wrong.xlsx"), "row 7: the table does not add up"),
        ([str(unknown)], str(unknown), "unknown format '.odt'"),
        ([str(tmp_path / "missing.docx")], str(tmp_path / "missing.docx"), "no such file"),
        ([str(ANNEX), "--municipality", "org/kobenhavn"], "--municipality", "did you mean 'org/koebenhavn'?"),
        ([str(ANNEX), "--mapping", str(mapping)], str(mapping), "applies to .xlsx and .csv files"),
    ]


def test_bad_input_is_one_line_a_non_zero_exit_and_nothing_written(tmp_path, mapping):
    draft = tmp_path / "draft.yaml"
    for args, named, words in bad_inputs(tmp_path, mapping):
        result = run(*args, "--data", str(DATA), "-o", str(draft))
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        line, = result.output.strip().splitlines()
        assert line.startswith(f"error: nothing written: {named}") and words in line, line
        assert not draft.exists() and not list(tmp_path.glob(".draft-*"))
