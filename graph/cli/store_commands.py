"""`policygraph load`, `validate`, `query`, `export` and `stats`: the commands about the store itself."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from graph.pipeline.load import ValidationFailed, check_files, check_store, load_into_store
from graph.questions.results import parse_param, solutions_table, spreadsheet_csv, term_text
from graph.explore.search import build_index
from graph.explore.stats import store_stats
from graph.cli.context import Context, fail
from graph.store import EXPORT_FORMATS, StoreError
from graph.pipeline.validation import violations
from loaders import LoadError, load_paths

@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (files are still checked).")
@click.pass_obj
def load(obj: Context, paths: tuple[Path, ...], no_validate: bool) -> None:
    """Load YAML plan files and RDF files (or folders of them), all or nothing."""
    try:
        files = [p for p in paths]
        with click.progressbar(length=_count_files(files), label="Reading", file=sys.stderr) as bar:
            report = load_into_store(obj.store(), files, validate=not no_validate,
                                     progress=lambda _p: bar.update(1), lang=obj.lang)
    except ValidationFailed as failed:
        for finding in violations(failed.findings)[:20]:
            click.echo(str(finding), err=True)
        fail(f"nothing loaded: {len(violations(failed.findings))} violation(s) of the shapes")
    except (LoadError, StoreError) as error:
        fail(f"nothing loaded: {error}")
    build_index(obj.store())  # the search index follows the load (graph/explore/search.py)
    warnings = [f for f in report.findings if f.severity != "violation"]
    click.echo(f"Loaded {len(report.files)} file(s), {report.quads} statements"
               + (f"; {len(warnings)} warning(s), see `policygraph validate`" if warnings else "") + ".")


def _count_files(paths: list[Path]) -> int:
    from loaders.sources import expand_paths

    try:
        return len(expand_paths(paths))
    except LoadError as error:
        fail(str(error))
        return 0


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--warnings/--no-warnings", default=True, show_default=True, help="Also list warnings.")
@click.pass_obj
def validate(obj: Context, paths: tuple[Path, ...], warnings: bool) -> None:
    """Check files (as they would be loaded) or, with no paths, the whole store against the shapes."""
    try:
        if paths:
            findings = check_files(None, load_paths(list(paths)), obj.lang)
        else:
            findings = check_store(obj.store(), obj.lang)
    except (LoadError, StoreError) as error:
        fail(str(error))
        return
    shown = findings if warnings else violations(findings)
    for finding in shown:
        click.echo(str(finding))
    bad = len(violations(findings))
    click.echo(f"{bad} violation(s), {len(findings) - bad} warning(s).", err=True)
    sys.exit(1 if bad else 0)


@click.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld"]),
              default="table", show_default=True)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE (<iri>, a number, or text); repeatable.")
@click.pass_obj
def query(obj: Context, query: str, fmt: str, params: tuple[str, ...]) -> None:
    """Run SPARQL given as text or as a .rq file."""
    text = _query_text(query)
    try:
        bindings = dict(parse_param(p) for p in params)
        result = obj.store().query(text, bindings)
        click.echo(_render(result, fmt), nl=False)
    except (StoreError, ValueError) as error:
        fail(str(error))


def _query_text(query: str) -> str:
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            fail(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    return query


def _render(result: Any, fmt: str) -> str:
    if isinstance(result, ox.QueryBoolean):
        return json.dumps({"boolean": bool(result)}) + "\n" if fmt == "json" else f"{bool(result)}\n"
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return solutions_table(result)
        if fmt == "csv":  # for spreadsheets: cells that would be formulas are neutralised
            names = [v.value for v in result.variables]
            return spreadsheet_csv(names, ([term_text(row[n]) for n in names] for row in result))
        formats = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
        if fmt not in formats:
            raise ValueError(f"a SELECT result cannot be written as {fmt}; use table, csv, tsv or json")
        return result.serialize(format=formats[fmt]).decode("utf-8")
    triples = list(result)
    rdf = {"table": "turtle", "json": "jsonld"}.get(fmt, fmt)
    if rdf not in EXPORT_FORMATS:
        raise ValueError(f"a CONSTRUCT result cannot be written as {fmt}; use turtle, ntriples or jsonld")
    return ox.serialize(triples, format=EXPORT_FORMATS[rdf]).decode("utf-8")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml"]),
              default="trig", show_default=True)
@click.option("--graph", help="Only this named graph.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@click.pass_obj
def export(obj: Context, fmt: str, graph: str | None, output: Path | None) -> None:
    """Write the graph (or one named graph) as Turtle, TriG, N-Quads, N-Triples, JSON-LD or RDF/XML."""
    try:
        data = obj.store().export(fmt, graph)
    except StoreError as error:
        fail(str(error))
        return
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {len(data)} bytes to {output}.", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def stats(obj: Context, as_json: bool) -> None:
    """Counts per named graph and per class."""
    try:
        figures = store_stats(obj.store(), obj.lang)
    except StoreError as error:
        fail(str(error))
        return
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    click.echo(f"{figures['statements']} statements in {len(figures['graphs'])} named graphs")
    for row in figures["classes"]:
        click.echo(f"  {row['count']:>6}  {row['label']}")


COMMANDS = [load, validate, query, export, stats]
