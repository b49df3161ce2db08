"""A workshop under load: N simulated participants (40) join a real `policygraph serve`, follow its
event stream, and at once propose links, give all their dots and support each other's proposals,
each action sent with its own id and sent again until the server has stored it. With --restart the
server is killed (SIGKILL) in the middle and started again on the same log.

Reports how long an action takes to be acknowledged and how long until every OTHER participant's
stream has announced it (the update latency: p50, p95, max), and checks that nothing was lost or
counted twice: every acknowledged vote, proposal and support is in the state exactly once.

    .venv/bin/python bench/workshop_load.py                  # 40 participants
    .venv/bin/python bench/workshop_load.py --restart        # the same, killed and restarted midway
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from local_server import free_port

ROOT = Path(__file__).resolve().parents[1]
POLICYGRAPH = str(Path(sys.executable).parent / "policygraph")
SEED = "https://w3id.org/policygraph/id/workshop/koebenhavn/gruppearbejde-ny-integrationshandleplan"
KBH = "https://w3id.org/policygraph/id/org/koebenhavn"
PLAN = "https://w3id.org/policygraph/id/doc/koebenhavn/integrationshandleplan-2019-22"
TOKEN = "load-test-token"



class Client:
    """One browser: its own cookies, its CSRF token, JSON actions retried until stored."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def get(self, path: str, timeout: float = 30) -> str:
        with self.opener.open(self.base + path, timeout=timeout) as response:
            return response.read().decode()

    def form(self, path: str, fields: list[tuple[str, str]]) -> str:
        """GET the form's page for the CSRF token, then POST; the URL it ended on."""
        page = self.get(path.split("?")[0] + ("?" + path.split("?")[1] if "?" in path else ""))
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode([("csrf_token", self.csrf), *fields]).encode()
        with self.opener.open(urllib.request.Request(self.base + path.split("?")[0], data=data), timeout=30) as response:
            response.read()
            return response.geturl()

    def act(self, workshop: str, kind: str, payload: dict, action: str, deadline: float = 120) -> tuple[int, int, float]:
        """(HTTP status, seq, seconds to the acknowledgement); retried while the server is away."""
        body = json.dumps({"kind": kind, "payload": payload, "action": action}).encode()
        started = time.monotonic()
        while time.monotonic() - started < deadline:
            request = urllib.request.Request(f"{self.base}/workshops/{workshop}/act", data=body, headers={
                "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": self.csrf})
            try:
                with self.opener.open(request, timeout=30) as response:
                    return response.status, json.loads(response.read())["seq"], time.monotonic() - started
            except urllib.error.HTTPError as error:
                if error.code < 500 and error.code != 429:
                    return error.code, 0, time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.2)
        return 0, 0, time.monotonic() - started


def follow(client: Client, workshop: str, seen: list[tuple[float, int]], stop: threading.Event) -> None:
    """Read the event stream, reconnecting when it ends or the server goes away; note (time, seq)."""
    while not stop.is_set():
        try:
            with client.opener.open(f"{client.base}/workshops/{workshop}/stream", timeout=40) as response:
                for raw in response:
                    line = raw.decode().strip()
                    if line.startswith("data: "):
                        seen.append((time.monotonic(), int(line[6:])))
                    if stop.is_set():
                        return
        except (OSError, ValueError):
            time.sleep(0.3)


def start_server(store: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "POLICYGRAPH_UPDATE_TOKEN": TOKEN, "POLICYGRAPH_WORKSHOP_LOG": str(log),
           "POLICYGRAPH_WORKSHOP_JOINS_PER_MINUTE": "1000", "POLICYGRAPH_IN_MEMORY": "0"}
    server = subprocess.Popen([POLICYGRAPH, "--store", str(store), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/workshops.json", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def run(store: Path, participants: int, votes: int, proposals: int, restart: bool) -> dict:
    folder = Path(tempfile.mkdtemp())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(store, port, folder / "workshops.sqlite")
    try:
        facilitator = Client(base)
        where = facilitator.form(f"/workshops/new?seed={urllib.parse.quote(SEED)}&municipality={urllib.parse.quote(KBH)}",
                                 [("seed", SEED), ("municipality", KBH), ("title", "Load"), ("plans", PLAN),
                                  ("token", TOKEN), ("activities", "links"), ("activities", "priorities")])
        workshop = where.split("/workshops/")[1].split("/")[0]
        code = re.search(r'class="ws-code">([A-Z0-9]+)<', facilitator.get(f"/workshops/{workshop}/facilitate")).group(1)
        facilitator.act(workshop, "activity.open", {"activity": "a1"}, "open-links")
        facilitator.act(workshop, "activity.open", {"activity": "a2", "dots": votes}, "open-votes")
        state = json.loads(facilitator.get(f"/workshops/{workshop}/projector.json"))
        link_items = state["activities"][0]["items"]
        vote_items = state["activities"][1]["items"] or [{"id": "none"}]
        people = [Client(base) for _ in range(participants)]
        for n, person in enumerate(people):
            person.form(f"/workshops/join?code={code}", [("code", code), ("name", f"P{n}")])
        stop = threading.Event()
        seen: list[list[tuple[float, int]]] = [[] for _ in people]
        followers = [threading.Thread(target=follow, args=(p, workshop, seen[n], stop), daemon=True)
                     for n, p in enumerate(people)]
        for thread in followers:
            thread.start()
        time.sleep(1.0)
        acked: list[dict] = []
        lock = threading.Lock()
        barrier = threading.Barrier(participants)

        def participant(n: int) -> None:
            person = people[n]
            mine = []
            for k in range(proposals):
                a, b = link_items[(n + k) % len(link_items)]["id"], link_items[(n + k + 1) % len(link_items)]["id"]
                mine.append(("link.propose", {"activity": "a1", "source": a, "target": b, "relation": "synergy",
                                              "rationale": f"P{n} #{k}"}, f"p{n}-{k}"))
            for k in range(votes):
                mine.append(("vote", {"activity": "a2", "item": vote_items[(n + k) % len(vote_items)]["id"]}, f"v{n}-{k}"))
            for kind, payload, action in mine:
                status, seq, seconds = person.act(workshop, kind, payload, action)
                with lock:
                    acked.append({"who": n, "kind": kind, "payload": payload, "action": action, "status": status,
                                  "seq": seq, "ack": seconds, "at": time.monotonic()})
            barrier.wait(timeout=300)
            for k in range(2):
                target = f"p{(n + 1 + k) % participants}-0"
                status, seq, seconds = person.act(workshop, "support", {"proposal": target}, f"s{n}-{k}")
                with lock:
                    acked.append({"who": n, "kind": "support", "payload": {"proposal": target}, "action": f"s{n}-{k}",
                                  "status": status, "seq": seq, "ack": seconds, "at": time.monotonic()})

        workers = [threading.Thread(target=participant, args=(n,)) for n in range(participants)]
        started = time.monotonic()
        for thread in workers:
            thread.start()
        if restart:
            time.sleep(0.5)
            server.send_signal(signal.SIGKILL)
            server.wait(30)
            server = start_server(store, port, folder / "workshops.sqlite")
        for thread in workers:
            thread.join()
        elapsed = time.monotonic() - started
        time.sleep(1.5)
        stop.set()
        final = json.loads(facilitator.get(f"/workshops/{workshop}/projector.json"))
        history = json.loads(facilitator.get(f"/workshops/{workshop}/history.json?limit=5000"))
        return {"acked": acked, "seen": seen, "final": final, "history": history, "elapsed": elapsed,
                "participants": participants}
    finally:
        server.terminate()
        server.wait(30)


def check(result: dict) -> list[str]:
    """What was lost or counted twice (empty when nothing was)."""
    acked, final, history = result["acked"], result["final"], result["history"]
    problems = [f"{a['action']}: HTTP {a['status']}" for a in acked if a["status"] != 200]
    stored = [e for e in history["events"] if e["kind"] in ("vote", "link.propose", "support")]
    if len(stored) != len({(e["kind"], e["seq"]) for e in stored}):
        problems.append("an event is stored twice")
    want_votes = sum(1 for a in acked if a["kind"] == "vote" and a["status"] == 200)
    got_votes = sum(item["dots"] for item in final["votes"]["a2"])
    if want_votes != got_votes:
        problems.append(f"votes: {want_votes} acknowledged, {got_votes} counted")
    want_proposals = {a["action"] for a in acked if a["kind"] == "link.propose" and a["status"] == 200}
    got_proposals = {p["id"] for p in final["proposals"]}
    if want_proposals != got_proposals:
        problems.append(f"proposals: {len(want_proposals)} acknowledged, {len(got_proposals)} stored")
    supports: dict[str, int] = {}
    for a in acked:
        if a["kind"] == "support" and a["status"] == 200:
            supports[a["payload"]["proposal"]] = supports.get(a["payload"]["proposal"], 0) + 1
    for p in final["proposals"]:
        if p["supporters"] != 1 + supports.get(p["id"], 0):
            problems.append(f"{p['id']}: {p['supporters']} supporters, expected {1 + supports.get(p['id'], 0)}")
    return problems


def latencies(result: dict) -> tuple[list[float], int]:
    """Seconds from an action's acknowledgement until each other participant's stream announced it."""
    delays, missed = [], 0
    for a in result["acked"]:
        if a["status"] != 200:
            continue
        for n, seen in enumerate(result["seen"]):
            if n == a["who"]:
                continue
            first = next((t for t, seq in seen if seq >= a["seq"]), None)
            if first is None:
                missed += 1
            else:
                delays.append(max(0.0, first - a["at"]))
    return delays, missed


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else (values or [0.0])[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--votes", type=int, default=5, help="dots per participant (all given)")
    parser.add_argument("--proposals", type=int, default=2, help="links each participant proposes")
    parser.add_argument("--restart", action="store_true", help="kill the server midway and start it again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        subprocess.run([POLICYGRAPH, "--store", str(store), "load", str(ROOT / "data")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result = run(store, args.participants, args.votes, args.proposals, args.restart)
    acks = [a["ack"] for a in result["acked"] if a["status"] == 200]
    delays, missed = latencies(result)
    problems = check(result)
    print(f"{args.participants} participants, {len(acks)} actions in {result['elapsed']:.1f} s"
          f"{' (server killed and restarted midway)' if args.restart else ''}, {os.cpu_count()} cores")
    print(f"acknowledged: p50 {percentile(acks, .5) * 1000:.0f} ms, p95 {percentile(acks, .95) * 1000:.0f} ms, "
          f"max {max(acks) * 1000:.0f} ms")
    print(f"seen by the others: p50 {percentile(delays, .5) * 1000:.0f} ms, p95 {percentile(delays, .95) * 1000:.0f} ms, "
          f"max {max(delays) * 1000:.0f} ms over {len(delays)} observations, {missed} never seen")
    print("lost or counted twice: " + ("nothing" if not problems else "; ".join(problems[:10])))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
