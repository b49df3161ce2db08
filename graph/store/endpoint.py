"""Any SPARQL 1.1 Protocol endpoint as a store."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Mapping

import pyoxigraph as ox

from graph.sparql.bindings import inline_values, to_term
from graph.sparql.dataset import Dataset
from graph.store.base import Result, Store, StoreError, _prefix_lines


class SparqlEndpointStore(Store):
    """Any SPARQL 1.1 Protocol endpoint (query + update), for teams that outgrow one machine."""

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 60.0,
                 token: str | None = None) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout
        self.token = token

    def _post(self, url: str, form: list[tuple[str, str]], accept: str) -> tuple[bytes, str]:
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, urllib.parse.urlencode(form).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url} answered {exc.code}: {detail[0] if detail else exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {getattr(exc, 'reason', exc)}") from None

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              dataset: Dataset | None = None, base_iri: str | None = None) -> Result:
        self.guard(sparql)
        if bindings:
            sparql = inline_values(sparql, {k: to_term(v) for k, v in bindings.items()})
        sparql = _base_line(base_iri) + _prefix_lines(sparql) + sparql
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        form = [("query", sparql), *_protocol_dataset(dataset, "default-graph-uri", "named-graph-uri")]
        body, content_type = self._post(self.query_url, form, accept)
        if content_type.startswith("application/n-triples"):
            return _triples(body)
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise StoreError(f"the endpoint sent results that are not SPARQL JSON: {exc}") from None

    def _write(self, sparql: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> None:
        form = [("update", _base_line(base_iri) + _prefix_lines(sparql) + sparql),
                *_protocol_dataset(dataset, "using-graph-uri", "using-named-graph-uri")]
        self._post(self.update_url, form, "*/*")


def _base_line(base_iri: str | None) -> str:
    """The protocol has no base IRI parameter: the text declares it (a BASE of its own still wins)."""
    return f"BASE {ox.NamedNode(base_iri)}\n" if base_iri else ""


def _protocol_dataset(dataset: Dataset | None, default: str, named: str) -> list[tuple[str, str]]:
    """A dataset as SPARQL 1.1 Protocol parameters: the endpoint applies them, its way."""
    if dataset is None:
        return []
    return [*((default, g) for g in dataset.default_graphs), *((named, g) for g in dataset.named_graphs)]


def _triples(body: bytes):
    return iter(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
