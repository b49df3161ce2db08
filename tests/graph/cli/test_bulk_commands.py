"""The README's guide for the national graph on a bigger engine, run as written on Virtuoso:
`policygraph bulk-file`, the engine's bulk loader, then `policygraph derive` signed in with Digest and
writing by the Graph Store Protocol (graph/cli/bulk_commands.py)."""
from __future__ import annotations

import uuid
from pathlib import Path

from click.testing import CliRunner

from graph.pipeline.load import load_into_store
from graph.store import OxigraphStore
from graph.store.skolem import SKOLEM_MARK
from tests.virtuoso import isql
from web.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_bulk_file_then_the_engines_loader_then_derive_give_what_load_gives(virtuoso_server, virtuoso_store):
    before = set(virtuoso_store.graphs())
    name = f"bulk-{uuid.uuid4().hex[:8]}.nq"
    bulk = Path(virtuoso_server["folder"]) / name
    written = CliRunner().invoke(main, ["bulk-file", str(ROOT / "data"), "-o", str(bulk)])
    assert written.exit_code == 0, written.output
    assert "_:" not in bulk.read_text(encoding="utf-8") and SKOLEM_MARK in bulk.read_text(encoding="utf-8")
    isql(virtuoso_server["sql"], f"ld_dir('{virtuoso_server['folder']}', '{name}', 'urn:x-bulk-default'); "
                                 "rdf_loader_run(); checkpoint;")
    guide = {"POLICYGRAPH_ENDPOINT": virtuoso_server["auth"], "POLICYGRAPH_ENDPOINT_AUTH": "digest",
             "POLICYGRAPH_ENDPOINT_USER": virtuoso_server["user"], "POLICYGRAPH_ENDPOINT_PASSWORD": virtuoso_server["password"],
             "POLICYGRAPH_GRAPH_STORE": virtuoso_server["graph_store_auth"]}
    derived = CliRunner().invoke(main, ["derive"], env=guide)
    assert derived.exit_code == 0, derived.output
    embedded = OxigraphStore()
    load_into_store(embedded, [ROOT / "data"])
    try:
        assert virtuoso_store.graphs() == embedded.graphs()
        assert virtuoso_store.count() == embedded.count()
    finally:
        virtuoso_store.drop_graphs(sorted(set(virtuoso_store.graphs()) - before))
