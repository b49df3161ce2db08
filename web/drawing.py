"""How the pages draw what graph/explore hands them as plain data: the one place that knows the
shapes and colours of node classes, the vis-network options of the network view, and the geometry
of the server-drawn timeline SVG. graph/ says what is there; this module says how it looks.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Callable

from graph.explore.network import NetworkView, Node
from graph.explore.timeline import Row, Timeline

# Category -> (shape, fill colour, font colour, dashed border). Every category has its own shape
# (or, for the two box kinds, a dashed border), so colour is never the only cue.
CATEGORY_STYLES: dict[str, tuple[str, str, str, bool]] = {
    "policy": ("box", "#1f4e79", "#ffffff", False),
    "strategy": ("ellipse", "#5b2a86", "#ffffff", False),
    "actionplan": ("database", "#00695c", "#ffffff", False),
    "plan": ("box", "#e3eefa", "#1b1b1b", True),
    "part": ("square", "#2e7d32", "#1b1b1b", False),
    "goal": ("star", "#b8860b", "#1b1b1b", False),
    "initiative": ("dot", "#c62828", "#1b1b1b", False),
    "targetgroup": ("triangle", "#6a1b9a", "#1b1b1b", False),
    "theme": ("triangleDown", "#d35400", "#1b1b1b", False),
    "organisation": ("diamond", "#455a64", "#1b1b1b", False),
    "process": ("hexagon", "#6d4c41", "#1b1b1b", False),
    "other": ("text", "#ffffff", "#1b1b1b", False),
}
BORDER = "#1b1b1b"
FINDING_BORDERS = {"overlap": "#ff6f00", "gap": "#b10e1e"}
SYNERGY_COLOUR = "#2e7d32"
WORKSHOP_COLOUR = "#0057b7"   # links only a workshop decision states: their own colour, dotted, and said in words
WORKSHOP_DASHES = [3, 5]
WORKSHOP_MARK = "◆"
BIG_NETWORK = 300       # nodes beyond which the drawing trades beauty for speed
LABEL_CHARS = 120

# Timeline SVG geometry (user units; the SVG scales to the page width).
LABEL_WIDTH = 420
YEAR_WIDTH = 70
ROW_HEIGHT = 34
TOP = 36


# ------------------------------------------------------------------------------ the network
def vis_node(node: Node, words: dict[str, str], focus: str | None) -> dict[str, Any]:
    """A node as vis-network draws it; tags of findings in the label, so not only colour says them.
    The title is plain text: vis-network renders a string title as text, never as HTML."""
    shape, colour, font, dashed = CATEGORY_STYLES[node.category]
    tags = node.findings
    drawn: dict[str, Any] = {
        "id": node.id, "label": (node.label + "".join(f" [{words[t]}]" for t in tags))[:LABEL_CHARS],
        "shape": shape, "font": {"color": font}, "color": {"background": colour, "border": BORDER},
        "title": "\n".join([node.label, words.get(node.category, node.category), node.short] + [words[t] for t in tags]),
        "category": node.category, "findings": tags, "fullLabel": node.label}
    if dashed or "gap" in tags:
        drawn["shapeProperties"] = {"borderDashes": [6, 4]}
    if tags:
        drawn["borderWidth"] = 5
        drawn["color"]["border"] = FINDING_BORDERS["overlap" if "overlap" in tags else "gap"]
    if node.id == focus:
        drawn["borderWidth"] = 6
    return drawn


def vis_edges(view: NetworkView, words: dict[str, str]) -> list[dict[str, Any]]:
    """Links as vis-network draws them: stated relations as arrows, synergies as green dashes, links
    only a workshop decided as blue dots marked ◆ (the tooltip says "from a workshop")."""
    names = {node.id: node.label for node in view.nodes}
    edges = []
    for link in view.links:
        text = link.label if not link.finding else f"{words['synergy']} ({link.strength})"
        edge: dict[str, Any] = {"from": link.source, "to": link.target, "label": text,
                                "title": f"{names[link.source]} — {text} — {names[link.target]}"}
        if link.finding:
            edge.update({"arrows": "", "dashes": [10, 6], "width": 3, "color": {"color": SYNERGY_COLOUR},
                         "finding": link.finding})
        if link.workshop:
            edge.update({"label": f"{WORKSHOP_MARK} {text}", "dashes": WORKSHOP_DASHES, "width": 2,
                         "color": {"color": WORKSHOP_COLOUR, "highlight": WORKSHOP_COLOUR},
                         "title": f"{edge['title']} ({words['workshop']})", "workshop": True})
        edges.append(edge)
    return edges


def vis_options(big: bool) -> dict[str, Any]:
    """vis-network options: stabilisation that ends (then physics is switched off in network.js),
    keyboard navigation and navigation buttons, readable fonts for projectors."""
    return {
        "configure": {"enabled": False},
        "physics": {"enabled": True, "minVelocity": 1,
                    "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.3, "springLength": 160,
                                  "springConstant": 0.001, "damping": 0.09, "avoidOverlap": 0.2},
                    "stabilization": {"enabled": True, "iterations": 150 if big else 400, "updateInterval": 25,
                                      "fit": True}},
        "edges": {"smooth": False if big else {"enabled": True, "type": "dynamic"},
                  "font": {"size": 14, "align": "middle", "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "color": {"color": "#555555", "highlight": "#000000"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
        "nodes": {"font": {"size": 18, "face": "system-ui, sans-serif"}, "borderWidth": 2, "size": 16,
                  "widthConstraint": {"maximum": 220}},
        "interaction": {"hover": True, "keyboard": {"enabled": True, "bindToWindow": False},
                        "navigationButtons": True, "tooltipDelay": 150, "hideEdgesOnDrag": big},
    }


def network_drawing(view: NetworkView, words: dict[str, str], focus: str | None) -> dict[str, Any]:
    """The network view as the page's script and the .json twin take it."""
    data = asdict(view)
    del data["links"]
    data.update(nodes=[vis_node(node, words, focus) for node in view.nodes], edges=vis_edges(view, words),
                options=vis_options(len(view.nodes) > BIG_NETWORK))
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
