"""The words of a draft's places and reasons in Danish and English.

The importer writes `source.at` and the `# draft: confidence 0.90 (reason)` comment in the document's
own language, as the hand-made files do (`Tabel 1, række 3`); the review page shows them in the
reader's. A reason is a key of ontology/texts/importing.yaml (`importing.why.KEY`) with its values;
written out in one language, it is read back by matching the texts of both languages, so the draft
itself stays plain YAML with nothing but the words a person reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ontology.texts import LANGUAGES, all_texts, translate

_DANISH = re.compile(r"\b(og|i|til|af|med|på|der|er|en|et|som|for|ikke|skal|plan|indsats\w*)\b|[æøå]", re.IGNORECASE)
_ENGLISH = re.compile(r"\b(and|the|of|to|with|on|is|are|a|an|which|for|not|shall|plan|initiatives?)\b", re.IGNORECASE)


def document_language(texts: list[str]) -> str:
    """`da` or `en`, by the common words of the document's first few thousand characters; a document
    in neither (or too short to tell) counts as Danish, the language of the plans this is for."""
    sample = " ".join(texts)[:20_000]
    return "en" if len(_ENGLISH.findall(sample)) > 2 * len(_DANISH.findall(sample)) else "da"


@dataclass(frozen=True)
class Reason:
    """Why the importer is as sure as it is: a key of `importing.why.*` and the values it names."""

    key: str
    values: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return translate(f"importing.why.{self.key}", lang).format(**self.values)


@lru_cache(maxsize=1)
def _reason_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    patterns = []
    for key, entry in all_texts().items():
        if not key.startswith("importing.why."):
            continue
        for lang in LANGUAGES:
            parts = re.split(r"\{(\w+)\}", entry.get(lang, ""))
            regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*)" for i, p in enumerate(parts))
            patterns.append((key.removeprefix("importing.why."), re.compile(f"^{regex}$", re.DOTALL)))
    return tuple(patterns)


def read_reason(text: str) -> Reason | None:
    """The reason a draft's comment states, in either language; None for words no key writes (a draft
    edited by hand, an older draft)."""
    for key, pattern in _reason_patterns():
        match = pattern.match(text.strip())
        if match:
            return Reason(key, match.groupdict())
    return None


def shown_reason(text: str, lang: str) -> str:
    """A comment's reason in the reader's language (as written when it cannot be read back)."""
    reason = read_reason(text)
    return reason.text(lang) if reason is not None else text
