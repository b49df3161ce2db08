"""bench/search.py on a tiny synthetic graph: it loads, builds the index, searches and prints its
figures line (nothing here is timed; the real figures are in bench/README.md)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import search as bench_search  # noqa: E402


def test_the_search_bench_prints_its_figures(tmp_path, capsys):
    assert bench_search.main(["--municipalities", "2", "--scale", "1", "--repeat", "1", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("search, 2 municipalities: index built in ")
    assert "median" in out and "p95" in out and "<= 100 ms" in out
    assert "'integration': 0 hits" not in out        # the synthetic plans' texts were indexed
    assert not list(tmp_path.glob("policygraph-search-*"))   # its store and index are cleaned up
