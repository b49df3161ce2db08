"""Danish numbers and units (loaders/importing/amounts.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.importing.amounts import (NotAnAmount, amounts_in_text, as_yaml_number, kroner, looks_like_year,
                                       parse_cell, parse_number, unit_in)


@pytest.mark.parametrize("text, value", [
    ("3.300", Decimal(3300)), ("11.000", Decimal(11000)), ("0", Decimal(0)), ("0,9", Decimal("0.9")),
    ("1.250,5", Decimal("1250.5")), ("-400", Decimal(-400)), ("<u>7.200</u>", Decimal(7200)), ("3 300", Decimal(3300)),
    ("400 kr.", Decimal(400)), ("1.000.000", Decimal(1_000_000)),
])
def test_danish_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["tre", "3.30", "3,300,000", "1.2.3", "ca. 300", "3.300 4.400", "12a"])
def test_what_is_no_number_is_refused(text):
    with pytest.raises(NotAnAmount, match="is not a number"):
        parse_number(text)


def test_cells_keep_spreadsheet_numbers_and_read_blanks_as_empty():
    assert parse_cell(3300) == Decimal(3300)
    assert parse_cell(0.9) == Decimal("0.9")
    assert parse_cell(None) is None and parse_cell("  ") is None and parse_cell("-") is None
    with pytest.raises(NotAnAmount):
        parse_cell(True)


@pytest.mark.parametrize("heading, multiplier", [
    ("Indsatser (udgifter i 1.000 kr.)", 1000), ("Beløb i mio. kr.", 1_000_000), ("tkr.", 1000),
    ("i mia. kr.", 1_000_000_000), ("Målgruppe årligt", None),
])
def test_units_stated_in_headings(heading, multiplier):
    unit = unit_in(heading)
    assert (unit.multiplier if unit else None) == multiplier


def test_3300_in_a_table_of_thousands_is_3_3_million_and_0_9_mio_is_900_000():
    assert kroner(parse_number("3.300"), unit_in("1.000 kr.")) == 3_300_000
    (amount, unit), = amounts_in_text("en ramme på 0,9 mio. kr. årligt")
    assert kroner(amount, unit) == 900_000
    (amount, unit), = amounts_in_text("indsatser til samlet 11 mio. kr.")
    assert kroner(amount, unit) == 11_000_000


def test_yaml_numbers_and_years():
    assert as_yaml_number(Decimal("3300")) == 3300 and isinstance(as_yaml_number(Decimal("3300")), int)
    assert as_yaml_number(Decimal("0.9")) == 0.9
    assert looks_like_year("2019") == 2019 and looks_like_year("3.300") is None and looks_like_year("219") is None
