"""`policygraph search WORDS`: the web app's search (graph/explore/search.py) on the command line,
the same hits in the same order, each with its passage (matched words in [brackets])."""
from __future__ import annotations

import json
from dataclasses import asdict

import click

from graph.cli.context import fail
from graph.explore.search import MAX_PAGE_SIZE, Hit, query_terms, search
from graph.store import StoreError
from ontology import curie, expand
from ontology.texts import translate

def hit_lines(number: int, hit: Hit, lang: str) -> list[str]:
    """A hit as the terminal shows it: its name and type, where it belongs, the passage, its id."""
    where = " · ".join(text for text in (hit.municipality_label, hit.document_label if hit.document != hit.iri else "",
                                         hit.period) if text)
    lines = [f"{number:>3}. {hit.label}" + (f"  [{hit.type_label}]" if hit.type_label else "")]
    if where:
        lines.append(f"     {where}")
    if hit.passage is not None:
        text = "".join(f"[{piece}]" if matched else piece for piece, matched in hit.passage.pieces)
        lines.append(f"     {translate('search.field.' + hit.passage.field, lang)}: "
                     f"{'… ' if hit.passage.cut_before else ''}{text}{' …' if hit.passage.cut_after else ''}")
    lines.append(f"     {curie(hit.iri)}")
    return lines

@click.command(name="search")
@click.argument("words", nargs=-1, required=True)
@click.option("--type", "type_", metavar="TYPE", help="Only resources of this type, e.g. pg:Initiative.")
@click.option("--municipality", metavar="ID", help="Only this municipality's, e.g. org/koebenhavn (or the full IRI).")
@click.option("--limit", type=int, default=20, show_default=True, help=f"How many hits (1-{MAX_PAGE_SIZE}).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def search_command(obj, words: tuple[str, ...], type_: str | None, municipality: str | None, limit: int,
                   fmt: str) -> None:
    """Search every label, title, description, note and source quotation (Danish stems; ø/oe alike)."""
    query = " ".join(words).strip()
    if not query_terms(query):
        fail(translate("search.cli.no_words", obj.lang))
    if not 1 <= limit <= MAX_PAGE_SIZE:
        fail(translate("search.cli.bad_limit", obj.lang).format(most=MAX_PAGE_SIZE))
    filters = {"type": expand(type_) if type_ else "", "municipality": expand(municipality) if municipality else ""}
    try:
        result = search(obj.store(), query, obj.lang, filters=filters, limit=limit)
    except StoreError as error:
        fail(str(error))
        return
    if fmt == "json":
        click.echo(json.dumps({"query": query, "total": result.total, "hits": [asdict(h) for h in result.hits]},
                              ensure_ascii=False, indent=2))
        return
    click.echo(translate("search.cli.heading", obj.lang).format(total=result.total, query=query))
    for number, hit in enumerate(result.hits, start=1):
        click.echo("\n".join(hit_lines(number, hit, obj.lang)))


COMMANDS = [search_command]
