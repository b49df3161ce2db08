"""`policygraph search`: the web app's hits on the command line, after a load that built the index;
mistakes as one line with a non-zero exit."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import main

DATA = Path(__file__).resolve().parents[3] / "data"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("search-cli")
    loaded = CliRunner().invoke(main, ["--store", str(folder / "store"), "load", "--no-validate", str(DATA)])
    assert loaded.exit_code == 0, loaded.output
    assert (folder / "search.sqlite").is_file()          # the load built the index beside the store
    return str(folder / "store")


def run(store: str, *args: str):
    return CliRunner().invoke(main, ["--store", store, *args])


def test_search_prints_the_hit_with_its_place_and_marked_passage(store):
    result = run(store, "--lang", "da", "search", "Sikker", "By")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 resultat(er) for »Sikker By«")
    assert "1. Fritidsjob  [indsats]" in result.output and "Københavns Kommune" in result.output
    assert "[Sikker] [By]" in result.output
    assert "doc/koebenhavn/integrationshandleplan-2019-22/fritidsjob" in result.output


def test_filters_and_limit_narrow_the_hits(store):
    everything = json.loads(run(store, "search", "diskrimination", "--format", "json").output)
    initiatives = json.loads(run(store, "search", "diskrimination", "--type", "pg:Initiative",
                                 "--municipality", "org/koebenhavn", "--limit", "1", "--format", "json").output)
    assert initiatives["total"] < everything["total"] and len(initiatives["hits"]) == 1
    assert initiatives["hits"][0]["type"].endswith("#Initiative")


def test_a_hostile_query_is_searched_for_not_obeyed(store):
    result = run(store, "search", '" OR * NEAR(')
    assert result.exit_code == 0 and result.output.startswith("0 result(s)")


@pytest.mark.parametrize("args", [["search", "x", "--limit", "0"], ["search", "--", "***"]])
def test_mistakes_end_with_one_line_and_a_non_zero_exit(store, args):
    result = run(store, *args)
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("error: ")
