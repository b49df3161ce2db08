"""Loaders turn outside material into RDF quads, one named graph per source file.

A loader reads and checks a source and returns its quads; it never touches the store.
"""
from __future__ import annotations

from loaders.errors import LoadError
from loaders.sources import LoadedFile, graph_iri_for, load_file, load_paths, supported_suffixes

__all__ = ["LoadError", "LoadedFile", "graph_iri_for", "load_file", "load_paths", "supported_suffixes"]
