"""A text that exists only in the other of Danish and English is shown marked so ("(in Danish)", "(på
engelsk)") with its own `lang` for screen readers (web/templates/resource_language.html); where a text
exists in the reader's language, that one is shown. On resource pages, the plan page and the timeline."""
from __future__ import annotations

import re

import pytest

from web import create_app

LGBTI = "/id/doc/koebenhavn/lgbti-politik-2019-23"            # its note exists in English only
CORE_AREA = "/id/doc/silkeborg/integrationsstrategi-2016-18/kerneomraade-2"  # description in both
PLAN = "/id/doc/koebenhavn/integrationshandleplan-2019-22"
NOTE = "source/001 names this policy only as an existing measure"

SMALL = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix doc: <https://w3id.org/policygraph/id/doc/> .
doc:plan a pg:Policy ; dct:title "Planen"@da , "The plan"@en ; pg:hasFocusArea doc:plan-area .
doc:plan-area a pg:FocusArea ; skos:prefLabel "Området"@da .
"""


def _page(client, path: str, lang: str) -> str:
    reply = client.get(path, query_string={"lang": lang})
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def _flat(html: str) -> str:
    return " ".join(html.split())


def test_a_note_only_in_english_is_marked_on_the_danish_page_and_not_on_the_english(example_client):
    da = _flat(_page(example_client, LGBTI, "da"))
    found = re.search(r'<li lang="en">\s*<span class="res-literal">([^<]*)</span>\s*<span class="lang-mark" lang="da">([^<]*)</span>', da)
    assert found and found.group(1).startswith(NOTE) and found.group(2) == "(på engelsk)"
    en = _flat(_page(example_client, LGBTI, "en"))
    assert NOTE in en and "(in English)" not in en and '<li lang="en">' not in en
    # its title exists in both: each page's table shows its own language's, unmarked
    assert "City of Copenhagen LGBTI+ Policy 2019-23" in en.split('id="res-properties"')[1]
    assert "Københavns Kommunes LGBTI+ politik 2019-23</span>" not in en.split('id="res-properties"')[1]


def test_where_a_text_exists_in_the_readers_language_only_that_one_is_shown(example_client):
    # the properties table (the sources quote the Danish document as it is, marked as Danish on an English page)
    da, en = (_page(example_client, CORE_AREA, lang).split('id="res-properties"')[1] for lang in ("da", "en"))
    assert "En aktiv og selvforsørgende medborger" in da and "An active and self-supporting citizen" not in da
    assert "An active and self-supporting citizen" in en
    assert '<span class="res-literal">En aktiv og selvforsørgende medborger</span>' not in en
    assert "(på engelsk)" not in da


def test_a_plans_part_named_only_in_danish_is_marked_on_the_english_plan_page(store_from_turtle):
    client = create_app({"STORE": store_from_turtle(SMALL), "TESTING": True}).test_client()
    en = _flat(_page(client, "/id/doc/plan", "en"))
    assert re.search(r'<a href="/id/doc/plan-area" lang="da">Området</a> <span class="lang-mark" lang="en">\(in Danish\)</span>', en)
    assert "<h1>The plan</h1>" in en
    da = _flat(_page(client, "/id/doc/plan", "da"))
    assert '<a href="/id/doc/plan-area">Området</a>' in da and "lang-mark" not in da
    area = _flat(_page(client, "/id/doc/plan-area", "en"))  # its own page: the heading and the breadcrumb
    assert '<h1><span lang="da">Området</span> <span class="lang-mark" lang="en">(in Danish)</span></h1>' in area


def test_the_plan_tables_sizes_as_the_document_words_them_are_marked_danish_in_english(example_client):
    en = _flat(_page(example_client, PLAN, "en"))
    assert '<span lang="da">Min. 350 jobparate med løbende optag</span> <span class="lang-mark" lang="en">(in Danish)</span>' in en
    da = _flat(_page(example_client, PLAN, "da"))
    assert "Min. 350 jobparate med løbende optag" in da and "lang-mark" not in da


@pytest.mark.parametrize("lang", ["da", "en"])
def test_timeline_steps_stated_in_danish_are_marked_in_english_only(example_client, lang):
    page = _flat(_page(example_client, "/timeline", lang))
    step = re.search(r'<li><span lang="da">hvert år</span> <span class="lang-mark" lang="en">\(in Danish\)</span>', page)
    if lang == "en":
        assert step and page.count("lang-mark") >= 3
    else:
        assert not step and "<li><span>hvert år</span>:" in page and "lang-mark" not in page
