"""The coherence report over the example graph: self-contained, in both languages, with sources."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.pipeline.load import load_into_store
from graph.questions.report import build_report
from web.report import render_html, render_markdown
from graph.store import OxigraphStore

DATA = Path(__file__).resolve().parents[3] / "data"


@pytest.fixture
def store(example_store):
    return example_store


@pytest.mark.parametrize("lang, heading", [("da", "Sammenhængsrapport"), ("en", "Coherence report")])
def test_report_is_one_offline_file_in_the_chosen_language(store, lang, heading):
    html = render_html(build_report(store, lang))
    assert f'<html lang="{lang}">' in html and heading in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "the report must not load anything from the network"


def test_report_findings_carry_their_source_passages(store):
    report = build_report(store, "da")
    continuity = {s.query.id: s for s in report.sections["continuity"]}
    chains = continuity["continuity-chains"]
    assert chains.total > 0
    joined = " ".join(" ".join(src) for src in chains.sources)
    assert "«" in joined  # quotes from the source documents


def test_report_names_the_coordination_of_the_racism_plan_as_a_synergy(store):
    """Seed 001: 'Handleplanen koordineres med ... LGBTI+ politik 2019-23 og Restaurations- og Nattelivsplan 2021'."""
    report = build_report(store, "da")
    text = " ".join(" ".join(r) for s in report.sections["synergy"] for r in s.rows)
    assert "LGBTI+" in text and "Nattelivsplan" in text


def test_markdown_has_a_table_per_finding_with_sources(store):
    markdown = render_markdown(build_report(store, "en"))
    assert markdown.startswith("# Coherence report")
    assert "## Gaps" in markdown and "| Source |" in markdown


def test_report_escapes_text_from_the_data(tmp_path):
    (tmp_path / "x.yaml").write_text(
        "id: doc/x/plan\ntype: ActionPlan\ntitle: {da: '<script>alert(1)</script>'}\nvalidUntil: 2020\n", encoding="utf-8")
    store = OxigraphStore()
    load_into_store(store, [tmp_path], validate=False)
    html = render_html(build_report(store, "da"))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_markdown_report_escapes_html_and_table_syntax_from_the_data(tmp_path):
    """Markdown renderers pass raw HTML through: a label `<script>` must arrive escaped, and a `|` in a
    cell must not split the table."""
    (tmp_path / "x.yaml").write_text(
        "id: doc/x/plan\ntype: ActionPlan\ntitle: {da: '<script>alert(1)</script> a|b [x](javascript:y)'}\n"
        "validUntil: 2020\n", encoding="utf-8")
    store = OxigraphStore()
    load_into_store(store, [tmp_path], validate=False)
    markdown = render_markdown(build_report(store, "da"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a\\|b \\[x\\](javascript:y)" in markdown
    assert "<script>" not in markdown and "a|b" not in markdown
    rows = [line for line in markdown.splitlines() if "alert(1)" in line and line.startswith("|")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"(?<!\\)\|", rows[0])) for row in rows)
