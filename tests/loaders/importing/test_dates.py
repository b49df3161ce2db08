"""Dates and deadlines as Danish plans write them (loaders/importing/dates.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from loaders.importing.dates import find_date, find_deadline


@pytest.mark.parametrize("text, date", [
    ("Borgerrepræsentationen vedtog den 16. december 2010 en ny inklusionspolitik", dt.date(2010, 12, 16)),
    ("senest den 2. maj 2011", dt.date(2011, 5, 2)), ("frist 16/5-2011", dt.date(2011, 5, 16)),
    ("møde 02-03-2022 kl. 10", dt.date(2022, 3, 2)), ("dato 2018-12-13", dt.date(2018, 12, 13)),
    ("den 1. okt. 2019", dt.date(2019, 10, 1)),
])
def test_full_dates(text, date):
    assert find_date(text)[0] == date


@pytest.mark.parametrize("text", ["den 31. februar 2019", "27. august", "3.300 kr.", "i 2018"])
def test_no_full_date(text):
    assert find_date(text) is None


def test_deadlines_a_date_the_end_of_a_year_or_a_year():
    assert find_deadline("Ved udgangen af 2018: skal trivslen være forbedret").date == dt.date(2018, 12, 31)
    year_only = find_deadline("I 2018 skal kommunen have øget antallet")
    assert (year_only.year, year_only.date, year_only.as_stated) == (2018, None, "I 2018")
    assert find_deadline("senest den 16. maj 2011").date == dt.date(2011, 5, 16)
    assert find_deadline("flere i job") is None
