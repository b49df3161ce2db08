"""Every text a person reads, in Danish and English: the web pages, the coherence report and the
command line take them from here. Kept as data in `ontology/texts/*.yaml` (one file per area) so that
translators review both languages side by side without reading code; here because `ontology` is the
one package every layer may import (web -> graph -> loaders -> ontology)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

TEXTS_DIR = Path(__file__).parent
LANGUAGES = ("da", "en")


@lru_cache(maxsize=1)
def all_texts() -> dict[str, dict[str, str]]:
    """Every text of every area; a key defined twice is a mistake worth failing on."""
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(TEXTS_DIR.glob("*.yaml")):
        for key, entry in (YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}).items():
            if key in texts:
                raise ValueError(f"{path.name}: UI text {key!r} is already defined in another file")
            texts[key] = {lang: str(entry[lang]) for lang in LANGUAGES if lang in entry}
    return texts


def translate(key: str, lang: str) -> str:
    entry = all_texts().get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]


def plural(count: int, key: str, lang: str) -> str:
    """A count with its noun in the right number, `1 kilde`, `2 kilder`: the texts `KEY_one` and
    `KEY_other` (each with `{n}`), so that templates never write `1 kilder` or `1 rows`."""
    return translate(f"{key}_{'one' if count == 1 else 'other'}", lang).format(n=count)
