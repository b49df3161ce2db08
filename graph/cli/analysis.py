"""`policygraph reason`, `policygraph analyse` and `policygraph path`."""
from __future__ import annotations

import json

import click

from graph.cli.context import Context, fail
from graph.store import StoreError
from ontology.texts import translate


@click.command()
@click.pass_obj
def reason(obj: Context) -> None:
    """Materialise OWL inferences (HermiT) into the graph .../graph/inferred-owl."""
    from graph.pipeline.reasoning import InconsistentGraph, ReasoningError, ReasoningUnavailable, materialise

    try:
        report = materialise(obj.store())
    except (ReasoningUnavailable, InconsistentGraph, ReasoningError, StoreError) as error:
        fail(str(error))
        return
    click.echo(f"Inferred {len(report.triples)} new statement(s) into <{report.graph}> "
               f"in {report.elapsed:.1f} s ({report.input_triples} statements reasoned over; "
               f"{report.left_out} words, years and dates left out).")
    for prop, count in report.by_property.items():
        click.echo(f"  {count:>6}  {prop}")


def _more(items: list, limit: int) -> tuple[list, str]:
    extra = len(items) - limit
    return items[:limit], (f"  ... and {extra} more" if extra > 0 else "")


@click.command()
@click.option("--lang", type=click.Choice(["da", "en"]), help="Label language (default: the global --lang).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--municipality", help="Only this municipality's plans, e.g. org/koebenhavn.")
@click.option("--top", default=10, show_default=True, type=int, help="Rows per finding.")
@click.pass_obj
def analyse(obj: Context, lang: str | None, fmt: str, municipality: str | None, top: int) -> None:
    """Headline findings: bridging initiatives and target groups, clusters, isolated plans,
    similar plans and suggested links (suggestions are never written to the store)."""
    from graph.explore.analytics import analyse as run
    from ontology import expand

    lang = lang or obj.lang
    iri = expand(municipality) if municipality else None
    try:
        found = run(obj.store(), lang, iri, top)
    except StoreError as error:
        fail(str(error))
        return
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    counts = found["counts"]
    click.echo(translate("analyse.summary", lang).format(**counts))
    for key in ("bridging_initiatives", "bridging_target_groups", "bridging_organisations"):
        click.echo(f"\n{translate('analyse.' + key, lang)}:")
        for row in found[key] or []:
            click.echo(f"  {row['score']:.3f}  {row['label']}  [{row['id']}]")
        if not found[key]:
            click.echo("  -")
    click.echo("\n" + translate("analyse.clusters", lang))
    for n, cluster in enumerate(found["clusters"], 1):
        shown, more = _more(cluster["members"], top)
        click.echo(f"  {n}. {cluster['size']} " + translate("analyse.plans", lang)
                   + (f" ({', '.join(cluster['themes'])})" if cluster["themes"] else ""))
        for member in shown:
            click.echo(f"     - {member['label']}")
        if more:
            click.echo("   " + more)
    isolated = found["isolated"]
    click.echo("\n" + translate("analyse.isolated", lang).format(count=len(isolated)))
    shown, more = _more(isolated, top)
    for component in shown:
        click.echo("  - " + "; ".join(m["label"] for m in component["members"]))
    if more:
        click.echo(more)
    click.echo("\n" + translate("analyse.similar_plans", lang))
    for row in found["similar_plans"]:
        click.echo(f"  {row['score']:.2f}  {row['a_label']}  <->  {row['b_label']}")
    click.echo("\n" + translate("analyse.suggested_links", lang))
    for row in found["suggested_links"]:
        click.echo(f"  {row['score']:.2f}  {row['a_label']}  <->  {row['b_label']}")
        for reason_text in row["reasons"]:
            click.echo(f"        {reason_text}")
    if not found["suggested_links"]:
        click.echo("  -")


@click.command()
@click.argument("start")
@click.argument("end")
@click.option("--lang", type=click.Choice(["da", "en"]), help="Label language (default: the global --lang).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def path(obj: Context, start: str, end: str, lang: str | None, fmt: str) -> None:
    """The shortest explained path between two resources (ids like doc/koebenhavn/... or full IRIs)."""
    from graph.explore.analytics import AnalyticsError, explained_path, format_path, read_graph

    try:
        steps = explained_path(read_graph(obj.store(), lang or obj.lang), start, end)
    except (AnalyticsError, StoreError) as error:
        fail(str(error))
        return
    if fmt == "json":
        click.echo(json.dumps([s.as_dict() for s in steps], indent=2, ensure_ascii=False))
        return
    if not steps:
        click.echo("(the same resource)")
        return
    click.echo(format_path(steps))
    for n, step in enumerate(steps, 1):
        arrow = f"--{step.relation}-->" if step.forward else f"<--{step.relation}--"
        click.echo(f"  {n}. {step.source} {arrow} {step.target}")


COMMANDS = [reason, analyse, path]
