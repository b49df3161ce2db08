"""The front page's figures lead to the lists they count."""
from __future__ import annotations

import re

PG = "https://w3id.org/policygraph/ontology#"


def _figures(page: str) -> dict[str, str]:
    """Each tile's name -> where its number links."""
    tiles = page[page.index('class="stat-tiles"'):page.index("</dl>")]
    return dict(re.findall(r'<dt>([^<]+)</dt><dd><a href="([^"]+)">\d+</a></dd>', tiles))


def test_every_figure_on_the_front_page_links_to_what_it_counts(example_client):
    page = example_client.get("/?lang=en").get_data(as_text=True)
    figures = _figures(page)
    assert set(figures) == {"documents", "municipalities", "statements", "named graphs"}
    assert figures["documents"] == "#documents" and 'id="documents"' in page
    assert figures["named graphs"] == "#graphs" and 'id="graphs"' in page
    municipalities = figures["municipalities"]
    assert municipalities.endswith("#res-incoming")
    listed = example_client.get(municipalities.partition("#")[0] + "&lang=en").get_data(as_text=True)
    assert 'id="res-incoming"' in listed and "Copenhagen" in listed


def test_each_class_count_links_to_the_class_page_listing_its_members(example_client):
    page = example_client.get("/?lang=da").get_data(as_text=True)
    contents = page[page.index('id="contents"'):]
    links = re.findall(r'<td class="num"><a href="([^"]+)#res-incoming">\d+</a></td>', contents)
    assert links and all(link.startswith("/") for link in links)
    initiative = next(link for link in links if "Initiative" in link)
    assert "res-incoming" in example_client.get(initiative).get_data(as_text=True)
