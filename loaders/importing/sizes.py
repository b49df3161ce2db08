"""Target-group sizes as tables state them: `Min. 350 jobparate med løbende optag`, `1.500 borgere`.

The figure, whether it is a floor (`min.`, `mindst`, `over`) or a count, and the words around it are
kept apart, so the draft says `annualSize: 350, sizeQualifier: AtLeast` and quotes the cell as stated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.importing.amounts import parse_number

_AT_LEAST = r"(?:min\.?|minimum|mindst|over|op mod|mere end)"
_AT_MOST = r"(?:maks\.?|max\.?|maksimalt|højst|op til|under)"
_SIZE = re.compile(rf"^\s*(?:(?P<least>{_AT_LEAST})|(?P<most>{_AT_MOST})|ca\.?|cirka|omkring)?\s*"
                   r"(?P<number>\d{1,3}(?:\.\d{3})+|\d+)\b\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class StatedSize:
    """How many a line reaches a year, as the document says it."""

    size: int
    qualifier: str | None  # AtLeast or Exactly (the ontology's qualifiers); None for a ceiling ('højst 50')
    who: str  # the words after the figure: 'jobparate med løbende optag'
    as_stated: str
    approximate: bool = False


def parse_size(text: str) -> StatedSize | None:
    """The size a cell states, or None when it states none (a year, an amount or plain words)."""
    cleaned = " ".join(str(text).split())
    match = _SIZE.match(cleaned)
    if not match or not match.group("rest") or not re.match(r"[^\W\d]", match.group("rest")):
        return None  # a bare figure is an amount or a year, not a size
    qualifier = "AtLeast" if match.group("least") else None if match.group("most") else "Exactly"
    approximate = bool(re.match(r"\s*(ca\.?|cirka|omkring)\b", cleaned, re.IGNORECASE))
    return StatedSize(int(parse_number(match.group("number"))), qualifier, match.group("rest").strip(), cleaned,
                      approximate)
