"""Danish all through (and English all through): every page in the menu and every question's page,
over the example graph in both languages, shows table headings and cells a person can read, never
an identifier: no variable name (`plan1`, `Bodies1`, `predecessorFrom`), no ontology local name
(`validUntil`, `coordinatesWith`, `LegalResource`) and no `prefix:name` curie (`skos:Concept`)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph.questions.library import library
from ontology import all_prefixes

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "policygraph.ttl"
LOCAL_NAMES = set(re.findall(r"\bpg:([A-Za-z][A-Za-z0-9]*)", ONTOLOGY.read_text(encoding="utf-8")))
# camelCase (validUntil) and two-word class names (FocusArea); one-word names (Plan) are also words
IDENTIFIER_NAMES = {n for n in LOCAL_NAMES if re.search(r"[a-z][A-Z]", n)} | {"LegalResource"}
ENGLISH_ONLY = {"Concept"}   # a class's English name is a word in English, a leak in Danish
CURIE = re.compile(r"(?<![\w/])(" + "|".join(sorted(map(re.escape, all_prefixes()), key=len, reverse=True))
                   + r"):[A-Za-z_][\w-]*")
VARIABLES = {c.name for named in library().values() for c in named.columns}
VARIABLE_LIKE = re.compile(r"^(?:[a-z]+[A-Z]\w*|[A-Za-z]+[0-9]+)$")   # predecessorFrom, plan1, Bodies1


class Cells(HTMLParser):
    """The text of every <th> and <td> on a page (headings apart from cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.cells: list[str] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("th", "td"):
            self._open = (tag, [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._open:
            text = " ".join("".join(self._open[1]).split())
            (self.headings if self._open[0] == "th" else self.cells).append(text)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[1].append(data)


def identifiers(text: str, heading: bool, lang: str = "da") -> list[str]:
    """The identifiers in one heading or cell (a cell may list names: `afløser, viderefører`)."""
    names = IDENTIFIER_NAMES | (ENGLISH_ONLY if lang == "da" else set())
    found = [m.group(0) for m in CURIE.finditer(text)]
    found += [token for token in re.split(r"[\s,;]+", text) if token in names]
    if heading and (text in VARIABLES or VARIABLE_LIKE.match(text)):
        found.append(text)
    return found


def problems(html: str, lang: str = "da") -> list[str]:
    page = Cells()
    page.feed(html)
    return ([f"heading {h!r}: {i}" for h in page.headings for i in identifiers(h, True, lang)]
            + [f"cell {c!r}: {i}" for c in page.cells for i in identifiers(c, False, lang)])


def menu_pages(client) -> list[str]:
    nav = client.get("/?lang=da").get_data(as_text=True).split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_the_check_finds_identifiers():
    """The walk below must be able to fail: each kind of identifier the issue saw is caught."""
    html = ("<table><tr><th>document</th><th>Predecessor From</th><th>Plan1</th><th>Bodies1</th><th>År</th></tr>"
            "<tr><td>validUntil</td><td>replaces coordinatesWith</td><td>skos:Concept</td><td>LegalResource</td><td>Concept</td>"
            "<td>Integrationspolitik 2019-22</td></tr></table>")
    found = problems(html)
    assert "heading 'document': document" in found and "heading 'Plan1': Plan1" in found
    assert "heading 'Bodies1': Bodies1" in found and "heading 'År'" not in " ".join(found)
    assert "cell 'validUntil': validUntil" in found and "cell 'replaces coordinatesWith': coordinatesWith" in found
    assert "cell 'skos:Concept': skos:Concept" in found and "cell 'LegalResource': LegalResource" in found
    assert not [p for p in found if "Integrationspolitik" in p]
    assert "cell 'Concept': Concept" in found and "cell 'Concept': Concept" not in problems(html, "en")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_page_in_the_menu_shows_an_identifier(example_client, lang):
    pages = menu_pages(example_client)
    assert len(pages) >= 4
    found = {}
    for path in pages:
        response = example_client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert response.status_code == 200, path
        found[path] = problems(response.get_data(as_text=True), lang)
    assert not {path: p for path, p in found.items() if p}


@pytest.mark.parametrize("qid", sorted(library()))
@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_question_shows_an_identifier(example_client, qid, lang):
    response = example_client.get(f"/questions/{qid}?lang={lang}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not problems(html, lang)
    named = library()[qid]
    if "<tbody>" in html:  # the headings are the metadata's, in the page's language
        assert f'<th scope="col">{named.columns[0].heading[lang]}</th>' in html
