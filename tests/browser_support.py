"""Helpers for the browser tests: the real app on loopback, a Chromium that may not leave the machine,
axe-core checks reported in plain text, and the page links the tests walk.

Kept apart from the tests so that the tests read as behaviour ("every menu page passes axe") and the
plumbing (waitress thread, request blocking, axe report formatting) is written once."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("POLICYGRAPH_CHROMIUM", "/usr/bin/chromium")
# No background traffic of Chromium's own (updates, safe browsing, ...): the tests prove the app is offline.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
BLOCKING_IMPACTS = ("serious", "critical")
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def chromium_or_fail() -> str:
    """The Chromium binary. Missing Chromium fails the run loudly (CI must install it) unless the
    developer opted out with POLICYGRAPH_SKIP_BROWSER=1: a silently skipped suite proves nothing."""
    if os.environ.get("POLICYGRAPH_SKIP_BROWSER") == "1":
        pytest.skip("browser tests skipped: POLICYGRAPH_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium), point "
                    "POLICYGRAPH_CHROMIUM at it, or set POLICYGRAPH_SKIP_BROWSER=1 to skip the browser tests",
                    pytrace=False)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install -e '.[test]'", pytrace=False)
    return CHROMIUM


@dataclass
class LiveServer:
    """The WSGI app served by waitress in a daemon thread, on a free loopback port."""

    base_url: str
    _server: Any

    def url(self, path: str) -> str:
        return self.base_url + path

    def close(self) -> None:
        self._server.close()


def serve(app, threads: int = 4) -> LiveServer:
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, name="policygraph-test-server", daemon=True).start()
    return LiveServer(f"http://127.0.0.1:{server.effective_port}", server)


@dataclass
class OfflineGuard:
    """Aborts every request that is not to the test server's loopback address and remembers it, so a
    test can fail on a page that tried to reach the internet (a CDN font, an autocompleter service ...)."""

    blocked: list[str] = field(default_factory=list)

    def handle(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def install(self, context) -> None:
        context.route("**/*", self.handle)


# Every `securitypolicyviolation` event (also one a script catches) is written to the console, where
# Chromium's own "Refused to ... Content Security Policy" messages arrive too.
_REPORT_CSP = """document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
                ' at ' + e.sourceFile + ':' + e.lineNumber));"""


@dataclass
class PageProblems:
    """What went wrong on a page beyond its own assertions: uncaught script errors, failed loads and
    anything the Content-Security-Policy blocked (an inline script or style= the app forgot)."""

    script_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))
        page.on("response", lambda response: response.status >= 400 and response.request.resource_type != "document"
                and self.failed_responses.append(f"{response.status} {response.url} (from {page.url})"))
        page.add_init_script(_REPORT_CSP)
        page.on("console", lambda message: self._console(page, message.text))

    def _console(self, page, text: str) -> None:
        if text.startswith("CSP violation") or "Content Security Policy" in text:
            self.csp_violations.append(f"{page.url}: {text[:300]}")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """axe-core's violations on the page as it is now, limited to the given impacts. axe.min.js comes
    bundled with axe-playwright-python, so nothing is fetched."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"],
                                       "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def describe_violations(where: str, violations: list[dict]) -> str:
    """One readable block per rule: rule id, impact, what it means, each element and how to fix it."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"][:3]:
            target = " ".join(str(t) for t in node["target"]).rsplit(" > ", 1)[-1]
            lines.append(f"    element {target}: {node.get('html', '')[:160]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      fix: {summary[:240]}")
        if len(v["nodes"]) > 3:
            lines.append(f"    ... and {len(v['nodes']) - 3} more elements")
    return "\n".join(lines)


class WatchedSession:
    """A browser context watched the way every form test watches its page: no request leaves the
    machine, script errors and CSP violations are kept, `axe(label)` collects axe-core's serious
    findings, and `close_and_check()` closes it and fails the test with everything seen at once."""

    def __init__(self, browser: Any, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        self.guard = OfflineGuard()
        self.guard.install(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.problems = PageProblems()
        self.problems.watch(self.page)
        self.findings: list[str] = []

    def axe(self, label: str) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.findings.append(describe_violations(label, violations))

    def close_and_check(self) -> None:
        self.context.close()
        seen = [*self.findings, *self.guard.blocked, *self.problems.script_errors, *self.problems.csp_violations]
        assert not seen, "\n".join(seen)


def menu_links(page) -> list[str]:
    """The main menu's entries as paths, read from the page itself so that every new area is covered."""
    hrefs = page.eval_on_selector_all("nav .menu a[href]", "links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(hrefs))


def links_starting_with(page, prefix: str) -> list[str]:
    """Same-site links whose path starts with `prefix`, in page order, without duplicates."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.hostname in LOCAL_HOSTS and parts.path.startswith(prefix):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return list(dict.fromkeys(found))


def screenshot(page, name: str, height: int | None = None, hide: str = "") -> Path:
    """A full-page screenshot under var/screenshots/, for a person to look at after the run; with
    `height`, only the top of the page (what the README shows); `hide`: selectors left out of the picture
    (hidden through the DOM: Playwright's `style=` option injects a <style> the page's CSP refuses)."""
    visibility = "(els, v) => els.forEach(e => { e.style.visibility = v; })"
    if hide:
        page.eval_on_selector_all(hide, visibility, "hidden")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if height is None:
        page.screenshot(path=str(path), full_page=True)
    else:
        width = page.viewport_size["width"]
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    if hide:
        page.eval_on_selector_all(hide, visibility, "")
    return path


def slug(path: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in path.strip("/")) or "home"
    return "-".join(part for part in cleaned.split("-") if part)[:80]


# Where nodes are drawn on a canvas: clusters of strongly coloured pixels (edges and labels are grey or
# black, the background white), biggest first. Works for any canvas drawing library, so the test does
# not depend on how the network view keeps its vis-network object.
_COLOURED_SPOTS = """canvas => {
  const ctx = canvas.getContext('2d');
  const {width, height} = canvas;
  const data = ctx.getImageData(0, 0, width, height).data;
  const scale = canvas.getBoundingClientRect().width / width;
  const cells = new Map();
  for (let y = 0; y < height; y += 3) {
    for (let x = 0; x < width; x += 3) {
      const i = (y * width + x) * 4;
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a < 200 || Math.max(r, g, b) - Math.min(r, g, b) < 60) continue;
      const key = Math.floor(x / 24) + ',' + Math.floor(y / 24);
      const cell = cells.get(key) || {n: 0, x: 0, y: 0};
      cell.n += 1; cell.x += x; cell.y += y;
      cells.set(key, cell);
    }
  }
  const box = canvas.getBoundingClientRect();
  // Only spots where the canvas itself is on top: not the zoom and pan buttons drawn over it.
  return [...cells.values()].filter(c => c.n >= 12).sort((a, b) => b.n - a.n)
    .map(c => [c.x / c.n * scale, c.y / c.n * scale])
    .filter(([x, y]) => document.elementFromPoint(box.left + x, box.top + y) === canvas)
    .slice(0, 25);
}"""


def coloured_spots(canvas) -> list[tuple[float, float]]:
    """Points (CSS pixels, relative to the canvas) where something coloured, likely a node, is drawn."""
    return [tuple(p) for p in canvas.evaluate(_COLOURED_SPOTS)]


def wait_until_canvas_settles(page, canvas, timeout_ms: int = 15_000) -> None:
    """Waits until the drawing stops changing (force layouts move nodes for a while after load)."""
    previous, waited = None, 0
    while waited < timeout_ms:
        current = canvas.evaluate("c => c.toDataURL().length + ':' + c.toDataURL().slice(-200)")
        if current == previous:
            return
        previous = current
        page.wait_for_timeout(400)
        waited += 400
