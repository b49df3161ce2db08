"""The store and its backends: one small API (base.py), embedded Oxigraph on disk or in memory
(oxigraph.py, with its folder of generations in folder.py), a copy in memory for serving (memory.py),
any SPARQL 1.1 endpoint (remote/), ad-hoc queries in worker processes (pool.py), and the one
way to name a resource (labels.py)."""
from __future__ import annotations

import os
from pathlib import Path

from graph.sparql.dataset import Dataset
from graph.store.base import EXPORT_FORMATS, GraphContent, RefusedText, Result, Store, StoreError, StoreTimeout, Term
from graph.store.remote import EndpointSettings, SparqlEndpointStore, endpoint_settings
from graph.store.memory import MemoryReplica
from graph.store.oxigraph import BULK_THRESHOLD, OxigraphStore, oxigraph_query_options

__all__ = ["BULK_THRESHOLD", "Dataset", "EXPORT_FORMATS", "GraphContent", "MemoryReplica", "OxigraphStore", "RefusedText",
           "EndpointSettings", "Result", "SparqlEndpointStore", "Store", "StoreError", "StoreTimeout", "Term",
           "endpoint_settings", "open_store", "oxigraph_query_options"]


def open_store(location: str | Path | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, token: str | None = None, in_memory: bool = False,
               settings: EndpointSettings | None = None) -> Store:
    """The CLI and the web app open the store through this, with `settings` from `endpoint_settings`
    (flags and the environment, read in that one place; a remote engine when it names one).
    `in_memory`: answer from a copy in memory (the web app, where reads dominate).
    Federation (SERVICE, LOAD) stays off unless POLICYGRAPH_ALLOW_SERVICE=1."""
    if settings is None and endpoint:
        settings = EndpointSettings(endpoint, update_endpoint, token=token)
    if settings is not None and settings.query_url:
        store: Store = SparqlEndpointStore(settings.query_url, settings=settings)
    else:
        disk = OxigraphStore(location)
        store = MemoryReplica(disk) if in_memory and location is not None else disk
    store.allow_federation = os.environ.get("POLICYGRAPH_ALLOW_SERVICE") == "1"
    return store
