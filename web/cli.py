"""`policygraph serve` and `policygraph report`: the web app contributes the commands that draw pages
or documents to the `policygraph` group, so that graph/ never imports web/. The `policygraph` script
starts here (pyproject.toml)."""
from __future__ import annotations

import time
from pathlib import Path

import click
import waitress

from graph.cli import main
from graph.cli.logs import configure_logging
from graph.cli.context import Context, fail, language_chosen, with_lang_after_name
from graph.questions.library import QueryParameterError, resolve_iri
from graph.questions.report import Scope, build_report
from graph.store import MemoryReplica, StoreError
from web import create_app
from web.report import render_html, render_markdown, render_pdf
from web.sparql import POOL_EXTENSION


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--in-memory/--on-disk", envvar="POLICYGRAPH_IN_MEMORY", default=True, show_default=True,
              help="Answer from a copy of the store in memory (writes still go to disk first).")
@click.pass_obj
def serve(obj: Context, host: str, port: int, in_memory: bool) -> None:
    """Serve the web app over the store with waitress."""
    configure_logging("INFO")  # a server's log: one line per request, warnings and errors
    obj.in_memory = in_memory and not obj.endpoint
    if obj.in_memory:
        click.echo("Copying the store into memory (--on-disk skips this)...", err=True)
    started = time.monotonic()
    if isinstance(obj.store(), MemoryReplica):
        click.echo(f"Store copied into memory in {time.monotonic() - started:.1f} s", err=True)

    # The web app speaks Danish unless a language was chosen (--lang or POLICYGRAPH_LANG).
    chosen = language_chosen(click.get_current_context())
    config = {"STORE": obj.store(), "DEFAULT_LANG": obj.lang if chosen else "da"}
    if obj.location and not obj.endpoint:  # workshops are kept beside the store they write back to
        config["STORE_PATH"] = str(obj.location)
    app = create_app(config)
    try:
        # Threads for the query workers, the queries waiting for them and pages besides, so that
        # waiting ad-hoc queries never hold every thread (graph/store/pool.py).
        # and one for each workshop stream (web/workshop/live.py caps them at WORKSHOP_STREAMS).
        threads = app.config["QUERY_WORKERS"] + app.config["QUERY_QUEUE"] + 8 + app.config["WORKSHOP_STREAMS"]
        server = waitress.create_server(app, host=host, port=port, threads=threads)
    except OSError as error:
        pool = app.extensions.get(POOL_EXTENSION)
        if pool is not None:  # the query workers, started with the app
            pool.close()
        fail(f"cannot serve on {host}:{port}: {error.strerror or error} "
              "(is another policygraph serve running there? choose another --port)")
        return
    click.echo(f"PolicyGraph on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    server.run()


REPORT_SUFFIXES = {"html": "html", "markdown": "md", "pdf": "pdf"}


@click.command()
@click.option("--format", "fmt", type=click.Choice(["html", "markdown", "pdf"]), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: coherence-report.<html|md|pdf>).")
@click.option("--municipality", help="Only this municipality (org/koebenhavn or a full IRI).")
@click.option("--committee", help="Only what this committee prepares, adopts or answers for.")
@click.option("--plan", help="Only this plan and its parts.")
@click.pass_obj
def report(obj, fmt: str, output: Path | None, municipality: str | None, committee: str | None,
           plan: str | None) -> None:
    """Write the coherence report (gaps, overlaps, synergies, continuity, inconsistencies) with sources,
    for the whole graph or one municipality, committee or plan."""
    try:
        scope = Scope(**{name: resolve_iri(value) for name, value in
                         (("municipality", municipality), ("committee", committee), ("plan", plan)) if value})
        built = build_report(obj.store(), obj.lang, scope)
    except (StoreError, QueryParameterError) as error:
        fail(str(error))
        return
    output = output or Path(f"coherence-report.{REPORT_SUFFIXES[fmt]}")
    if fmt == "pdf":
        output.write_bytes(render_pdf(built))   # the HTML file printed on A4 (web/printing.py)
    else:
        output.write_text(render_html(built) if fmt == "html" else render_markdown(built), encoding="utf-8")
    counts = ", ".join(f"{built.count(kind)} {kind}" for kind in ("gap", "overlap", "synergy", "continuity", "consistency"))
    click.echo(f"Wrote {output} ({counts}).", err=True)


main.add_command(with_lang_after_name(serve))
main.add_command(with_lang_after_name(report))

if __name__ == "__main__":  # pragma: no cover
    main()
