"""Dates and deadlines as Danish plans write them: `16. december 2010`, `16/12-2010`, `senest den
2. maj 2011`, `ved udgangen af 2018`, `i 2018`.

A success criterion's deadline is a date in the authoring format (`deadline: 2018-12-31`), a goal's
a year (`deadlineYear: 2018`); what the text says is kept apart from what it means, so `ved udgangen
af 2018` becomes 2018-12-31 and a bare `i 2018` only the year.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {"januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "august": 8,
          "september": 9, "oktober": 10, "november": 11, "december": 12,
          "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "okt": 10,
          "nov": 11, "dec": 12}
_YEAR = r"((?:19|20)\d\d)"
_NAMED = re.compile(rf"\b(\d{{1,2}})\.\s*({'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?\s+{_YEAR}\b",
                    re.IGNORECASE)
_NUMERIC = re.compile(rf"\b(\d{{1,2}})[./-](\d{{1,2}})[./ -]\s*{_YEAR}\b")
_ISO = re.compile(rf"\b{_YEAR}-(\d\d)-(\d\d)\b")
_YEAR_END = re.compile(rf"\b(?:ved udgangen af|udgangen af|ultimo|inden udgangen af)\s+{_YEAR}\b", re.IGNORECASE)
_IN_YEAR = re.compile(rf"\b(?:i|inden|senest|frem mod|i løbet af|fra)\s+{_YEAR}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    """When something is due: a date when the text gives one (or says 'the end of' a year), else a year."""

    year: int
    date: dt.date | None
    as_stated: str


def find_date(text: str) -> tuple[dt.date, str] | None:
    """The first full date in the text and the words it was read from; impossible dates are skipped."""
    for pattern, order in ((_NAMED, "dmy-name"), (_ISO, "ymd"), (_NUMERIC, "dmy")):
        for match in pattern.finditer(text):
            try:
                if order == "dmy-name":
                    day, month, year = int(match.group(1)), MONTHS[match.group(2).casefold()], int(match.group(3))
                elif order == "ymd":
                    year, month, day = (int(g) for g in match.groups())
                else:
                    day, month, year = (int(g) for g in match.groups())
                return dt.date(year, month, day), match.group(0)
            except ValueError:  # 31. februar: not a date, read on
                continue
    return None


def find_deadline(text: str) -> Deadline | None:
    """The deadline a sentence states: a full date, the end of a year, or a year."""
    found = find_date(text)
    if found:
        return Deadline(found[0].year, found[0], found[1])
    match = _YEAR_END.search(text)
    if match:
        year = int(match.group(1))
        return Deadline(year, dt.date(year, 12, 31), match.group(0))
    match = _IN_YEAR.search(text)
    if match:
        return Deadline(int(match.group(1)), None, match.group(0))
    return None
