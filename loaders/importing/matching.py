"""Names in a document matched to what the data folder already knows: organisations, target groups,
themes and the bearings of adopted policies.

A draft that invents `tg/jobparate` next to the existing `tg/jobparate-ledige` splits one group in
two and every gap question goes wrong, so each name is matched to the known ids first (exact label
or alternative label, then fuzzy with rapidfuzz), and only what matches nothing is proposed as new.
Every match carries its score so the draft can say how sure it is.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from rapidfuzz import fuzz

from loaders.authoring import read_yaml
from loaders.errors import LoadError

# Below this rapidfuzz score (0-100) a name is not taken for a known one.
FUZZY_THRESHOLD = 88
_KINDS = {"TargetGroup": "tg", "Theme": "theme", "Bearing": "bearing", "Municipality": "org", "Committee": "org",
          "Administration": "org", "CityCouncil": "org", "AdvisoryBody": "org", "ExternalPartner": "org"}


def normalise(text: str) -> str:
    """For comparing names: case, punctuation, stars and footnote marks, numbering and a hyphen
    broken over a line (`familie-forsørgede`) do not count."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"[*¹²³⁴⁵⁶⁷⁸⁹⁰]", "", text)
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)
    text = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s+", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def slug(text: str, most: int = 60) -> str:
    """An id part from a name: `Jobparate ledige` -> `jobparate-ledige` (æ ø å as ae oe aa)."""
    text = str(text).casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > most:
        text = text[:most + 1].rsplit("-", 1)[0] if "-" in text[:most + 1] else text[:most]
    return text.rstrip("-") or "x"


@dataclass(frozen=True)
class Known:
    """A resource the data folder defines, with every label it goes by."""

    id: str
    kind: str  # tg | theme | bearing | org
    labels: tuple[str, ...]
    label: str  # the Danish (or first) label, for comments in the draft


@dataclass(frozen=True)
class Match:
    """A name matched to a known id (score 100 for an exact label), or a proposed new id (new=True)."""

    id: str
    score: float
    label: str
    new: bool = False


class Catalogue:
    """What is known, by kind, and the matching of names against it."""

    def __init__(self, known: Iterable[Known]) -> None:
        self.known = list(known)

    @classmethod
    def from_folder(cls, folder: Path | None) -> "Catalogue":
        """Everything known in a data folder's YAML files (nothing when there is no folder)."""
        if folder is None or not Path(folder).is_dir():
            return cls([])
        found: list[Known] = []
        for path in sorted(Path(folder).rglob("*.y*ml")):
            try:
                data = read_yaml(path)
            except LoadError:
                continue  # a broken data file is the loader's to report, not the importer's
            found += _known_in(data)
        return cls(found)

    def of_kind(self, kind: str, prefix: str = "") -> list[Known]:
        return [k for k in self.known if k.kind == kind and k.id.startswith(prefix)]

    def best(self, text: str, kind: str, prefix: str = "") -> Match | None:
        """The known resource whose label is this name (or nearly: score >= FUZZY_THRESHOLD)."""
        wanted = normalise(text)
        if not wanted:
            return None
        best: Match | None = None
        for known in self.of_kind(kind, prefix):
            score = max(fuzz.ratio(wanted, normalise(label)) for label in known.labels)
            if score >= FUZZY_THRESHOLD and (best is None or score > best.score):
                best = Match(known.id, round(score, 1), known.label)
        return best

    def named_in(self, text: str, kind: str, prefix: str = "") -> list[Match]:
        """Known resources whose label (or short name such as `BIU`) stands in the text as words."""
        haystack = f" {normalise(text)} "
        original = f" {text} "
        found: dict[str, Match] = {}
        for known in self.of_kind(kind, prefix):
            for label in known.labels:
                wanted = normalise(label)
                short = label.isupper() and len(label) <= 6
                if short and re.search(rf"(?<![\w]){re.escape(label)}(?![\w])", original):
                    found.setdefault(known.id, Match(known.id, 95.0, known.label))
                elif not short and len(wanted) >= 4 and f" {wanted} " in haystack:
                    found.setdefault(known.id, Match(known.id, 100.0, known.label))
        return list(found.values())

    def target_group(self, text: str, municipality_prefix: str = "") -> Match:
        """The known target group this name is, or a proposed new one (tg/<slug>)."""
        match = self.best(text, "tg")
        if match:
            return match
        return Match(f"tg/{slug(text)}", 0.0, text.strip(), new=True)


def _known_in(data: Any) -> list[Known]:
    """The identified nodes of one data file (a single node, or a `graph:` list), nested ones too."""
    found: list[Known] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            types = node.get("type")
            types = list(types) if isinstance(types, list) else [types]
            kind = next((_KINDS[t] for t in types if t in _KINDS), None)
            if kind and isinstance(node.get("id"), str):
                labels = _labels(node.get("label")) + _labels(node.get("altLabel"))
                if labels:
                    found.append(Known(node["id"], kind, tuple(labels), labels[0]))
            stack += [v for v in node.values() if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += [v for v in node if isinstance(v, (dict, list))]
    return found


def _labels(value: Any) -> list[str]:
    if isinstance(value, dict):
        ordered = [value[lang] for lang in ("da", "en") if lang in value] + \
                  [v for lang, v in value.items() if lang not in ("da", "en")]
        out: list[str] = []
        for item in ordered:
            out += [str(i) for i in item] if isinstance(item, list) else [str(item)]
        return out
    return [str(value)] if isinstance(value, str) else []
