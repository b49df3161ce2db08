"""The store and its backends: one small API (base.py), embedded Oxigraph on disk or in memory
(oxigraph.py, with its folder of generations in folder.py), a copy in memory for serving (memory.py),
any SPARQL 1.1 endpoint (endpoint.py), ad-hoc queries in worker processes (pool.py), and the one
way to name a resource (labels.py)."""
from __future__ import annotations

import os
from pathlib import Path

from graph.sparql.dataset import Dataset
from graph.store.base import EXPORT_FORMATS, GraphContent, RefusedText, Result, Store, StoreError, Term
from graph.store.endpoint import SparqlEndpointStore
from graph.store.memory import MemoryReplica
from graph.store.oxigraph import BULK_THRESHOLD, OxigraphStore, oxigraph_query_options

__all__ = ["BULK_THRESHOLD", "Dataset", "EXPORT_FORMATS", "GraphContent", "MemoryReplica", "OxigraphStore", "RefusedText",
           "Result", "SparqlEndpointStore", "Store", "StoreError", "Term", "open_store", "oxigraph_query_options"]


def open_store(location: str | Path | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, token: str | None = None, in_memory: bool = False) -> Store:
    """The CLI and the web app open the store through this, from flags or the environment.
    `in_memory`: answer from a copy in memory (the web app, where reads dominate).
    Federation (SERVICE, LOAD) stays off unless POLICYGRAPH_ALLOW_SERVICE=1."""
    if endpoint:
        store: Store = SparqlEndpointStore(endpoint, update_endpoint, token=token)
    else:
        disk = OxigraphStore(location)
        store = MemoryReplica(disk) if in_memory and location is not None else disk
    store.allow_federation = os.environ.get("POLICYGRAPH_ALLOW_SERVICE") == "1"
    return store
