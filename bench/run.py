"""The PolicyGraph benchmark: our load and query paths side by side with raw Oxigraph and rdflib.

    .venv/bin/python bench/run.py                      # 98 municipalities, 5 repeats, rdflib on a 5-municipality slice
    .venv/bin/python bench/run.py --municipalities 10 --skip-rdflib --repeat 1

Every engine runs in its own child process (so each phase's peak memory is its own), in one run:

* load: `graph.pipeline.load.load_into_store(validate=False)` into a fresh on-disk `OxigraphStore`
  (derived links included) vs `pyoxigraph.Store.bulk_load` of the same N-Quads file vs rdflib
  `Dataset.parse` (rdflib only on the slice);
* queries: every question of `graph.questions.library.load_library()` with its default parameters via
  `run_named` (median of --repeat runs) vs the same SPARQL text sent straight to the same
  pyoxigraph store (`Store.query(use_default_graph_as_union=True)`) vs rdflib on the slice (one
  run, with a timeout). Without a query library, a built-in set of representative questions runs.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_LIBRARY_S = 2.0
TARGET_QUESTION_S = 0.2
TARGET_LOAD_RATIO = 3.0
TARGET_API_RATIO = 1.3

# Used when graph/questions/library.py (or its queries) is not there yet.
BUILTIN_QUESTIONS = {
    "builtin-goals-without-initiative": """
SELECT ?goal ?document WHERE {
  ?document pg:includesGoal ?goal .
  FILTER NOT EXISTS { ?initiative pg:supports ?goal }
}""",
    "builtin-budget-per-plan-and-year": """
SELECT ?plan ?year (SUM(?value * ?multiplier) AS ?dkk) WHERE {
  ?line pg:withinDocument ?plan ; pg:hasBudgetAllocation ?a .
  ?a pg:fiscalYear ?year ; schema:value ?value ; pg:unitMultiplier ?multiplier .
} GROUP BY ?plan ?year""",
    "builtin-overlaps-broader-groups": """
SELECT ?d1 ?d2 (COUNT(*) AS ?pairs) WHERE {
  ?i1 pg:servesTargetGroup ?g1 .
  ?g1 skos:broaderTransitive ?g2 .
  ?i2 pg:servesTargetGroup ?g2 .
  ?i1 pg:withinDocument ?d1 . ?i2 pg:withinDocument ?d2 .
  ?d1 pg:municipality ?m . ?d2 pg:municipality ?m .
  ?i1 dct:subject ?t . ?i2 dct:subject ?t .
  FILTER(?d1 != ?d2)
} GROUP BY ?d1 ?d2""",
}


# ---------------------------------------------------------------------------------------- helpers
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prefixes() -> dict[str, str]:
    from ontology import all_prefixes

    return all_prefixes()


def question_ids() -> list[str]:
    try:
        from graph.questions.library import load_library
        ids = sorted(load_library())
    except Exception:  # noqa: BLE001
        ids = []
    return ids or list(BUILTIN_QUESTIONS)


SCOPE_MUNICIPALITY = "org/syn050"  # the scoped pass: one municipality, as a strategist runs the library


def questions(store, scope: str | None = None) -> list[dict]:
    """[{id, sparql (as sent, values inlined), run()}] from the library, or the built-in set; with a
    scope, every question that takes a municipality is asked about that one."""
    from graph.sparql.bindings import inline_values

    try:
        from graph.questions.library import bind_parameters, load_library, run_named
        library = load_library()
    except Exception as exc:  # noqa: BLE001 - absent or broken library: fall back, say so
        library, reason = {}, f"{type(exc).__name__}: {exc}"
    else:
        reason = "empty library"
    out = []
    if library:
        for qid, named in sorted(library.items()):
            if named.needs_input():
                out.append({"id": qid, "skipped": "needs a parameter"})
                continue
            params = {"municipality": scope} if scope and any(p.name == "municipality" for p in named.parameters) else {}
            bindings = bind_parameters(store, named, params)
            sparql = inline_values(named.sparql, bindings) if bindings else named.sparql
            out.append({"id": qid, "sparql": sparql,
                        "run": (lambda n=named, p=params: len(run_named(store, n, p).rows))})
        return out
    print(f"# query library not available ({reason}); running the built-in questions", file=sys.stderr)
    for qid, sparql in BUILTIN_QUESTIONS.items():
        out.append({"id": qid, "sparql": sparql, "run": (lambda s=sparql: len(list(store.query(s))))})
    return out


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


# ---------------------------------------------------------------------------------------- phases
def phase_bulk(args: dict) -> dict:
    import pyoxigraph as ox

    store = ox.Store(args["store"])
    start = time.perf_counter()
    store.bulk_load(path=args["file"], format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - start
    return {"load_s": seconds, "quads": len(store), "peak_rss_mb": peak_rss_mb()}


def phase_ours(args: dict) -> dict:
    """Our load path, then every question through our API and straight to pyoxigraph, interleaved."""
    import pyoxigraph as ox

    import graph.pipeline.load as loading
    from graph.pipeline.derive import INFERRED_GRAPH
    from graph.store import OxigraphStore

    # Time the steps of load_into_store without changing it: wrap what it calls.
    steps: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                steps[name] = steps.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    store = OxigraphStore(args["store"])
    if hasattr(loading, "derive"):
        loading.derive = timed("derive links (graph.pipeline.derive.derive: read back, rules + write)", loading.derive)
    if hasattr(loading, "derived_graph"):
        loading.derived_graph = timed("derive links from the quads in hand (rules + sums, in Python)",
                                      loading.derived_graph)
    if hasattr(loading, "Facts"):
        loading.Facts.from_quads = timed("index the quads the rules read (Facts.from_quads)", loading.Facts.from_quads)
    loading.load_paths = timed("parse files into Python quads (loaders.load_paths)", loading.load_paths)
    store.update = timed("SPARQL updates (DROP / INSERT DATA for replaced graphs; old derive rules)", store.update)
    OxigraphStore._extend = timed("Store.extend / bulk_extend (new graphs, derived links)", OxigraphStore._extend)
    start = time.perf_counter()
    report = loading.load_into_store(store, [Path(args["file"])], validate=False)
    load_s = time.perf_counter() - start
    raw = store._engine()
    derived = store.count(INFERRED_GRAPH)
    if derived == 0:
        raise SystemExit("the load derived no links: graph/pipeline/derive.py is broken")
    result = {"load_s": load_s, "load_into_store_s": load_s,
              "steps": steps, "quads": len(raw), "loaded": report.quads, "derived": derived,
              "load_peak_rss_mb": peak_rss_mb()}
    del report
    if args.get("derived_out"):
        with open(args["derived_out"], "wb") as fh:
            ox.serialize(raw.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH)), fh,
                         ox.RdfFormat.N_QUADS)
    store.close()
    return result


def phase_query(args: dict) -> dict:
    """Questions on a loaded store, one JSON line each as soon as it is done (the parent stops a slow one)."""
    from graph.store import MemoryReplica, OxigraphStore

    store = OxigraphStore(args["store"])
    copy_s = None
    if args.get("memory"):  # as `policygraph serve` answers: from a copy in memory
        start = time.perf_counter()
        store = MemoryReplica(store)
        copy_s = time.perf_counter() - start
    by_id = {q["id"]: q for q in questions(store, args.get("scope"))}
    for qid in args["ids"]:
        print(json.dumps(dict(one_question(store, by_id[qid], args["repeat"]), copy_s=copy_s)), flush=True)
    store.close()
    return {"done": True}


def one_question(store, q: dict, repeat: int) -> dict:
    """Ours (run_named / Store.query) and raw pyoxigraph on the same store, interleaved, median of runs."""
    raw = store.memory._engine() if hasattr(store, "memory") else store._engine()
    pfx = prefixes()
    if "skipped" in q:
        return q
    ours, direct, n_ours, n_raw, error = [], [], None, None, None
    for attempt in range(repeat):
        if attempt and ours[0] + direct[0] > 4.0:
            break  # a slow question: one run says enough, repeats would only stretch the run
        try:
            t = time.perf_counter()
            n_ours = q["run"]()
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            n_raw = sum(1 for row in raw.query(q["sparql"], use_default_graph_as_union=True, prefixes=pfx)
                        if tuple(row) is not None)
            direct.append(time.perf_counter() - t)
        except Exception as exc:  # noqa: BLE001 - report and go on
            error = f"{type(exc).__name__}: {str(exc)[:120]}"
            break
    return {"id": q["id"], "sparql": q["sparql"], "runs": len(ours),
            "ours_s": statistics.median(ours) if ours else None,
            "raw_s": statistics.median(direct) if direct else None, "rows": n_ours, "raw_rows": n_raw,
            "error": error, "peak_rss_mb": peak_rss_mb()}


def run_questions(store: str, repeat: int, timeout: float, label: str, scope: str | None = None,
                  memory: bool = False) -> list[dict]:
    """All questions in one child; a question that runs past `timeout` is stopped (the child is killed
    and a new one carries on with the rest), as a running Oxigraph query cannot be interrupted."""
    import select

    pending, rows = question_ids(), []
    while pending:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", "query", "--phase-args",
               json.dumps({"store": store, "ids": pending, "repeat": repeat, "scope": scope, "memory": memory})]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=str(ROOT))
        while pending:
            ready, _, _ = select.select([proc.stdout], [], [], timeout + (300 if memory else 0))  # + the copy
            if not ready:
                proc.kill()
                proc.wait()
                r = {"id": pending[0], "ours_s": None, "error": f"stopped after {timeout:.0f} s"}
            else:
                line = proc.stdout.readline()
                if not line:
                    proc.wait()
                    r = {"id": pending[0], "ours_s": None, "error": f"the query child failed (exit {proc.returncode})"}
                else:
                    r = json.loads(line)
                    if r.get("done"):
                        break
            rows.append(r)
            pending = pending[1:]
            print(f"# {label} {r['id']}: ours {fmt_s(r.get('ours_s'))}, raw {fmt_s(r.get('raw_s'))}"
                  + (f" ({r['error']})" if r.get("error") else ""), file=sys.stderr, flush=True)
            if "stopped" in str(r.get("error")) or "failed" in str(r.get("error")):
                break
        if proc.poll() is None:
            proc.wait()
    return rows


def phase_rdflib(args: dict) -> dict:
    import rdflib

    signal.signal(signal.SIGALRM, _alarm)
    ds = rdflib.Dataset(default_union=True)
    start = time.perf_counter()
    signal.alarm(int(args["load_timeout"]))
    try:
        ds.parse(args["file"], format="nquads")
    except Timeout:
        return {"load_s": None, "timeout": args["load_timeout"], "peak_rss_mb": peak_rss_mb()}
    finally:
        signal.alarm(0)
    load_s = time.perf_counter() - start
    if args.get("derived") and Path(args["derived"]).exists():
        ds.parse(args["derived"], format="nquads")  # the same derived links, not timed
    ns = prefixes()
    rows = {}
    for q in args["queries"]:
        signal.alarm(int(args["timeout"]))
        t = time.perf_counter()
        try:
            n = len(list(ds.query(q["sparql"], initNs=ns)))
            rows[q["id"]] = {"s": time.perf_counter() - t, "rows": n}
        except Timeout:
            rows[q["id"]] = {"s": None, "timeout": args["timeout"]}
        except Exception as exc:  # noqa: BLE001
            rows[q["id"]] = {"s": None, "error": f"{type(exc).__name__}: {str(exc)[:100]}"}
        finally:
            signal.alarm(0)
    return {"load_s": load_s, "quads": len(ds), "queries": rows, "peak_rss_mb": peak_rss_mb()}


PHASES = {"bulk": phase_bulk, "ours": phase_ours, "query": phase_query, "rdflib": phase_rdflib}


def child(phase: str, args: dict, timeout: float | None = None) -> dict:
    """Run one phase in a fresh interpreter; its last stdout line is the JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--phase-args", json.dumps(args)]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": f"the {phase} phase failed (exit {proc.returncode}); see its messages above"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------- report
def fmt_s(v) -> str:
    if v is None:
        return "-"
    return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"


def ratio(a, b) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def verdict(ok: bool, target: str) -> str:
    return f"{'PASS' if ok else 'FAIL'} ({target})"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def report(info: dict) -> str:
    full, bulk, sl, sbulk, rdf = (info[k] for k in ("ours", "bulk", "ours_slice", "bulk_slice", "rdflib"))
    out = [f"PolicyGraph benchmark  ({info['machine']})",
           f"full graph: {info['municipalities']} municipalities, scale {info['scale']}: {info['full_quads']:,} quads in the "
           f"file, {full.get('quads', 0):,} in the store after the load ({full.get('derived', 0):,} derived)",
           f"rdflib slice: {info['slice']} municipalities, {info['slice_quads']:,} quads"
           + ("" if not info["skip_rdflib"] else " (rdflib skipped)"),
           f"queries: {info['query_source']}; median of {info['repeat']} runs (rdflib: one run, timeout {info['timeout']} s)", ""]
    rows = []
    if "error" in full or "error" in bulk:
        out.append(f"load failed: ours {full.get('error')}, bulk {bulk.get('error')}")
        return "\n".join(out)
    lr = full["load_s"] / bulk["load_s"]
    rows.append(["load, full graph (derived included)", fmt_s(full["load_s"]), fmt_s(bulk["load_s"]), "-",
                 ratio(full["load_s"], bulk["load_s"]), "-",
                 verdict(lr <= TARGET_LOAD_RATIO, f"<= {TARGET_LOAD_RATIO:g}x bulk_load")])
    rdf_load = rdf.get("load_s") if rdf else None
    rows.append([f"load, slice ({info['slice']} municipalities)", fmt_s(sl.get("load_s")), fmt_s(sbulk.get("load_s")),
                 fmt_s(rdf_load) if rdf else "skipped", ratio(sl.get("load_s"), sbulk.get("load_s")),
                 ratio(rdf_load, sbulk.get("load_s")), ""])
    slice_q = {q["id"]: q for q in sl.get("queries", [])} if info["slice"] != info["municipalities"] or rdf else {}
    rows += question_rows(full["queries"], info, "national, no parameters")
    if full.get("scoped"):
        rows += question_rows(full["scoped"], info, f"one municipality ({SCOPE_MUNICIPALITY})", suffix=", scoped")
    for key, title, suffix in (("memory", "in memory, national", ", memory"),
                               ("memory_scoped", f"in memory, one municipality ({SCOPE_MUNICIPALITY})", ", memory scoped")):
        if full.get(key):
            copy = next((q["copy_s"] for q in full[key] if q.get("copy_s")), None)
            rows.append(["copy of the store into memory (MemoryReplica, as `policygraph serve`)", fmt_s(copy),
                         "", "", "", "", ""])
            rows += question_rows(full[key], info, title, suffix=suffix)
    for qid, q in slice_q.items():
        if "skipped" in q or q.get("ours_s") is None:
            continue
        r = (rdf or {}).get("queries", {}).get(qid, {}) if rdf else {}
        rs = r.get("s")
        rtext = "skipped" if not rdf else (fmt_s(rs) if rs is not None else
                                           (f"> {r['timeout']} s (timeout)" if "timeout" in r else r.get("error", "-")))
        if rs is not None and r.get("rows") != q["rows"]:
            rtext += f" ({r.get('rows')} rows!)"
        rows.append([f"q {qid}, slice ({q['rows']} rows)", fmt_s(q["ours_s"]), fmt_s(q["raw_s"]), rtext,
                     ratio(q["ours_s"], q["raw_s"]), ratio(rs, q["raw_s"]), ""])
    q_peak = max([q.get("peak_rss_mb", 0) for q in full["queries"]] + [0])
    rows.append(["peak memory (MB)", f"load {full['load_peak_rss_mb']:.0f}, queries {q_peak:.0f}",
                 f"{bulk['peak_rss_mb']:.0f} (load only)", f"{rdf['peak_rss_mb']:.0f} (slice)" if rdf else "skipped",
                 ratio(full["load_peak_rss_mb"], bulk["peak_rss_mb"]), "", ""])
    out.append(table(["figure", "ours", "raw oxigraph", "rdflib", "ours/raw", "rdflib/raw", "target"], rows))
    out += ["", "load steps (ours, full graph):"]
    for name, s in full["steps"].items():
        out.append(f"  {name}: {fmt_s(s)}")
    return "\n".join(out)


def question_rows(queries: list[dict], info: dict, title: str, suffix: str = "") -> list[list[str]]:
    """One row per question and a total, against the targets."""
    rows, total_ours, total_raw, incomplete = [], 0.0, 0.0, False
    for q in queries:
        if "skipped" in q:
            rows.append([f"q {q['id']}{suffix}", "skipped: " + q["skipped"], "", "", "", "", ""])
            continue
        if q.get("error") or q.get("ours_s") is None:
            rows.append([f"q {q['id']}{suffix}", q.get("error", "ERROR"), "", "", "", "",
                         f"FAIL (<= {TARGET_QUESTION_S * 1000:.0f} ms)"])
            incomplete = True
            continue
        total_ours += q["ours_s"]
        total_raw += q["raw_s"]
        ok = q["ours_s"] <= TARGET_QUESTION_S and q["ours_s"] <= TARGET_API_RATIO * q["raw_s"] + 0.002
        runs = "" if q.get("runs", info["repeat"]) == info["repeat"] else f", {q['runs']} run"
        rows.append([f"q {q['id']}{suffix} ({q['rows']} rows{runs})", fmt_s(q["ours_s"]), fmt_s(q["raw_s"]), "",
                     ratio(q["ours_s"], q["raw_s"]), "",
                     verdict(ok, f"<= {TARGET_QUESTION_S * 1000:.0f} ms, <= {TARGET_API_RATIO:g}x raw")])
    more = "> " if incomplete else ""
    rows.append([f"query library, {title}, total" + (" (without stopped questions)" if incomplete else ""),
                 more + fmt_s(total_ours), more + fmt_s(total_raw), "", ratio(total_ours, total_raw), "",
                 verdict(not incomplete and total_ours < TARGET_LIBRARY_S
                         and total_ours <= TARGET_API_RATIO * total_raw + 0.01,
                         f"< {TARGET_LIBRARY_S:g} s, <= {TARGET_API_RATIO:g}x raw")])
    return rows


# ---------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    from bench.generate import DEFAULT_MUNICIPALITIES, DEFAULT_SCALE, DEFAULT_SEED, generate

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=DEFAULT_MUNICIPALITIES)
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slice", type=int, default=5, help="municipalities in the rdflib slice")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--skip-memory", action="store_true", help="do not ask the questions of a copy in memory")
    parser.add_argument("--timeout", type=float, default=60.0, help="rdflib: seconds per question")
    parser.add_argument("--query-timeout", type=float, default=180.0,
                        help="ours/raw: seconds per question (all its runs) before it is stopped")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--phase-args", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](json.loads(args.phase_args))))
        return 0

    started = time.perf_counter()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    n_slice = min(args.slice, args.municipalities)
    files = {}
    for key, n in (("full", args.municipalities), ("slice", n_slice)):
        path = args.data_dir / f"synthetic-m{n}-s{args.scale}-seed{args.seed}.nq"
        if not path.exists():
            info = generate(path, n, args.scale, args.seed)
            print(f"# generated {path.name}: {info['quads']:,} quads in {info['seconds']:.1f} s", file=sys.stderr)
        files[key] = path
    count = lambda p: sum(1 for _ in open(p, "rb"))  # noqa: E731
    work = Path(tempfile.mkdtemp(prefix="policygraph-bench-", dir=args.data_dir))
    try:
        derived_out = str(work / "slice-derived.nq")
        ours = child("ours", {"file": str(files["full"]), "store": str(work / "ours")})
        ours["queries"] = run_questions(str(work / "ours"), args.repeat, args.query_timeout, "full")
        if args.municipalities >= 50:
            ours["scoped"] = run_questions(str(work / "ours"), args.repeat, args.query_timeout, "scoped",
                                           SCOPE_MUNICIPALITY)
        if not args.skip_memory:
            ours["memory"] = run_questions(str(work / "ours"), args.repeat, args.query_timeout, "memory",
                                           memory=True)
            if args.municipalities >= 50:
                ours["memory_scoped"] = run_questions(str(work / "ours"), args.repeat, args.query_timeout,
                                                      "memory scoped", SCOPE_MUNICIPALITY, memory=True)
        shutil.rmtree(work / "ours", ignore_errors=True)
        bulk = child("bulk", {"file": str(files["full"]), "store": str(work / "bulk")})
        shutil.rmtree(work / "bulk", ignore_errors=True)
        if n_slice == args.municipalities:  # the slice is the whole graph: measure it once
            ours_slice, bulk_slice = ours, bulk
            if not args.skip_rdflib:
                ours_slice = child("ours", {"file": str(files["slice"]), "store": str(work / "ours-slice"),
                                            "derived_out": derived_out})
                ours_slice["queries"] = ours["queries"]
        else:
            ours_slice = child("ours", {"file": str(files["slice"]), "store": str(work / "ours-slice"),
                                        "derived_out": derived_out})
            ours_slice["queries"] = run_questions(str(work / "ours-slice"), args.repeat, args.query_timeout, "slice")
            bulk_slice = child("bulk", {"file": str(files["slice"]), "store": str(work / "bulk-slice")})
        rdf = None
        if not args.skip_rdflib and "queries" in ours_slice:
            qs = [{"id": q["id"], "sparql": q["sparql"]} for q in ours_slice["queries"] if "sparql" in q]
            rdf = child("rdflib", {"file": str(files["slice"]), "derived": derived_out, "queries": qs,
                                   "timeout": args.timeout, "load_timeout": 600},
                        timeout=600 + args.timeout * (len(qs) + 1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    builtin = any(q["id"].startswith("builtin-") for q in ours.get("queries", []))
    source = ("built-in questions (no graph.questions.library yet)" if builtin
              else "graph.questions.library (run_named, default parameters)")
    info = {"machine": f"{os.cpu_count()} cores", "municipalities": args.municipalities, "scale": args.scale,
            "slice": n_slice, "full_quads": count(files["full"]), "slice_quads": count(files["slice"]),
            "repeat": args.repeat, "timeout": args.timeout, "skip_rdflib": args.skip_rdflib,
            "query_source": source, "ours": ours, "bulk": bulk, "ours_slice": ours_slice, "bulk_slice": bulk_slice,
            "rdflib": rdf}
    print(report(info))
    print(f"\n(total benchmark time {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(info, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
