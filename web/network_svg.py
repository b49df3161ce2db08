"""The network view as an SVG for a slide (`/network.svg?<the view's filters>`), drawn on the server
from the same positions, shapes, colours and summarised links as the page (web/drawing.py), so the
picture is the page's. No library turns vis-network into SVG offline; this is a small hand-written
one, every text escaped.

Readable on a slide: the font grows with the drawing's width, so that at 1920 px wide no text is
drawn smaller than MIN_PX; labels wrap at a word to fit their column and stop after LINES lines. Text
is only ever labels and UI words: never an IRI, and no address at all (the SVG namespace aside).
"""
from __future__ import annotations

import math
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from web.drawing import (BORDER, CATEGORY_STYLES, NET_COLUMN_WIDTH, NET_ROW_HEIGHT, SYNERGY_COLOUR, WORKSHOP_COLOUR,
                         WORKSHOP_DASHES)
from web.network_export import unlinked

SVG_NS = "http://www.w3.org/2000/svg"
SLIDE_PX = 1920       # the width a slide shows the drawing at
MIN_PX = 14           # the smallest text there, in pixels
CHAR_WIDTH = 0.56     # an average character's width, in ems (system sans-serif)
LINES = 2             # lines of a node's label; the full label is in the page's table
MARGIN = 40
EDGE_COLOUR = "#6b6b6b"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: Any) -> str:
    """Text content: escaped, characters XML forbids dropped, no http(s):// left to fetch."""
    return escape(_NOT_XML.sub("", unlinked(str(value))))


def attr(value: Any) -> str:
    """An attribute value, quoted and escaped."""
    return quoteattr(_NOT_XML.sub("", unlinked(str(value))))


def wrapped(label: str, chars: int, lines: int = LINES) -> list[str]:
    """The label in lines of at most `chars` characters, cut at spaces; "…" when it goes on."""
    words, out, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > chars:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    out = [piece if len(piece) <= chars else piece[:chars - 1] + "…" for piece in out]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:chars - 1].rstrip() + "…"
    return out


def shape(kind: str, x: float, y: float, r: float, fill: str, extra: str = "") -> str:
    """One node shape (vis-network's names) centred on (x, y) with radius r."""
    def polygon(points: list[tuple[float, float]]) -> str:
        joined = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in points)
        return f'<polygon points="{joined}" fill={attr(fill)} {extra}/>'

    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill={attr(fill)} {extra}/>'
    if kind == "star":
        return polygon([(math.cos(a) * (1 if i % 2 == 0 else 0.45), math.sin(a) * (1 if i % 2 == 0 else 0.45))
                        for i, a in enumerate(-math.pi / 2 + k * math.pi / 5 for k in range(10))])
    if kind == "triangle":
        return polygon([(0, -1), (0.95, 0.75), (-0.95, 0.75)])
    if kind == "triangleDown":
        return polygon([(-0.95, -0.75), (0.95, -0.75), (0, 1)])
    if kind == "diamond":
        return polygon([(0, -1), (1, 0), (0, 1), (-1, 0)])
    if kind == "hexagon":
        return polygon([(math.cos(a), math.sin(a)) for a in (k * math.pi / 3 for k in range(6))])
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill={attr(fill)} {extra}/>'


def lines_at(x: float, y: float, lines: list[str], size: float, fill: str, anchor: str = "middle",
             halo: bool = True) -> str:
    """Lines of text from baseline y down; a white halo keeps them readable over a line."""
    style = (f' stroke="#ffffff" stroke-width="{max(4.0, size * 0.35):.1f}" paint-order="stroke" stroke-linejoin="round"'
             if halo else "")  # wide enough to hide a dashed line under the text
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * 1.15:.1f}">{text(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" text-anchor="{anchor}" fill={attr(fill)}'
            f'{style}>{spans}</text>')


class Canvas:
    """The drawing's geometry: where the nodes are (shifted below the title and legend) and the sizes
    that keep text at MIN_PX or more at SLIDE_PX wide."""

    def __init__(self, nodes: list[dict[str, Any]], header_lines: int) -> None:
        xs = [n["x"] for n in nodes] or [0.0]
        ys = [n["y"] for n in nodes] or [0.0]
        self.left, self.top = min(xs), min(ys)
        self.width = max(xs) - self.left + NET_COLUMN_WIDTH + 2 * MARGIN
        self.font = max(16.0, MIN_PX * self.width / SLIDE_PX)
        self.radius = self.font * 0.8
        self.chars = max(12, int(NET_COLUMN_WIDTH * 0.9 / (self.font * CHAR_WIDTH)))
        self.header = MARGIN + header_lines * self.font * 1.6
        # rows pulled apart when the font grew: a shape and LINES lines of label, and some air
        row = 2 * self.radius + self.font * (1.2 + 1.15 * LINES)
        self.stretch = max(1.0, row / NET_ROW_HEIGHT)
        self.height = self.header + (max(ys) - self.top) * self.stretch + NET_ROW_HEIGHT * self.stretch + 2 * MARGIN

    def at(self, node: dict[str, Any]) -> tuple[float, float]:
        return (node["x"] - self.left + MARGIN + NET_COLUMN_WIDTH / 2,
                (node["y"] - self.top) * self.stretch + self.header + MARGIN)


def _node(node: dict[str, Any], c: Canvas) -> str:
    kind, fill, font, dashed = CATEGORY_STYLES[node["category"]]
    x, y = c.at(node)
    border = node.get("color", {}).get("border", BORDER)
    width = node.get("borderWidth", 2)
    dashes = ' stroke-dasharray="6 4"' if dashed or "gap" in node.get("findings", []) else ""
    stroke = f'stroke={attr(border)} stroke-width="{width}"{dashes}'
    label = node["label"].split("\n")[0]  # the title with its finding tags; the kind comes on a line below
    title = f"<title>{text(node['fullLabel'])}</title>"
    if kind == "box":
        lines = wrapped(label, c.chars) + [f"({node['kind']})"]
        w = min(NET_COLUMN_WIDTH * 0.92, max(len(line) for line in lines) * c.font * CHAR_WIDTH + c.font)
        h = len(lines) * c.font * 1.15 + c.font * 0.6
        return (f'<g>{title}<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4" '
                f'fill={attr(fill)} {stroke}/>'
                + lines_at(x, y - h / 2 + c.font * 1.1, lines, c.font, font, halo=False) + "</g>")
    return (f"<g>{title}{shape(kind, x, y, c.radius, fill, stroke)}"
            + lines_at(x, y + c.radius + c.font * 1.05, wrapped(label, c.chars), c.font, "#1b1b1b") + "</g>")


def _edge(edge: dict[str, Any], where: dict[str, tuple[float, float]], c: Canvas) -> str:
    (x1, y1), (x2, y2) = where[edge["from"]], where[edge["to"]]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    gap = min(c.radius * 1.3, length / 3)  # the arrow's tip at the shape's edge, not under it
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    x1, y1, x2, y2 = x1 + ux * gap, y1 + uy * gap, x2 - ux * gap, y2 - uy * gap
    colour = edge.get("color", {}).get("color", EDGE_COLOUR)
    dashes = edge.get("dashes")
    dash = f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"' if isinstance(dashes, list) else ""
    arrows = edge.get("arrows", "to")
    ends = (' marker-end="url(#arrow)"' if "to" in arrows else "") + \
           (' marker-start="url(#arrow-back)"' if "from" in arrows else "")
    title = f"<title>{text(edge['title'])}</title>"
    drawn = (f'<g>{title}<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke={attr(colour)} '
             f'stroke-width="{edge.get("width", 1)}"{dash}{ends}/>')
    if edge.get("label"):  # on a white ground, so no line shows between its letters
        size, x, y = c.font * 0.85, (x1 + x2) / 2, (y1 + y2) / 2
        w = len(edge["label"]) * size * CHAR_WIDTH + size * 0.6
        drawn += (f'<rect x="{x - w / 2:.1f}" y="{y - size:.1f}" width="{w:.1f}" height="{size * 1.3:.1f}" fill="#ffffff"/>'
                  + lines_at(x, y, [edge["label"]], size, "#1b1b1b", halo=False))
    return drawn + "</g>"


def _legend(categories: list[str], looks: list[str], words: dict[str, str], c: Canvas, y: float) -> str:
    """One line of the node kinds shown, then the looks of the links shown (synergy, workshop)."""
    parts, x, size = [], MARGIN, c.font * 0.9
    r = size * 0.55
    for category in categories:
        kind, fill, _, dashed = CATEGORY_STYLES[category]
        extra = f'stroke="{BORDER}" stroke-width="1.5"' + (' stroke-dasharray="4 3"' if dashed else "")
        symbol = (f'<rect x="{x:.1f}" y="{y - r:.1f}" width="{3 * r:.1f}" height="{2 * r:.1f}" fill={attr(fill)} {extra}/>'
                  if kind == "box" else shape(kind, x + r, y, r, fill, extra))
        parts.append(symbol + lines_at(x + 3.4 * r, y + size * 0.35, [words[category]], size, "#1b1b1b", "start", False))
        x += 3.4 * r + len(words[category]) * size * CHAR_WIDTH + size * 1.5
    for colour, dashes, word in ((SYNERGY_COLOUR, "10 6", words["synergy"]),
                                 (WORKSHOP_COLOUR, " ".join(map(str, WORKSHOP_DASHES)), words["workshop"])):
        if (word == words["synergy"] and "finding" not in looks) or (word == words["workshop"] and "workshop" not in looks):
            continue
        parts.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 3 * r:.1f}" y2="{y:.1f}" stroke="{colour}" '
                     f'stroke-width="3" stroke-dasharray="{dashes}"/>'
                     + lines_at(x + 3.4 * r, y + size * 0.35, [word], size, "#1b1b1b", "start", False))
        x += 3.4 * r + len(word) * size * CHAR_WIDTH + size * 1.5
    return f'<g class="legend">{"".join(parts)}</g>'


def network_svg(data: dict[str, Any], words: dict[str, str], title: str, filters: list[str], lang: str) -> str:
    """The whole SVG document. `data` is web.drawing.network_drawing's; `words` names the categories
    and the looks of links in the reader's language; `filters` the chosen filters, in words."""
    nodes = data["nodes"]
    c = Canvas(nodes, 4 if filters else 3)
    where = {n["id"]: c.at(n) for n in nodes}
    width = max(c.width, len("".join(filters)) * c.font * 0.6)
    head = [lines_at(MARGIN, MARGIN + c.font * 1.3, [title], c.font * 1.4, "#1b1b1b", "start", False)]
    if filters:
        head.append(lines_at(MARGIN, MARGIN + c.font * 2.9, [" · ".join(filters)], c.font, "#1b1b1b", "start", False))
    looks = [look for look in ("finding", "workshop") if any(e.get(look) for e in data["edges"])]
    head.append(_legend(data.get("categories", []), looks, words, c, MARGIN + c.font * (4.4 if filters else 2.9)))
    arrow = c.font * 0.5
    defs = ("<defs>"
            f'<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="{arrow:.1f}" '
            f'markerHeight="{arrow:.1f}" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{EDGE_COLOUR}"/></marker>'
            f'<marker id="arrow-back" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="{arrow:.1f}" '
            f'markerHeight="{arrow:.1f}" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M10,0 L0,5 L10,10 z" fill="{EDGE_COLOUR}"/></marker></defs>')
    body = "".join(_edge(e, where, c) for e in data["edges"]) + "".join(_node(n, c) for n in nodes)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="{SVG_NS}" xml:lang={attr(lang)} width="{width:.0f}" height="{c.height:.0f}" '
            f'viewBox="0 0 {width:.0f} {c.height:.0f}" font-family="system-ui, sans-serif" role="img">'
            f"<title>{text(title)}</title>{defs}"
            f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(head)}'
            f'<g class="edges-and-nodes">{body}</g></svg>\n')
