"""The network view as one HTML file to share (`/network.html?<the view's filters>`): vis-network,
the page's own script and style and the view's data inlined, so it opens offline, from a USB stick
or an e-mail, years later. pyvis is not used: it loads Bootstrap from a CDN.

The file names no address a browser could fetch: nodes are numbered instead of named by IRI, links to
the app's pages are left out (they would not resolve away from it), and the few addresses in the
vendored licence comments and in labels keep their text but lose their `http(s)://`.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import render_template

from web.drawing import CATEGORY_STYLES

STATIC = Path(__file__).parent / "static"
_SCHEME = re.compile(r"https?://", re.IGNORECASE)


def unlinked(text: str) -> str:
    """`text` with every http(s):// dropped, so nothing in the file is an address to fetch."""
    return _SCHEME.sub("", text)


def script_safe(text: str) -> str:
    """Text that cannot end the <script> element it is inlined in."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """A static file's text, made safe to inline (read once: vis-network is 640 kB)."""
    return script_safe(unlinked((STATIC / name).read_text(encoding="utf-8")))


def offline_data(data: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """The drawing's data as the standalone file holds it: numbered nodes, no links to the app."""
    number = {node["id"]: i for i, node in enumerate(data["nodes"])}
    nodes = [{k: v for k, v in node.items() if k not in ("url", "json")} | {"id": number[node["id"]]}
             for node in data["nodes"]]
    edges = [edge | {"from": number[edge["from"]], "to": number[edge["to"]]} for edge in data["edges"]]
    return {"nodes": nodes, "edges": edges, "options": data["options"], "readable": data["readable"],
            "texts": texts, "standalone": True}


def embedded_json(value: Any) -> str:
    """JSON for a <script type="application/json"> element: <, > and & escaped as \\u sequences."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def standalone_html(data: dict[str, Any], texts: dict[str, str], focus_label: str) -> str:
    """The whole file (templates/files/network_export.html: a file saved to share, not a page served under the CSP)."""
    offline = offline_data(data, texts)
    page = render_template("files/network_export.html", data=data, focus_label=focus_label,
                           payload=embedded_json(offline), vis_js=_asset("vendor/vis-network/vis-network.min.js"),
                           network_js=_asset("network.js"), network_css=_asset("network.css"), standalone=True,
                           categories=CATEGORY_STYLES)
    return unlinked(page)  # labels and texts too: the file names no address at all
