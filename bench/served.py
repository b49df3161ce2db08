"""Pages and questions as the web app serves them, on the synthetic national graph.

    .venv/bin/python bench/served.py                        # 98 municipalities
    .venv/bin/python bench/served.py --municipalities 10 --repeat 3

The store is loaded on disk and opened as `policygraph serve` opens it (a copy in memory,
`MemoryReplica`); requests go through the Flask app in this process (routing, templates and
labels included; no socket). Measured, each in wall-clock and in this process's CPU time (which
other work on a shared machine does not inflate):

1. every question's first page nationally, before anything is kept: the computation itself;
2. the background warm-up of the national answers (`graph.questions.kept.Warmer`), both languages;
3. every question's first page nationally as served after it (the library's total beside it);
4. for one municipality, every page a strategist opens (front page, the questions narrowed to it, a
   plan page, network, matrix, timeline, report, search): the first request and the median of
   --repeat more.

Targets (issue 16): nationally every question's first page under 200 ms and the library under 2 s;
every page for one municipality under 300 ms; search under 100 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_QUESTION_MS = 200.0
TARGET_LIBRARY_MS = 2000.0
TARGET_PAGE_MS = 300.0
TARGET_SEARCH_MS = 100.0


def resident_mb() -> float:
    """This process's resident memory now (Linux), for what the kept answers take."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall ms, CPU ms, value) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, value


def get(client: Any, url: str) -> Callable[[], Any]:
    def fetch() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response
    return fetch


def line(name: str, wall: float, cpu: float, target: float | None, width: int = 64) -> str:
    verdict = "" if target is None else ("PASS" if wall <= target else "FAIL") + f" (<= {target:.0f} ms)"
    return f"{name:<{width}} {wall:9.1f} ms  {cpu:9.1f} ms CPU  {verdict}"


def municipality_pages(app: Any, store: Any, municipality: str, short: str) -> list[tuple[str, str, float]]:
    """(name, URL, target) of every page a strategist opens about one municipality."""
    from graph.questions.library import library
    from web.links import resource_url

    rows = store.query("SELECT ?d WHERE { ?d pg:municipality ?m ; a pg:ActionPlan } ORDER BY ?d LIMIT 1",
                       {"m": __import__("pyoxigraph").NamedNode(municipality)})
    plan = next(iter(rows))["d"].value
    with app.test_request_context():
        plan_url = resource_url(plan)
    pages = [("front page", "/", TARGET_PAGE_MS), ("plan page", plan_url, TARGET_PAGE_MS)]
    for named in sorted(library().values(), key=lambda q: q.id):
        takes = any(p.name == "municipality" for p in named.parameters)
        if named.needs_input({"municipality": short}):
            continue
        pages.append((f"question {named.id}", f"/questions/{named.id}" + (f"?municipality={short}" if takes else ""),
                      TARGET_PAGE_MS))
    for name in ("network", "network.json", "matrix", "matrix.json", "timeline", "timeline.json", "report"):
        pages.append((name, f"/{name}?municipality={short}", TARGET_PAGE_MS))
    pages.append(("search 'integration'", "/search?q=integration", TARGET_SEARCH_MS))
    return pages


def main(argv: list[str] | None = None) -> int:
    from bench.generate import DEFAULT_MUNICIPALITIES, DEFAULT_SCALE, DEFAULT_SEED, generate
    from graph.explore.search import build_index
    from graph.pipeline.load import load_into_store
    from graph.questions.kept import KEPT, Warmer, national_questions
    from graph.store import OxigraphStore, open_store
    from web import create_app
    from web.home import overview
    from graph.explore.network import filter_choices

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=DEFAULT_MUNICIPALITIES)
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--municipality", default=None, help="short id (default: the middle one, org/synNNN)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    data = args.data_dir / f"synthetic-m{args.municipalities}-s{args.scale}-seed{args.seed}.nq"
    if not data.exists():
        generate(data, args.municipalities, args.scale, args.seed)
    short = args.municipality or f"org/syn{(args.municipalities + 1) // 2:03d}"
    municipality = "https://w3id.org/policygraph/id/" + short
    out: list[str] = [f"served, {args.municipalities} municipalities (scale {args.scale}), one municipality {short}; "
                      f"median of {args.repeat}"]
    with tempfile.TemporaryDirectory(prefix="policygraph-served-", dir=args.data_dir) as work:
        disk = OxigraphStore(Path(work) / "store")
        load_into_store(disk, [data], validate=False)
        disk.close()
        wall, _cpu, store = timed(lambda: open_store(Path(work) / "store", in_memory=True))
        out.append(f"copy of the store into memory: {wall / 1000:.1f} s")
        wall, _cpu, _ = timed(lambda: build_index(store))
        out.append(f"search index built: {wall / 1000:.1f} s")
        app = create_app({"STORE": store, "TESTING": True, "WARM_ANSWERS": False, "QUERY_WORKERS": 0})
        client = app.test_client()
        questions = sorted(national_questions(), key=lambda q: q.id)

        out.append("\n1. national first pages, computed (nothing kept yet)")
        for named in questions:
            KEPT.clear()
            wall, cpu, _ = timed(get(client, f"/questions/{named.id}?lang=da"))
            out.append(line(f"  {named.id}", wall, cpu, None))

        KEPT.clear()
        before = resident_mb()
        national = Warmer(store, ["da", "en"], also=[overview, filter_choices], municipalities=False)
        wall, cpu, _ = timed(national.warm_once)
        out.append(f"\n2. background warm-up, as `policygraph serve` does it at start and after each change:\n"
                   f"  national answers and views, da and en: {wall / 1000:.1f} s ({cpu / 1000:.1f} s CPU, "
                   f"{KEPT.rows:,} rows kept)")
        wall, cpu, _ = timed(Warmer(store, ["da", "en"], also=[overview, filter_choices]).warm_once)
        out.append(f"  then every municipality's answers, da and en: {wall / 1000:.1f} s ({cpu / 1000:.1f} s CPU, "
                   f"{KEPT.rows:,} rows kept)")
        out.append(f"  resident memory {before:,.0f} MB before the warm-up, {resident_mb():,.0f} MB after")

        out.append("\n3. national first pages as served (answers kept)")
        total_wall = total_cpu = 0.0
        for named in questions:
            runs = [timed(get(client, f"/questions/{named.id}?lang=da")) for _ in range(args.repeat)]
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            total_wall, total_cpu = total_wall + wall, total_cpu + cpu
            out.append(line(f"  {named.id}", wall, cpu, TARGET_QUESTION_MS))
        out.append(line("  the whole library (every first page)", total_wall, total_cpu, TARGET_LIBRARY_MS))

        out.append(f"\n4. pages about {short}: first request / median of the next {args.repeat}")
        for name, url, target in municipality_pages(app, store, municipality, short):
            first_wall, first_cpu, _ = timed(get(client, url))
            runs = [timed(get(client, url)) for _ in range(args.repeat)]
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            out.append(line(f"  {name}", wall, cpu, target) + f"   first {first_wall:.0f} ms")
        import resource
        out.append(f"\npeak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB "
                   f"({KEPT.rows:,} rows kept)")
        store.close()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
