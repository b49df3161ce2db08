"""`policygraph questions` lists the named coherence questions; `policygraph ask ID` runs one."""
from __future__ import annotations

import json

import click

from graph.cli.context import fail
from graph.questions.answer import answer_json
from graph.questions.results import compact, format_table, spreadsheet_csv
from ontology import suggest


def _library():
    from graph.questions.library import LibraryError, library

    try:
        return library()
    except LibraryError as error:
        fail(str(error))


@click.command()
@click.option("--kind", help="Only questions of this kind (gap, overlap, synergy, continuity, consistency, overview).")
@click.pass_obj
def questions(obj, kind: str | None) -> None:
    """List the named coherence questions (id, kind, title)."""
    library = _library()
    rows = [(q.id, q.kind, q.title.get(obj.lang) or q.title.get("en", "")) for q in library.values()
            if kind is None or q.kind == kind]
    width = max([len(r[0]) for r in rows] + [2])
    for qid, qkind, title in rows:
        click.echo(f"{qid.ljust(width)}  {qkind.ljust(11)}  {title}")


@click.command()
@click.argument("question_id")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter; repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--explain", "with_explain", is_flag=True, help="Show the source passages behind each row.")
@click.option("--without-workshops", is_flag=True, help="Leave out what workshops decided (their own graphs).")
@click.pass_obj
def ask(obj, question_id: str, params: tuple[str, ...], fmt: str, with_explain: bool, without_workshops: bool) -> None:
    """Run a named question with its parameters (see `policygraph questions`)."""
    from graph.questions.explain import explain
    from graph.questions.library import QueryParameterError, run_named, workshop_use
    from graph.store import StoreError

    library = _library()
    if question_id not in library:
        best = suggest(question_id, library)
        fail(f"unknown question '{question_id}'" + (f"; did you mean '{best}'?" if best else
                                                        "; see `policygraph questions`"))
    named = library[question_id]
    values = {}
    for text in params:
        if "=" not in text:
            fail(f"parameter '{text}' should look like NAME=VALUE")
        name, value = text.split("=", 1)
        values[name.strip().lstrip("?$")] = value
    try:
        store = obj.store()
        result = run_named(store, named, values, lang=obj.lang, without_workshops=without_workshops)
        workshops = workshop_use(store, named, values, obj.lang, result, without_workshops)
        evidence = [explain(store, row, named, obj.lang) for row in result.rows] if with_explain else None
    except QueryParameterError as error:
        fail(str(error))
        return
    except StoreError as error:
        fail(str(error))
        return
    if fmt == "json":  # the shape of /questions/<id>.json (graph/questions/answer.py)
        data = answer_json(store, named, result, values, obj.lang, evidence, workshops)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        return
    if fmt == "csv":
        rows = ([compact(r[c]) for c in result.columns] for r in result.rows)
        click.echo(spreadsheet_csv(result.columns, rows), nl=False)
        return
    click.echo(named.title.get(obj.lang) or named.title["en"])
    rows = [[compact(r[c]) for c in result.columns] for r in result.rows]
    under = {i: [f"<- {e.file} [{e.locator}] \"{e.quote}\" ({e.graph_file})" for e in found]
             for i, found in enumerate(evidence)} if evidence is not None else None
    click.echo(format_table(result.columns, rows, under, result.elapsed), nl=False)

COMMANDS = [questions, ask]
