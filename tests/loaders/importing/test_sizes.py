"""Target-group sizes as stated (loaders/importing/sizes.py)."""
from __future__ import annotations

import pytest

from loaders.importing.sizes import parse_size


@pytest.mark.parametrize("text, size, qualifier, who", [
    ("Min. 350 jobparate med løbende optag", 350, "AtLeast", "jobparate med løbende optag"),
    ("Min. 135 udsatte med løbende optag", 135, "AtLeast", "udsatte med løbende optag"),
    ("1.500 borgere", 1500, "Exactly", "borgere"),
    ("110 unge i fritidsjob såfremt halvdelen får job i det offentlige.", 110, "Exactly",
     "unge i fritidsjob såfremt halvdelen får job i det offentlige."),
    ("mindst 30 virksomheder", 30, "AtLeast", "virksomheder"),
    ("højst 50 familier", 50, None, "familier"),
])
def test_sizes(text, size, qualifier, who):
    stated = parse_size(text)
    assert (stated.size, stated.qualifier, stated.who, stated.as_stated) == (size, qualifier, who, text.strip())


@pytest.mark.parametrize("text", ["3.300", "2019", "borgere", "", "Min. virksomheder"])
def test_a_figure_without_whom_or_words_without_a_figure_state_no_size(text):
    assert parse_size(text) is None


def test_approximate_sizes_are_marked():
    assert parse_size("ca. 200 unge").approximate and not parse_size("200 unge").approximate
