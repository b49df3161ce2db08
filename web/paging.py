"""`?page=N` read one way for every paged view (the question pages, search)."""
from __future__ import annotations

from flask import request

MOST_PAGES = 10_000     # a page beyond this is not a page anyone follows a link to


def page_number(most: int = MOST_PAGES) -> int | None:
    """The page asked for, 1 when absent; None for anything but a whole number from 1 to `most`, which
    the view refuses in its own words. The length is checked before int(): Python refuses to read a
    number of more than 4,300 digits (a ValueError, which would be a 500)."""
    raw = request.args.get("page", "1").strip() or "1"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(most)):
        return None
    return int(raw) if 1 <= int(raw) <= most else None
