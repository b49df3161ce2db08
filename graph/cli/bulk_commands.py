"""`policygraph bulk-file` and `derive`: the national graph on a bigger engine, loaded by the
engine's own bulk loader (Virtuoso's `ld_dir` + `rdf_loader_run`), with PolicyGraph doing the rest.

`bulk-file` writes the files as `policygraph load` would store them (one named graph per file, the
ontology graph, blank nodes as the same stable IRIs), as one N-Quads file for the bulk loader: an
engine's loader keeps blank nodes as its own, which no later request can name. `derive` then
rebuilds the derived links and sums from what the engine holds, as a load does at its end."""
from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox

from graph.cli.context import Context, fail
from graph.pipeline.derive import derive
from graph.pipeline.load import graph_contents, ontology_content
from graph.store import StoreError
from loaders import LoadError, load_paths


@click.command("bulk-file")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The N-Quads file to write.")
def bulk_file(paths: tuple[Path, ...], output: Path) -> None:
    """Write plan and RDF files as one N-Quads file for an engine's bulk loader (graphs and IRIs as
    `load` stores them)."""
    try:
        contents = [ontology_content()] + graph_contents(load_paths(list(paths)))
    except LoadError as error:
        fail(f"nothing written: {error}")
        return
    quads = [q for content in contents for q in content.quads]
    with output.open("wb") as out:
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    click.echo(f"{len(quads)} statements in {len(contents)} named graphs written to {output}")


@click.command()
@click.pass_obj
def derive_command(obj: Context) -> None:
    """Rebuild the derived links and sums from what the store holds (after a bulk load)."""
    try:
        count = derive(obj.store())
    except StoreError as error:
        fail(str(error))
        return
    click.echo(f"{count} derived statements")


derive_command.name = "derive"
COMMANDS = [bulk_file, derive_command]
