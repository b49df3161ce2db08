"""The one error type for bad input, so every caller can print it as a single clear line."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class LoadError(Exception):
    """Bad input: names the file, the place in it (line or cell), what is wrong and what was expected."""

    path: str | Path
    problem: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        place = str(self.path)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        text = f"{place}: {self.problem}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def utf8_text(path: str | Path, data: bytes) -> str:
    """The file's text; bytes that are not UTF-8 (a Latin-1 'æ') are refused at their line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(path, f"not UTF-8 text (byte {exc.start} is {data[exc.start:exc.start + 1]!r})", line, column,
                        hint="save the file as UTF-8") from None
