"""The `policygraph` command: load, validate, query, export, stats and serve.

User mistakes end in one line on stderr and a non-zero exit; tracebacks are for our own bugs.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource
import pyoxigraph as ox

from graph.loading import ValidationFailed, check_files, check_store, load_into_store
from graph.results import format_table, parse_param, spreadsheet_csv, term_text
from graph.stats import store_stats
from graph.store import EXPORT_FORMATS, Store, StoreError, open_store
from graph.validation import violations
from loaders import LoadError, load_paths

DEFAULT_STORE = "var/store"


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


class Context:
    def __init__(self, store: str, endpoint: str | None, update_endpoint: str | None, lang: str) -> None:
        self.location, self.endpoint, self.update_endpoint, self.lang = store, endpoint, update_endpoint, lang
        self.in_memory = False  # `serve` answers from a copy in memory
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            token = os.environ.get("POLICYGRAPH_ENDPOINT_TOKEN")
            self._store = open_store(self.location, self.endpoint, self.update_endpoint, token, self.in_memory)
        return self._store

    def close(self) -> None:
        """Release the on-disk store so the next command (or process) can open it."""
        if self._store is not None:
            self._store.close()
            self._store = None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="POLICYGRAPH_STORE", default=DEFAULT_STORE, show_default=True,
              help="Folder of the embedded Oxigraph store.")
@click.option("--endpoint", envvar="POLICYGRAPH_ENDPOINT", help="Use a remote SPARQL 1.1 query endpoint instead.")
@click.option("--update-endpoint", envvar="POLICYGRAPH_UPDATE_ENDPOINT", help="Its update endpoint (default: the same URL).")
@click.option("--lang", type=click.Choice(["da", "en"]), envvar="POLICYGRAPH_LANG", default="en", show_default=True)
@click.pass_context
def main(ctx: click.Context, store: str, endpoint: str | None, update_endpoint: str | None, lang: str) -> None:
    """PolicyGraph: municipal plans as a knowledge graph; find synergies, overlaps and gaps."""
    ctx.obj = Context(store, endpoint, update_endpoint, lang)
    ctx.call_on_close(ctx.obj.close)


@main.command()
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
        _fail(f"nothing loaded: {len(violations(failed.findings))} violation(s) of the shapes")
    except (LoadError, StoreError) as error:
        _fail(f"nothing loaded: {error}")
    warnings = [f for f in report.findings if f.severity != "violation"]
    click.echo(f"Loaded {len(report.files)} file(s), {report.quads} statements"
               + (f"; {len(warnings)} warning(s), see `policygraph validate`" if warnings else "") + ".")


def _count_files(paths: list[Path]) -> int:
    from loaders.sources import expand_paths

    try:
        return len(expand_paths(paths))
    except LoadError as error:
        _fail(str(error))
        return 0


@main.command()
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
        _fail(str(error))
        return
    shown = findings if warnings else violations(findings)
    for finding in shown:
        click.echo(str(finding))
    bad = len(violations(findings))
    click.echo(f"{bad} violation(s), {len(findings) - bad} warning(s).", err=True)
    sys.exit(1 if bad else 0)


@main.command()
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
        _fail(str(error))


def _query_text(query: str) -> str:
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            _fail(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    return query


def _render(result: Any, fmt: str) -> str:
    if isinstance(result, ox.QueryBoolean):
        return json.dumps({"boolean": bool(result)}) + "\n" if fmt == "json" else f"{bool(result)}\n"
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return format_table(result)
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


@main.command()
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
        _fail(str(error))
        return
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {len(data)} bytes to {output}.", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def stats(obj: Context, as_json: bool) -> None:
    """Counts per named graph and per class."""
    try:
        figures = store_stats(obj.store(), obj.lang)
    except StoreError as error:
        _fail(str(error))
        return
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    click.echo(f"{figures['statements']} statements in {len(figures['graphs'])} named graphs")
    for row in figures["classes"]:
        click.echo(f"  {row['count']:>6}  {row['label']}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--in-memory/--on-disk", envvar="POLICYGRAPH_IN_MEMORY", default=True, show_default=True,
              help="Answer from a copy of the store in memory (writes still go to disk first).")
@click.pass_obj
def serve(obj: Context, host: str, port: int, in_memory: bool) -> None:
    """Serve the web app over the store with waitress."""
    import time

    import waitress

    from graph.store import MemoryReplica
    from web import create_app
    from web.sparql import POOL_EXTENSION

    obj.in_memory = in_memory and not obj.endpoint
    if obj.in_memory:
        click.echo("Copying the store into memory (--on-disk skips this)...", err=True)
    started = time.monotonic()
    if isinstance(obj.store(), MemoryReplica):
        click.echo(f"Store copied into memory in {time.monotonic() - started:.1f} s", err=True)

    # The web app speaks Danish unless a language was chosen (--lang or POLICYGRAPH_LANG).
    context = click.get_current_context()
    chosen = context.parent.get_parameter_source("lang") is not ParameterSource.DEFAULT \
        or context.meta.get(_LANG_CHOSEN, False)
    app = create_app({"STORE": obj.store(), "DEFAULT_LANG": obj.lang if chosen else "da"})
    try:
        # Threads for the query workers, the queries waiting for them and pages besides, so that
        # waiting ad-hoc queries never hold every thread (graph/query_pool.py).
        threads = app.config["QUERY_WORKERS"] + app.config["QUERY_QUEUE"] + 8
        server = waitress.create_server(app, host=host, port=port, threads=threads)
    except OSError as error:
        pool = app.extensions.get(POOL_EXTENSION)
        if pool is not None:  # the query workers, started with the app
            pool.close()
        _fail(f"cannot serve on {host}:{port}: {error.strerror or error} "
              "(is another policygraph serve running there? choose another --port)")
        return
    click.echo(f"PolicyGraph on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    server.run()


_LANG_CHOSEN = "policygraph.lang_chosen"


def _lang_after_command(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`policygraph report --lang da` means the same as `policygraph --lang da report`: people write
    the option after the command they are thinking of, and click only reads group options before it."""
    if value is not None:
        ctx.find_object(Context).lang = value
        ctx.meta[_LANG_CHOSEN] = True


def _register_commands() -> None:
    """Each area of graph/ contributes its commands as a COMMANDS list in its own cli_* module; every
    command also takes --lang after its name (unless it has a --lang of its own)."""
    import importlib

    for name in ("graph.cli_queries", "graph.cli_analysis", "graph.cli_report"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            continue
        for command in module.COMMANDS:
            main.add_command(command)
    for command in main.commands.values():
        if not any(param.name == "lang" for param in command.params):
            command.params.append(click.Option(["--lang"], type=click.Choice(["da", "en"]), expose_value=False,
                                               callback=_lang_after_command,
                                               help="Language of messages and labels (as before the command)."))


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
