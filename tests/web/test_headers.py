"""web/headers.py: every response (pages, twins, errors, static files, the SPARQL endpoint) carries
the security headers, and the templates hold nothing the Content-Security-Policy would block. (That
the pages really run under the policy is checked in a browser: tests/browser_support.PageProblems.)
Templates of documents saved as one file (web/templates/files/, e.g. the coherence report) are not
pages the app serves under the policy: they carry their own styles inline by design."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
PATHS = ["/", "/index.json", "/questions", "/questions/overlapping-initiatives.csv", "/network.json",
         "/id/doc/koebenhavn/integrationshandleplan-2019-22", "/id/no/such/thing.json", "/no/such/page",
         "/static/policygraph.css", "/sparql?query=ASK%7B%7D", "/sparql?query=nonsense", "/workbench"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(example_client, path):
    headers = example_client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"           # no inline scripts, no eval, no CDN
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_style_attribute_or_event_handler(template):
    text = template.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>", text)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts
    assert not re.search(r"\sstyle\s*=", text), "style= attributes are blocked: use a class in web/static"
    assert not re.search(r"\son[a-z]+\s*=", text), "event handler attributes are blocked: use web/static/*.js"
    assert "<style" not in text
