"""The name of a resource, the same on every page, in the report, the CLI and the analytics.

It sits with the store because everything that names a resource reads it through the store API, and
every room of graph (and web) may use the store.

One fallback order, for everything that names a resource:
1. a label in the reader's language, 2. one in the other of Danish and English, 3. a label in any
other language (untagged first, then by language tag), 4. the name the ontology gives a term of
another vocabulary that the graph does not label (ontology/external-labels.ttl, same languages order), 5. the
short form of the IRI (`ontology.curie`). Labels are the literals of LABEL_PROPERTIES; when a resource
has more than one in a language, the property earlier in that tuple wins, then the smallest text,
so the choice never depends on the order a store returns rows in.
"""
from __future__ import annotations

from typing import Iterable, Mapping

import pyoxigraph as ox

from graph.store.base import Store
from ontology import DCT, FOAF, RDFS, SKOS, curie, external_labels
from ontology.texts import LANGUAGES

LABEL_PROPERTIES = (SKOS + "prefLabel", DCT + "title", RDFS + "label", FOAF + "name")
CHUNK = 2000  # IRIs per query: one query for a page (a results table names up to 2000)


def fallback_languages(lang: str) -> tuple[str, ...]:
    """The reader's language, then the other of Danish and English."""
    return (lang, *(other for other in LANGUAGES if other != lang))


def chosen_language(by_language: Mapping[str, str], lang: str) -> str | None:
    """The language `choose` takes its text from ("" for an untagged text; None: no text at all)."""
    for wanted in fallback_languages(lang):
        if by_language.get(wanted):
            return wanted
    rest = sorted(tag for tag, text in by_language.items() if text)
    return rest[0] if rest else None


def choose(by_language: Mapping[str, str], lang: str) -> str | None:
    """One text from language -> text in the fallback order (steps 1-3 of the module's docstring)."""
    tag = chosen_language(by_language, lang)
    return None if tag is None else by_language[tag]


def other_language(tag: str | None, lang: str) -> str:
    """`tag` when it is the other of Danish and English than `lang` (a text a reader of `lang` is told
    is in another language, "(in Danish)"); else "" (the reader's own, untagged, or none)."""
    return tag if tag in LANGUAGES and tag != lang else ""


def by_language(labels: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """(property, language, text) triples to language -> the text that wins in that language."""
    ranked: dict[str, tuple[int, str]] = {}
    for prop, language, text in labels:
        rank = (LABEL_PROPERTIES.index(prop), text)
        if language not in ranked or rank < ranked[language]:
            ranked[language] = rank
    return {language: text for language, (_, text) in ranked.items()}


# One branch per property (each an index lookup; VALUES ?p joined with VALUES ?s was 3x slower).
_LABELS = " UNION ".join(f"{{ ?s <{p}> ?l BIND(<{p}> AS ?p) }}" for p in LABEL_PROPERTIES)


class Labeller:
    """Names resources in one language (the fallback order is the module's docstring), reading the
    labels of many IRIs in one query: a page calls `load` with every IRI it shows, then names each."""

    def __init__(self, store: Store, lang: str) -> None:
        self.store, self.lang = store, lang
        self.cache: dict[str, dict[str, str]] = {}
        self.complete = False  # after load_all: an IRI not in the cache has no label, no query needed

    def load(self, iris: Iterable[str]) -> None:
        """Read the labels of the IRIs not read yet (a few queries of CHUNK IRIs at most)."""
        if self.complete:
            return
        missing = sorted({i for i in iris if i and i not in self.cache})
        for iri in missing:
            self.cache[iri] = {}
        for start in range(0, len(missing), CHUNK):
            values = " ".join(str(ox.NamedNode(i)) for i in missing[start:start + CHUNK])
            self._read("SELECT ?s ?p ?l WHERE { VALUES ?s { " + values + " } " + _LABELS + " FILTER(isLITERAL(?l)) }")

    def load_all(self) -> None:
        """Read the labels of every IRI in the graph in one query: for views that name the whole graph."""
        self._read("SELECT ?s ?p ?l WHERE { " + _LABELS + " FILTER(isIRI(?s) && isLITERAL(?l)) }")
        self.complete = True

    def _read(self, sparql: str) -> None:
        found: dict[str, list[tuple[str, str, str]]] = {}
        for row in self.store.query(sparql):
            found.setdefault(row["s"].value, []).append((row["p"].value, row["l"].language or "", row["l"].value))
        for iri, labels in found.items():
            self.cache[iri] = by_language(labels)

    def all(self, iri: str) -> dict[str, str]:
        """Every language's label of the IRI as stated in the graph (language "" for an untagged one)."""
        self.load((iri,))
        return self.cache.get(iri, {})

    def language(self, iri: str) -> str:
        """The language of the name `self(iri)` gives: a language tag, "" for an untagged label or
        for the IRI's short form. Pages mark a name in the other language as such ("(in Danish)")."""
        stated = chosen_language(self.all(iri), self.lang)
        if stated is not None:
            return stated
        return chosen_language(external_labels().get(iri, {}), self.lang) or ""

    def other(self, iri: str) -> str:
        """The name's language when it is the other of Danish and English than the reader's, else ""."""
        return other_language(self.language(iri), self.lang)

    def __call__(self, iri: str) -> str:
        return (choose(self.all(iri), self.lang) or choose(external_labels().get(iri, {}), self.lang)
                or curie(iri))
