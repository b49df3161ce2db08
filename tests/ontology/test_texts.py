"""ontology/texts: the one place of the texts people read, in Danish and English, for the web pages,
the report and the command line."""
from __future__ import annotations

import re
from pathlib import Path

from ontology.texts import LANGUAGES, all_texts, translate

ROOT = Path(__file__).resolve().parents[2]


def test_every_text_is_in_danish_and_english():
    missing = [key for key, entry in all_texts().items() if set(entry) != set(LANGUAGES) or not all(entry.values())]
    assert not missing, missing


def test_a_known_key_is_translated_and_an_unknown_one_shown_as_is():
    assert translate("report.title", "da") == "Sammenhængsrapport"
    assert translate("report.title", "en") == "Coherence report"
    assert translate("relation.pg:implements", "da") == "gennemfører"
    assert translate("no.such.key", "da") == "no.such.key"


def test_no_module_keeps_texts_of_its_own():
    """A Danish-English pair written into code (`{"da": ..., "en": ...}`) is a second store of texts."""
    pair = re.compile(r"""["']da["']\s*:\s*["'][^"']+["']\s*,\s*["']en["']\s*:|["']en["']\s*:\s*["'][^"']+["']\s*,\s*["']da["']\s*:""")
    found = [f"{path.relative_to(ROOT)}:{n}" for folder in ("graph", "web", "loaders")
             for path in (ROOT / folder).rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pair.search(line)]
    assert not found, found
