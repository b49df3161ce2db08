"""`policygraph export-plan`, `export-stratml` and `import-stratml`: a plan out of the store as an
authoring YAML file or as StratML, and a StratML file in as a draft YAML file. The conversions live in
loaders (loaders/export, loaders/stratml); this module finds the document's file in the store and
writes files, all checks first, so bad input ends in one line and nothing written."""
from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox

from graph.cli.context import Context, fail
from graph.store import Store, StoreError
from graph.store.labels import Labeller
from loaders import LoadError
from loaders.authoring import yaml_to_jsonld
from graph.store.skolem import unskolemise
from loaders.export.authoring import authoring_yaml
from loaders.stratml.read import stratml_draft
from loaders.stratml.write import StratmlInvalid, stratml_xml
from ontology import RDF, base_iri, curie, expand, file_of_graph


def document_graph(store: Store, document: str) -> str:
    """The named graph of the file that describes the document (the one saying most about it, when a
    catalogue also mentions it); LookupError when no loaded file describes it."""
    sparql = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?doc ?p ?o } } GROUP BY ?g"
    counts = [(int(row["n"].value), row["g"].value) for row in store.query(sparql, {"doc": ox.NamedNode(document)})]
    typed = {row["g"].value for row in store.query("SELECT ?g WHERE { GRAPH ?g { ?doc <" + RDF + "type> ?t } }",
                                                    {"doc": ox.NamedNode(document)})}
    files = sorted((n, g) for n, g in counts if g in typed and file_of_graph(g) is not None)
    if not files:
        raise LookupError(f"no loaded file describes '{curie(document)}'")
    return files[-1][1]


def _document_quads(obj: Context, document_id: str) -> tuple[str, str, list[ox.Quad]]:
    document = expand(document_id)
    try:
        ox.NamedNode(document)
    except ValueError:
        fail(f"'{document_id}' is not an id (ids look like doc/koebenhavn/integrationshandleplan-2019-22)")
    try:
        graph = document_graph(obj.store(), document)
        return document, graph, unskolemise(obj.store().quads(graph))  # nested in the file, as written
    except LookupError as error:
        fail(f"{error} (see `policygraph search` for ids)")
    except StoreError as error:
        fail(str(error))
    raise AssertionError("unreachable")


def _write(output: Path | None, data: bytes, force: bool) -> None:
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    if output.exists() and not force:
        fail(f"{output}: the file exists; nothing written (use --force to replace it)")
    try:
        output.write_bytes(data)
    except OSError as error:
        fail(f"{output}: cannot write ({error.strerror or error})")
    click.echo(f"Wrote {output}.", err=True)


OUTPUT = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                      help="File to write (default: stdout).")
FORCE = click.option("--force", is_flag=True, help="Replace the output file if it exists.")


@click.command(name="export-plan")
@click.argument("document_id", metavar="DOC-ID")
@OUTPUT
@FORCE
@click.pass_obj
def export_plan(obj: Context, document_id: str, output: Path | None, force: bool) -> None:
    """Write the file a document was loaded from back as authoring YAML (e.g. doc/koebenhavn/integrationshandleplan-2019-22).

    Loading the result instead of the original gives the same graph; comments are not kept."""
    document, graph, quads = _document_quads(obj, document_id)
    header = (f"Exported from the store by `policygraph export-plan {curie(document)}` (the loaded file "
              f"{file_of_graph(graph)}).\nComments of the original file are not kept.")
    text = authoring_yaml(quads, base_iri(), document, header)
    _write(output, text.encode("utf-8"), force)


@click.command(name="export-stratml")
@click.argument("document_id", metavar="DOC-ID")
@OUTPUT
@FORCE
@click.pass_obj
def export_stratml(obj: Context, document_id: str, output: Path | None, force: bool) -> None:
    """Write a document as StratML Part 1 (ISO 17469-1) XML, checked against the schema (docs/stratml.md)."""
    document, _graph, quads = _document_quads(obj, document_id)
    try:
        labeller = Labeller(obj.store(), obj.lang)
        data = stratml_xml(quads, document, obj.lang, labeller)
    except StratmlInvalid as error:
        fail(f"the StratML written for {curie(document)} breaks the schema: {error}")
        return
    except StoreError as error:
        fail(str(error))
        return
    _write(output, data, force)


@click.command(name="import-stratml")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "document_id", metavar="DOC-ID", help="Id of the drafted document (default doc/stratml/<name>).")
@click.option("--strict", is_flag=True, help="Refuse a file that breaks the StratML schema (default: warn).")
@OUTPUT
@FORCE
@click.pass_obj
def import_stratml(obj: Context, path: Path, document_id: str | None, strict: bool, output: Path | None,
                   force: bool) -> None:
    """Read a StratML file into a draft authoring YAML file, to review before loading."""
    try:
        data = path.read_bytes()
    except OSError as error:
        fail(f"{path}: cannot read the file ({error.strerror or error})")
        return
    try:
        draft = stratml_draft(path, data, obj.lang, document_id, strict)
        yaml_to_jsonld(output or path.with_suffix(".yaml"), draft.text)  # the draft must read as the format
    except LoadError as error:
        fail(f"nothing written: {error}")
        return
    for warning in draft.warnings:
        click.echo(f"warning: {path}: {warning}", err=True)
    _write(output, draft.text.encode("utf-8"), force)


COMMANDS = [export_plan, export_stratml, import_stratml]
