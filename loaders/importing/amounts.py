"""Danish numbers and the units budget tables state them in.

A Danish table writes `3.300` for three thousand three hundred and `0,9` for nine tenths, and says
once, in a heading, what a figure counts (`udgifter i 1.000 kr.`, `mio. kr.`). The authoring format
keeps the figure as printed with its unit (`amount: 3300, unitMultiplier: 1000`), so the draft can be
checked against the page; `kroner()` gives the value in kroner where a sum must be compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# `3.300`, `11.000`, `0`, `0,9`, `1.250,5`, `-400`, `3 300`: thousands grouped by '.' or a space, ',' decimals.
_DANISH_NUMBER = re.compile(r"^[-−–]?\d{1,3}(?:[. \u00a0]\d{3})*(?:,\d+)?$|^[-−–]?\d+(?:,\d+)?$")
_TOKEN = re.compile(r"[-−–]?\d[\d. \u00a0]*(?:,\d+)?")
# Words a table cell may carry around its figure without changing it (underlined totals, 'kr.').
_DECORATION = re.compile(r"</?u>|\*|\bkr\.?|\bDKK\b", re.IGNORECASE)
_EMPTY = {"", "-", "–", "—"}


class NotAnAmount(ValueError):
    """The text is not a Danish number; its message says what was found."""


@dataclass(frozen=True)
class Unit:
    """What one printed figure counts: `1.000 kr.` is multiplier 1000 in DKK."""

    multiplier: int
    currency: str = "DKK"
    as_stated: str = "kr."


KRONER = Unit(1, "DKK", "kr.")
_UNITS = (
    (re.compile(r"\bmia\b\.?|\bmilliard", re.IGNORECASE), 1_000_000_000, "mia. kr."),
    (re.compile(r"\bmio\b\.?|\bmillion", re.IGNORECASE), 1_000_000, "mio. kr."),
    (re.compile(r"1\.000\s*kr|\btkr\.?|\bt\.\s*kr|\btusind", re.IGNORECASE), 1000, "1.000 kr."),
)


def parse_number(text: str) -> Decimal:
    """`3.300` -> 3300, `0,9` -> 0.9, `1.250,5` -> 1250.5; anything else raises NotAnAmount."""
    cleaned = _DECORATION.sub("", str(text)).strip()
    if not _DANISH_NUMBER.match(cleaned):
        raise NotAnAmount(f"'{str(text).strip()}' is not a number (Danish style: 3.300 or 0,9)")
    sign = -1 if cleaned[0] in "-−–" else 1
    digits = cleaned.lstrip("-−–").replace(".", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        return sign * Decimal(digits)
    except InvalidOperation:  # the pattern above makes this unreachable; kept for a clear message
        raise NotAnAmount(f"'{text}' is not a number") from None


def parse_cell(value: object) -> Decimal | None:
    """A budget cell: a number from a spreadsheet as it is, Danish text parsed, an empty cell None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotAnAmount(f"'{value}' is not a number")
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = str(value).strip()
    if _DECORATION.sub("", text).strip() in _EMPTY:
        return None
    return parse_number(text)


def unit_in(text: str) -> Unit | None:
    """The unit a heading or caption states (`Indsatser (udgifter i 1.000 kr.)`), or None."""
    for pattern, multiplier, stated in _UNITS:
        if pattern.search(text):
            return Unit(multiplier, "DKK", stated)
    return None


def amounts_in_text(text: str) -> list[tuple[Decimal, Unit]]:
    """Figures with their unit in running text: `0,9 mio. kr.` -> (0.9, mio.), `11 mio. kr.` -> (11, mio.)."""
    found = []
    for match in re.finditer(r"(\d[\d.]*(?:,\d+)?)\s*(mia\.|mio\.|millioner|milliarder|1\.000 kr\.|kr\.)", text,
                             re.IGNORECASE):
        unit = unit_in(match.group(2)) or KRONER
        found.append((parse_number(match.group(1)), unit))
    return found


def kroner(amount: Decimal, unit: Unit) -> Decimal:
    """The amount in kroner: 3.300 in a table of 1.000 kr. is 3,300,000."""
    return amount * unit.multiplier


def as_yaml_number(amount: Decimal) -> int | float:
    """A whole number as int (3300), a fraction as float (0.9): what the authoring format reads back."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def looks_like_year(text: str) -> int | None:
    """A column heading that is a year (`2019`), else None."""
    match = re.fullmatch(r"\s*((?:19|20)\d\d)\s*", str(text))
    return int(match.group(1)) if match else None
