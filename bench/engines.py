"""The national graph on a bigger engine: Virtuoso beside embedded Oxigraph, in one run.

    .venv/bin/python bench/engines.py                          # 98 municipalities (about 25 minutes)
    .venv/bin/python bench/engines.py --municipalities 5       # a quick look

What the README's guide tells an operator to do, timed step by step on the synthetic graph
(bench/generate.py, the same file bench/run.py uses):

1. embedded Oxigraph: `load_into_store` of the file (derived links included), as `policygraph load`;
2. Virtuoso 7.2 (Debian's, started here on loopback with its database in a temporary folder): the
   file with its blank nodes named (skolemised, as `policygraph load` names them) loaded by Virtuoso's
   own bulk loader (`ld_dir` + `rdf_loader_run` + `checkpoint`), then the derived links computed and
   written by the SPARQL Graph Store Protocol (`graph.pipeline.derive.derive`, what `policygraph
   derive` does with POLICYGRAPH_GRAPH_STORE set);
3. every question of the library, nationally and about one municipality, on both, each once warm
   (median of --repeat), with the row counts side by side: a count that differs is marked.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUFFERS_PER_GB = 85_000  # Virtuoso's rule of thumb: NumberOfBuffers 85,000 per GB of memory given to it


def seconds(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def data_file(municipalities: int, scale: int, seed: int, folder: Path) -> Path:
    """The synthetic graph, generated once and reused (the name bench/run.py gives it)."""
    from bench.generate import generate

    path = folder / f"synthetic-m{municipalities}-s{scale}-seed{seed}.nq"
    if not path.exists():
        generate(path, municipalities, scale, seed)
    return path


def skolemised_copy(source: Path, target: Path) -> int:
    """The file with every blank node named as `policygraph load` names it, for a bulk loader that
    would otherwise give each blank node an identity the derived links could not refer to, and the
    ontology, as `policygraph bulk-file` writes them for the README's guide."""
    import pyoxigraph as ox

    from graph.pipeline.load import ontology_content
    from graph.store.skolem import skolemise

    # the ontology travels with every load (`policygraph bulk-file` writes it too)
    quads = skolemise(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS)) + ontology_content().quads
    with open(target, "wb") as out:
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    return len(quads)


def library(store: Any, scope: str | None, repeat: int) -> dict[str, tuple[float | None, int | None, str]]:
    """{question: (median seconds, rows, error)} for every question the library answers without input."""
    from bench.run import questions

    out = {}
    for question in questions(store, scope):
        if "skipped" in question:
            continue
        runs, rows, error = [], None, ""
        for _ in range(repeat):
            try:
                took, rows = seconds(question["run"])
            except Exception as exc:  # noqa: BLE001 - a failing question is a figure too
                error = f"{type(exc).__name__}: {str(exc)[:100]}"
                break
            runs.append(took)
        out[question["id"]] = (statistics.median(runs) if runs else None, rows, error)
        print(f"# {question['id']} ({scope or 'national'}): {out[question['id']]}", file=sys.stderr, flush=True)
    return out


def middle_municipality(municipalities: int) -> str:
    """The municipality the scoped pass asks about (org/syn050 of 98), as bench/run.py does."""
    return f"org/syn{(municipalities + 2) // 2:03d}" if municipalities > 1 else "org/syn001"


def embedded(path: Path, folder: Path, repeat: int, scope: str) -> dict:
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore

    store = OxigraphStore(folder / "oxigraph")
    load_s, _ = seconds(lambda: load_into_store(store, [path], validate=False))
    figures = {"load": load_s, "statements": store.count(),
               "national": library(store, None, repeat), "scoped": library(store, scope, repeat)}
    store.close()
    return figures


def virtuoso(path: Path, folder: Path, repeat: int, scope: str, memory_gb: int, timeout: float,
             estimate_seconds: int | None) -> dict:
    from graph.pipeline.derive import derive
    from graph.store import EndpointSettings, SparqlEndpointStore
    from tests.virtuoso import isql, start_virtuoso, stop_virtuoso

    database = folder / "virtuoso"
    database.mkdir()
    copy_s, _ = seconds(lambda: skolemised_copy(path, database / "graph.nq"))
    process, where = start_virtuoso(database, query_seconds=int(timeout), buffers=memory_gb * BUFFERS_PER_GB,
                                    estimate_seconds=estimate_seconds)
    try:
        bulk_s, _ = seconds(lambda: isql(where["sql"], f"ld_dir('{database}', 'graph.nq', 'urn:unused'); "
                                                       "rdf_loader_run(); checkpoint;"))
        # the derived links travel by the Graph Store Protocol, as the README's guide sets it up
        store = SparqlEndpointStore(where["query"], settings=EndpointSettings(
            where["query"], timeout=timeout, graph_store_url=where["graph_store"]))
        derive_s, derived = seconds(lambda: derive(store))
        return {"skolemise": copy_s, "bulk": bulk_s, "derive": derive_s, "derived": derived,
                "statements": store.count(),
                "national": library(store, None, repeat), "scoped": library(store, scope, repeat)}
    finally:
        stop_virtuoso(process)


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def question_table(title: str, ours: dict, theirs: dict) -> list[str]:
    lines = [f"\n{title}", f"{'question':<48} {'embedded':>10} {'virtuoso':>10}  rows"]
    for qid in sorted(ours):
        (a, rows_a, err_a), (b, rows_b, err_b) = ours[qid], theirs.get(qid, (None, None, "not run"))
        if err_a or err_b:
            same = "  " + "; ".join(f"{side}: {err}" for side, err in (("embedded", err_a), ("virtuoso", err_b)) if err)
        else:
            same = "" if rows_a == rows_b else f"  DIFFERS: {rows_b}"
        lines.append(f"{qid:<48} {fmt(a):>10} {fmt(b):>10}  {rows_a}{same}")
    total = [sum(v[0] or 0 for v in side.values()) for side in (ours, theirs)]
    lines.append(f"{'the whole library':<48} {fmt(total[0]):>10} {fmt(total[1]):>10}")
    return lines


def report(municipalities: int, scope: str, ours: dict, theirs: dict) -> str:
    lines = [f"PolicyGraph on two engines: {municipalities} municipalities, {ours['statements']:,} statements "
             f"embedded, {theirs['statements']:,} on Virtuoso (derived links included)",
             f"{'load':<48} {'embedded':>10} {'virtuoso':>10}",
             f"{'  name blank nodes (skolemise) for the bulk loader':<48} {'-':>10} {fmt(theirs['skolemise']):>10}",
             f"{'  load (Virtuoso: its bulk loader)':<48} {fmt(ours['load']):>10} {fmt(theirs['bulk']):>10}",
             f"{'  derive links (Graph Store Protocol)':<48} {'(in load)':>10} {fmt(theirs['derive']):>10}"]
    lines += question_table("the library, nationally", ours["national"], theirs["national"])
    lines += question_table(f"the library about one municipality ({scope})", ours["scoped"], theirs["scoped"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=98)
    parser.add_argument("--scale", type=int, default=32)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-gb", type=int, default=6, help="memory Virtuoso may use for its buffers")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a question may take on Virtuoso")
    parser.add_argument("--estimate-seconds", type=int, default=None,
                        help="Virtuoso's MaxQueryCostEstimationTime (default: unset, no refusal on its estimate)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    path = data_file(args.municipalities, args.scale, args.seed, args.data_dir)
    with tempfile.TemporaryDirectory(dir=args.data_dir) as work:
        scope = middle_municipality(args.municipalities)
        ours = embedded(path, Path(work), args.repeat, scope)
        theirs = virtuoso(path, Path(work), args.repeat, scope, args.memory_gb, args.timeout, args.estimate_seconds)
    print(report(args.municipalities, scope, ours, theirs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
