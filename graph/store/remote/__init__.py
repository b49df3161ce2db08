"""A remote SPARQL 1.1 engine as a store: the store (store.py), reading engines' dialects
(results.py), staged portable writes (writes.py), addresses and credentials (auth.py)."""
from __future__ import annotations

from graph.store.remote.auth import EndpointSettings, endpoint_settings
from graph.store.remote.store import SparqlEndpointStore

__all__ = ["EndpointSettings", "SparqlEndpointStore", "endpoint_settings"]
