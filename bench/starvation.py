"""Can slow ad-hoc queries starve everyone else? 16 clients loop on cross products against a real
`policygraph serve`; meanwhile another client asks a cheap query and a question page once a second.

Run twice side by side: with the query workers (the default) and with QUERY_WORKERS=0 (queries in
threads of the server, as before the workers existed). Reports the cheap query's and the page's
latencies while under attack, what the attackers got, and how long the server's CPU takes to be idle
again after they stop (it must be within the query timeout).

    .venv/bin/python bench/starvation.py                 # 16 attackers, 30 s, timeout 10 s
    .venv/bin/python bench/starvation.py --clients 16 --seconds 20 --timeout 5

Each client sends from its own loopback address (127.0.0.x), as distinct users would.
"""
from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from local_server import free_port

ROOT = Path(__file__).resolve().parents[1]
POLICYGRAPH = str(Path(sys.executable).parent / "policygraph")
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?plan WHERE { ?plan a pg:ActionPlan } LIMIT 5"
PAGE = "/questions/plans-expiring-without-successor"



def request(port: int, source: str, path: str, timeout: float) -> tuple[int, float]:
    """(status, seconds) of one GET from the given loopback address; status 0 when it failed."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except OSError:
        return 0, time.monotonic() - started
    finally:
        connection.close()


def sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def cpu_seconds(pid: int) -> float:
    """CPU time of the server and all its descendants (the query workers), from /proc."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or _descends(int(entry), pid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _descends(pid: int, ancestor: int) -> bool:
    for _ in range(10):
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            return False
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
    return False


def run(store: Path, clients: int, seconds: float, timeout: float, workers: int) -> dict:
    port = free_port()
    env = {**os.environ, "POLICYGRAPH_QUERY_TIMEOUT": str(timeout), "POLICYGRAPH_QUERY_WORKERS": str(workers)}
    server = subprocess.Popen([POLICYGRAPH, "--store", str(store), "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if request(port, "127.0.0.1", sparql_path("ASK {}"), 2)[0] == 200:
                break
            time.sleep(0.1)
        time.sleep(2)  # the query workers start in the background
        stop = time.monotonic() + seconds
        attacks: list[int] = []

        def attack(n: int) -> None:
            source = f"127.0.1.{n + 1}"
            while time.monotonic() < stop:
                attacks.append(request(port, source, sparql_path(CROSS), timeout + 30)[0])

        threads = [threading.Thread(target=attack, args=(n,), daemon=True) for n in range(clients)]
        for thread in threads:
            thread.start()
        time.sleep(2)  # let them fill the server
        cheap, pages = [], []
        while time.monotonic() < stop:
            cheap.append(request(port, "127.0.2.1", sparql_path(CHEAP), timeout + 30))
            pages.append(request(port, "127.0.2.2", PAGE, timeout + 30))
            time.sleep(1)
        for thread in threads:
            thread.join(timeout + 60)
        stopped = time.monotonic()
        idle_after = None
        before = cpu_seconds(server.pid)
        while time.monotonic() - stopped < timeout + 60:
            time.sleep(0.5)
            now = cpu_seconds(server.pid)
            if now - before < 0.05:  # under 10% of one core over half a second
                idle_after = time.monotonic() - stopped
                break
            before = now
        return {"workers": workers, "cheap": cheap, "pages": pages, "attacks": attacks, "idle_after": idle_after}
    finally:
        server.terminate()
        server.wait(30)


def summary(result: dict, timeout: float) -> list[str]:
    def figures(samples: list[tuple[int, float]]) -> str:
        ok = [s for status, s in samples if status == 200]
        failed = sorted(status for status, _ in samples if status != 200)
        if not ok:
            return f"0 of {len(samples)} answered (statuses {failed})"
        return (f"{len(ok)}/{len(samples)} answered{f' (others: {failed})' if failed else ''}, "
                f"median {statistics.median(ok) * 1000:.0f} ms, max {max(ok) * 1000:.0f} ms, "
                f"under 1 s: {sum(1 for s in ok if s < 1)}")
    statuses: dict[int, int] = {}
    for status in result["attacks"]:
        statuses[status] = statuses.get(status, 0) + 1
    mode = f"{result['workers']} query workers" if result["workers"] else "threads (QUERY_WORKERS=0)"
    idle = f"{result['idle_after']:.1f} s" if result["idle_after"] is not None else f"not within {timeout + 60:.0f} s"
    return [f"## {mode}",
            f"- cheap SPARQL query from another client: {figures(result['cheap'])}",
            f"- question page from another client: {figures(result['pages'])}",
            f"- attackers' cross products by status: {dict(sorted(statuses.items()))}",
            f"- CPU idle again after the attackers stopped: {idle} (timeout {timeout:g} s)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4 * (os.cpu_count() or 1))
    parser.add_argument("--skip-threads", action="store_true", help="Only the run with query workers.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        subprocess.run([POLICYGRAPH, "--store", str(store), "load", str(ROOT / "data")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"{args.clients} clients looping on `{CROSS}` for {args.seconds:g} s, "
              f"query timeout {args.timeout:g} s, {os.cpu_count()} cores\n")
        modes = [args.workers] + ([] if args.skip_threads else [0])
        for workers in modes:
            print("\n".join(summary(run(store, args.clients, args.seconds, args.timeout, workers), args.timeout)))
            print(flush=True)


if __name__ == "__main__":
    main()
