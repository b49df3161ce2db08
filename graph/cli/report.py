"""`policygraph report`: the coherence report as one self-contained HTML file or as Markdown."""
from __future__ import annotations

from pathlib import Path

import click

from graph.cli.context import fail
from graph.store import StoreError


@click.command()
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: coherence-report.<html|md>).")
@click.pass_obj
def report(obj, fmt: str, output: Path | None) -> None:
    """Write the coherence report (gaps, overlaps, synergies, continuity, inconsistencies) with sources."""
    from graph.questions.library import QueryParameterError
    from graph.questions.report import build_report, render_html, render_markdown

    try:
        built = build_report(obj.store(), obj.lang)
    except (StoreError, QueryParameterError) as error:
        fail(str(error))
        return
    output = output or Path(f"coherence-report.{'html' if fmt == 'html' else 'md'}")
    output.write_text(render_html(built) if fmt == "html" else render_markdown(built), encoding="utf-8")
    counts = ", ".join(f"{built.count(kind)} {kind}" for kind in ("gap", "overlap", "synergy", "continuity", "consistency"))
    click.echo(f"Wrote {output} ({counts}).", err=True)


COMMANDS = [report]
