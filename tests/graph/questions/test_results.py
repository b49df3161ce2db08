"""graph/questions/results.py: command-line parameters as RDF terms and CSV cells a spreadsheet will not run."""
from __future__ import annotations

import csv
import io

import pytest

from graph.questions.results import foreign_digits, parse_param, spreadsheet_cell, spreadsheet_csv


@pytest.mark.parametrize("text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                  "=HYPERLINK(\"http://evil\",\"x\")", "-5+cmd|x", "+"])
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+3.5", "-0.25", "1e-3", "-2E+4", "Plan 2020", "", "a=b", "2019-2022"])
def test_plain_numbers_and_ordinary_text_stay_as_they_are(text):
    """A number cannot carry a formula; prefixing it would turn budget figures into text."""
    assert spreadsheet_cell(text) == text


def test_spreadsheet_csv_neutralises_every_cell_and_keeps_the_rest_standard():
    body = spreadsheet_csv(["label", "amount"], [["=1+1", "-5"], ["a, \"b\"", "7"]])
    assert body.endswith("\r\n")
    assert list(csv.reader(io.StringIO(body))) == [["label", "amount"], ["'=1+1", "-5"], ['a, "b"', "7"]]


@pytest.mark.parametrize("value", ["２０２１", "٢٠٢١", "٢٠٢١-٠١-٠١", "-٥"])
def test_numbers_in_other_digits_are_refused_as_parameters(value):
    assert foreign_digits(value)
    with pytest.raises(ValueError, match="digits 0-9"):
        parse_param(f"year={value}")


def test_text_with_other_digits_is_still_text():
    name, term = parse_param("title=Plan ٢")
    assert name == "title" and term.value == "Plan ٢"
