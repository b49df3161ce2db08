"""UI texts in Danish and English; one table so that translations are easy to review side by side."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"da": "PolicyGraph", "en": "PolicyGraph"},
    "tagline": {"da": "Kommunale politikker og handleplaner som videngraf: synergier, overlap og huller.",
                "en": "Municipal policies and action plans as a knowledge graph: synergies, overlaps and gaps."},
    "documents": {"da": "Dokumenter", "en": "Documents"},
    "title": {"da": "Titel", "en": "Title"},
    "kind": {"da": "Type", "en": "Kind"},
    "municipality": {"da": "Kommune", "en": "Municipality"},
    "period": {"da": "Periode", "en": "Period"},
    "contents": {"da": "Indhold", "en": "Contents"},
    "count": {"da": "Antal", "en": "Count"},
    "class": {"da": "Klasse", "en": "Class"},
    "statements": {"da": "udsagn", "en": "statements"},
    "graphs": {"da": "navngivne grafer", "en": "named graphs"},
    "sparql": {"da": "SPARQL-endpoint", "en": "SPARQL endpoint"},
    "sparql_help": {"da": "Send forespørgsler efter SPARQL 1.1-protokollen til", "en": "Send SPARQL 1.1 Protocol queries to"},
    "language": {"da": "Sprog", "en": "Language"},
    "other_lang": {"da": "English", "en": "Dansk"},
    "skip": {"da": "Spring til indhold", "en": "Skip to content"},
    "empty": {"da": "Grafen er tom. Kør `policygraph load data/`.", "en": "The graph is empty. Run `policygraph load data/`."},
}


def translate(key: str, lang: str) -> str:
    entry = TEXTS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]
