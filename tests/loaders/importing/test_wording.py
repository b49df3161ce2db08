"""Places and reasons in the document's language, read back in the reader's (loaders/importing/wording.py)."""
from __future__ import annotations

import pytest

from loaders.importing.reading import Place
from loaders.importing.wording import Reason, document_language, read_reason, shown_reason
from ontology.texts import all_texts

KEYS = sorted(k.removeprefix("importing.why.") for k in all_texts() if k.startswith("importing.why."))


def test_a_danish_plan_is_danish_and_an_english_one_english():
    assert document_language(["Integrationshandleplan 2017-2018", "Konkrete indsatser, der understøtter målene"]) == "da"
    assert document_language(["Integration action plan", "Concrete initiatives that support the goals of the policy"]) == "en"
    assert document_language(["2019 2020"]) == "da"


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_reason_reads_back_from_its_words_in_either_language(key, lang):
    values = {name: "Job (1) 'x'" for name in ("word", "number", "label", "term")}
    template_values = {k: v for k, v in values.items() if "{" + k + "}" in all_texts()[f"importing.why.{key}"][lang]}
    reason = Reason(key, template_values)
    assert read_reason(reason.text(lang)) == reason
    assert shown_reason(reason.text(lang), "en" if lang == "da" else "da") == reason.text("en" if lang == "da" else "da")


def test_words_no_key_writes_are_shown_as_they_stand():
    assert read_reason("checked by hand") is None and shown_reason("checked by hand", "da") == "checked by hand"


def test_a_place_in_danish_and_english_and_back_from_its_plain_values():
    place = Place(page=2, table=1, row=3, column=4, heading_path=("Bilag 1",))
    assert place.describe("da") == "side 2, tabel 1, række 3, kolonne 4, under 'Bilag 1'"
    assert place.describe("en") == "page 2, table 1, row 3, column 4, under 'Bilag 1'"
    assert Place.from_json(place.as_json()) == place
    assert Place(sheet="Tabel 1", cell="B9").describe("da") == "ark 'Tabel 1', celle B9"
