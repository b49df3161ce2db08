"""How the pages draw what graph/explore hands them as plain data: the one place that knows the
shapes and colours of node classes, the vis-network options of the network view, and the geometry
of the server-drawn timeline SVG. graph/ says what is there; this module says how it looks.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Callable

from graph.explore.network import LinkSummary, NetworkView, Node, summarise_links
from graph.explore.network_layout import LayoutNode, clustered_layout
from graph.explore.timeline import Row, Timeline

# Category -> (shape, fill colour, font colour, dashed border). Few shapes, each meaning a family:
# documents are boxes (their kind written under the title, so colour is never the only cue; a plan
# not yet adopted dashed), parts squares, goals stars, initiatives dots, target groups triangles,
# themes triangles pointing down, organisations diamonds, process steps hexagons. Shapes other than
# boxes carry their label beside (below) them, where it stays readable at any size.
CATEGORY_STYLES: dict[str, tuple[str, str, str, bool]] = {
    "policy": ("box", "#1f4e79", "#ffffff", False),
    "strategy": ("box", "#5b2a86", "#ffffff", False),
    "actionplan": ("box", "#00695c", "#ffffff", False),
    "plan": ("box", "#e3eefa", "#1b1b1b", True),
    "part": ("square", "#2e7d32", "#1b1b1b", False),
    "goal": ("star", "#b8860b", "#1b1b1b", False),
    "initiative": ("dot", "#c62828", "#1b1b1b", False),
    "targetgroup": ("triangle", "#6a1b9a", "#1b1b1b", False),
    "theme": ("triangleDown", "#d35400", "#1b1b1b", False),
    "organisation": ("diamond", "#455a64", "#1b1b1b", False),
    "process": ("hexagon", "#6d4c41", "#1b1b1b", False),
    "other": ("dot", "#9e9e9e", "#1b1b1b", False),
}
DOCUMENT_CATEGORIES = ("policy", "strategy", "actionplan", "plan")
# The layout's columns, left to right: plans, then what they contain, then whom they serve, then who
# answers for them; each plan's nodes a block of rows (graph/explore/network_layout.py). Computed here,
# not by vis-network, so the page, the PNG, the offline file and the SVG draw the same picture.
NET_COLUMN_WIDTH = 380      # canvas units between two columns: a label wrapped at 260 fits with room
NET_ROW_HEIGHT = 110        # canvas units between two rows: a shape and a label of up to three lines
LEVELS = {"policy": 0, "strategy": 0, "actionplan": 1, "plan": 1, "part": 2, "goal": 3, "initiative": 4,
          "targetgroup": 5, "theme": 5, "organisation": 6, "process": 6, "other": 6}
BORDER = "#1b1b1b"
FINDING_BORDERS = {"overlap": "#ff6f00", "gap": "#b10e1e"}
SYNERGY_COLOUR = "#2e7d32"
WORKSHOP_COLOUR = "#0057b7"   # links only a workshop decision states: their own colour, dotted, and said in words
WORKSHOP_DASHES = [3, 5]
WORKSHOP_MARK = "◆"
# A finding or a workshop's link between two nodes the documents also link bends its own way, so the
# lines and their labels do not lie on top of each other.
APART = {"finding": {"enabled": True, "type": "curvedCW", "roundness": 0.25},
         "workshop": {"enabled": True, "type": "curvedCCW", "roundness": 0.25}}
BIG_NETWORK = 300       # nodes beyond which the drawing trades beauty for speed
EDGE_LABELS_UP_TO = 60  # more edges than this: relations in tooltips and the table, not on the lines
LABEL_CHARS = 60        # a label longer than this is cut at a word, "…"; the full label in tooltip and panel
FONT_SIZE = 16          # canvas units; network.js zooms so it is never drawn smaller than READABLE_PX
# The smallest label, in CSS pixels, the first view may show: network.js zooms in (from the plans'
# corner) when fitting everything would draw labels smaller. One pixel per 100 of window width, at
# least 14 px: 14 on a 1280 px laptop, 19 on a 1920 px projector.
READABLE_PX = {"minimum": 14, "per_window_px": 0.01}

# Timeline SVG geometry (user units; the SVG scales to the page width).
LABEL_WIDTH = 420
YEAR_WIDTH = 70
ROW_HEIGHT = 34
TOP = 36


# ------------------------------------------------------------------------------ the network
def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """A label that fits beside its node: cut at the last space before `limit` and marked "…"."""
    if len(label) <= limit:
        return label
    cut = label[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:-–") + "…"


def vis_node(node: Node, words: dict[str, str], focus: str | None) -> dict[str, Any]:
    """A node as vis-network draws it; tags of findings in the label, so not only colour says them.
    The title is plain text: vis-network renders a string title as text, never as HTML."""
    shape, colour, font, dashed = CATEGORY_STYLES[node.category]
    tags = node.findings
    kind = words.get(node.category, node.category)
    label = short_label(node.label) + "".join(f" [{words[t]}]" for t in tags)
    if node.category in DOCUMENT_CATEGORIES:
        label += f"\n({kind})"
    drawn: dict[str, Any] = {
        "id": node.id, "label": label, "level": LEVELS[node.category], "plan": node.plan,
        "shape": shape, "font": {"color": font, "strokeWidth": 0 if shape == "box" else 3},  # no halo in a box
        "color": {"background": colour, "border": BORDER},
        "title": "\n".join([node.label, kind, node.short] + [words[t] for t in tags]),
        "category": node.category, "kind": kind, "findings": tags, "findingWords": [words[t] for t in tags],
        "fullLabel": node.label, "short": node.short}
    if dashed or "gap" in tags:
        drawn["shapeProperties"] = {"borderDashes": [6, 4]}
    if tags:
        drawn["borderWidth"] = 5
        drawn["color"]["border"] = FINDING_BORDERS["overlap" if "overlap" in tags else "gap"]
    if node.id == focus:
        drawn["borderWidth"] = 6
        drawn["focus"] = True  # network.js first shows the focus's block
    return drawn


def _kinds_text(summary: LinkSummary, words: dict[str, str]) -> str:
    """The relations of a summarised edge in words: "replaces; has synergy with (×2)"."""
    text = "; ".join(kind + (f" (×{n})" if n > 1 else "") for kind, n in summary.kinds if kind)
    if summary.finding:
        text = f"{words['synergy']} ({summary.strength})"
    return text


def vis_edges(view: NetworkView, words: dict[str, str], every_link: bool = False) -> list[dict[str, Any]]:
    """Links as vis-network draws them: one line per pair of nodes with the number of links and their
    kinds (`every_link`: one line per link); stated relations as arrows, synergies as green dashes,
    links only a workshop decided as blue dots marked ◆ (the tooltip says "from a workshop")."""
    names = {node.id: node.label for node in view.nodes}
    links = view.links
    summaries = ([LinkSummary(k.source, k.target, [(k.label, 1)], 1, finding=k.finding, strength=k.strength,
                              workshop=k.workshop) for k in links] if every_link else summarise_links(links))
    labelled = len(summaries) <= EDGE_LABELS_UP_TO
    edges = []
    for summary in summaries:
        text = _kinds_text(summary, words)
        short = text if summary.count == 1 else f"{summary.count} {words['links']}"
        edge: dict[str, Any] = {"from": summary.source, "to": summary.target, "label": short if labelled else "",
                                "text": text, "count": summary.count,
                                "title": f"{names[summary.source]} — {text} — {names[summary.target]}",
                                "width": min(1 + summary.count, 6)}
        if summary.both_ways:
            edge["arrows"] = "to, from"
        if summary.finding:
            edge.update({"arrows": "", "dashes": [10, 6], "width": 3, "color": {"color": SYNERGY_COLOUR},
                         "finding": summary.finding, "smooth": APART["finding"]})
        if summary.workshop:
            edge.update({"label": f"{WORKSHOP_MARK} {edge['label']}" if labelled else WORKSHOP_MARK,
                         "dashes": WORKSHOP_DASHES, "width": 2,
                         "color": {"color": WORKSHOP_COLOUR, "highlight": WORKSHOP_COLOUR},
                         "title": f"{edge['title']} ({words['workshop']})", "workshop": True,
                         "smooth": APART["workshop"]})
        edges.append(edge)
    return edges


def placed(nodes: list[Node]) -> dict[str, tuple[float, float]]:
    """Each node's canvas position: columns by LEVELS, a block of rows per plan (network_layout)."""
    places = clustered_layout([LayoutNode(n.id, LEVELS[n.category], n.plan, n.label) for n in nodes])
    return {node: (place.column * NET_COLUMN_WIDTH, place.row * NET_ROW_HEIGHT) for node, place in places.items()}


def vis_options(big: bool) -> dict[str, Any]:
    """vis-network options: the nodes' positions are given (`placed`: levels as columns, plans as
    blocks), so no layout of vis-network's own and no physics: the same picture every time; keyboard
    navigation and navigation buttons; fonts for projectors."""
    return {
        "configure": {"enabled": False},
        "layout": {"randomSeed": 1, "improvedLayout": False, "hierarchical": {"enabled": False}},
        "physics": {"enabled": False},
        "edges": {"smooth": False if big else {"enabled": True, "type": "cubicBezier",
                                               "forceDirection": "horizontal", "roundness": 0.4},
                  "font": {"size": 15, "align": "horizontal", "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "color": {"color": "#6b6b6b", "highlight": "#000000"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
        "nodes": {"font": {"size": FONT_SIZE, "face": "system-ui, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "borderWidth": 2, "size": 14, "margin": 8,
                  "widthConstraint": {"maximum": 260}},
        "interaction": {"hover": True, "keyboard": {"enabled": True, "bindToWindow": False},
                        "navigationButtons": True, "tooltipDelay": 150, "hideEdgesOnDrag": big},
    }


def network_drawing(view: NetworkView, words: dict[str, str], focus: str | None,
                    every_link: bool = False) -> dict[str, Any]:
    """The network view as the page's script and the .json twin take it."""
    data = asdict(view)
    del data["links"]
    positions = placed(view.nodes)
    data.update(nodes=[vis_node(node, words, focus) | dict(zip(("x", "y"), positions[node.id]))
                       for node in view.nodes],
                edges=vis_edges(view, words, every_link), every_link=every_link,
                options=vis_options(len(view.nodes) > BIG_NETWORK), readable=READABLE_PX)
    return data


# ------------------------------------------------------------------------------ the timeline
def timeline_drawing(timeline: Timeline) -> dict[str, Any]:
    """The timeline with every bar and step marker placed on a year axis (SVG user units)."""
    first, last = timeline.first, timeline.last

    def x(year: float) -> float:
        return LABEL_WIDTH + (year - first) * YEAR_WIDTH

    rows = [_placed(row, TOP + i * ROW_HEIGHT, x, last) for i, row in enumerate(timeline.rows)]
    return {"rows": rows, "first": first, "last": last, "years": [(y, x(y)) for y in range(first, last + 2)],
            "width": x(last + 1) + 20, "height": TOP + len(rows) * ROW_HEIGHT + 10,
            "undated": [_unplaced(row) for row in timeline.undated], "label_x": LABEL_WIDTH - 8}


def _unplaced(row: Row) -> dict[str, Any]:
    return {**asdict(row), "y": 0.0, "x1": 0.0, "x2": 0.0, "steps": [{**asdict(s), "x": 0.0} for s in row.steps]}


def _placed(row: Row, y: float, x: Callable[[float], float], last: int) -> dict[str, Any]:
    """A bar from the start year to the end of the end year (an open period to the axis's end)."""
    drawn = {**_unplaced(row), "y": y}
    if row.start is not None:
        drawn["x1"] = x(row.start)
        drawn["x2"] = x((row.end if row.end is not None else last) + 1)
    for step in drawn["steps"]:
        date = step["date"]
        if date:
            month = int(date[5:7]) if len(date) >= 7 else 7
            day = int(date[8:10]) if len(date) >= 10 else 1
            step["x"] = x(int(date[:4]) + (month - 1) / 12 + (day - 1) / 365)
    return drawn
