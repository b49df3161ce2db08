"""How web/drawing.py draws the network: short labels with the full one kept, one line per pair of
nodes with the links' count and kinds (or every link when asked), and a layout by level."""
from __future__ import annotations

from graph.explore.network import Link, NetworkView, Node
from web.drawing import EDGE_LABELS_UP_TO, LABEL_CHARS, LEVELS, network_drawing, short_label

WORDS = {"overlap": "overlap", "synergy": "synergy", "gap": "gap", "links": "links", "workshop": "from a workshop",
         "policy": "policy", "initiative": "initiative", "targetgroup": "target group"}
LONG = "Styrket indsats for nyankomne flygtninges og familiesammenførtes vej til beskæftigelse og uddannelse"


def _view(links: list[Link], nodes: list[Node] | None = None) -> NetworkView:
    nodes = nodes or [Node("a", "Plan A", "policy", [], "ex:a"), Node("b", LONG, "initiative", ["overlap"], "ex:b"),
                      Node("c", "Refugees", "targetgroup", [], "ex:c")]
    return NetworkView(nodes=nodes, links=links, total_nodes=len(nodes), total_edges=len(links), cut_nodes=0,
                       cut_edges=0, cut_by_category={}, findings={}, findings_error="", categories=[])


def test_a_long_label_is_cut_at_a_word_and_kept_whole_in_tooltip_and_panel_data():
    assert short_label("Kort navn") == "Kort navn"
    cut = short_label(LONG)
    assert len(cut) <= LABEL_CHARS and cut.endswith("…") and LONG.startswith(cut[:-1]) and cut[-2] != " "
    node = next(n for n in network_drawing(_view([]), WORDS, None)["nodes"] if n["id"] == "b")
    assert node["label"] == cut + " [overlap]"  # the finding's tag is never cut off
    assert node["fullLabel"] == LONG and node["title"].startswith(LONG + "\ninitiative")


def test_documents_write_their_kind_and_levels_put_plans_before_initiatives_before_groups():
    nodes = {n["id"]: n for n in network_drawing(_view([]), WORDS, None)["nodes"]}
    assert nodes["a"]["label"] == "Plan A\n(policy)" and nodes["a"]["shape"] == "box"
    assert nodes["a"]["level"] < nodes["b"]["level"] < nodes["c"]["level"]
    assert LEVELS["actionplan"] < LEVELS["part"] < LEVELS["goal"] < LEVELS["initiative"] < LEVELS["organisation"]


def test_links_between_the_same_two_nodes_are_one_line_with_their_count_and_kinds():
    links = [Link("a", "b", "has initiative"), Link("b", "a", "implements"), Link("a", "b", "has initiative"),
             Link("b", "c", "serves")]
    edges = network_drawing(_view(links), WORDS, None)["edges"]
    assert len(edges) == 2
    pair = edges[0]
    assert (pair["from"], pair["to"], pair["count"], pair["label"]) == ("a", "b", 3, "3 links")
    assert pair["text"] == "has initiative (×2); implements" and "has initiative (×2); implements" in pair["title"]
    assert pair["arrows"] == "to, from" and pair["width"] > edges[1]["width"]
    assert edges[1]["label"] == "serves" and "arrows" not in edges[1]


def test_every_link_draws_one_line_per_link_and_findings_and_workshops_stay_apart():
    links = [Link("a", "b", "has initiative"), Link("a", "b", "has initiative", workshop=True),
             Link("a", "b", "", "synergy", "0.8")]
    summarised = network_drawing(_view(links), WORDS, None)["edges"]
    assert len(summarised) == 3 and [e.get("workshop", False) for e in summarised] == [False, True, False]
    assert summarised[2]["finding"] == "synergy" and summarised[2]["label"] == "synergy (0.8)"
    every = network_drawing(_view(links * 2), WORDS, None, every_link=True)
    assert len(every["edges"]) == 6 and every["every_link"]


def test_many_links_keep_their_words_in_tooltips_not_on_the_lines():
    nodes = [Node(str(i), f"N{i}", "initiative", [], f"ex:{i}") for i in range(EDGE_LABELS_UP_TO + 2)]
    links = [Link(str(i), str(i + 1), "relates to") for i in range(EDGE_LABELS_UP_TO + 1)]
    edges = network_drawing(_view(links, nodes), WORDS, None)["edges"]
    assert all(e["label"] == "" and "relates to" in e["title"] for e in edges)
    few = network_drawing(_view(links[:3], nodes), WORDS, None)["edges"]
    assert all(e["label"] == "relates to" for e in few)
