"""Names matched to the known ids, new ones proposed (loaders/importing/matching.py)."""
from __future__ import annotations

from pathlib import Path

from loaders.importing.matching import Catalogue, normalise, slug

DATA = Path(__file__).resolve().parents[3] / "data"
CATALOGUE = Catalogue.from_folder(DATA)


def test_the_data_folder_is_read_by_kind():
    kinds = {k.kind for k in CATALOGUE.known}
    assert kinds == {"org", "tg", "theme", "bearing"}
    assert Catalogue.from_folder(None).known == [] and Catalogue.from_folder(Path("/nonexistent")).known == []


def test_exact_and_near_labels_match_known_ids():
    assert CATALOGUE.best("Jobparate ledige", "tg").id == "tg/jobparate-ledige"
    assert CATALOGUE.best("jobparate  ledige.", "tg").score == 100
    assert CATALOGUE.best("Jobparat ledige", "tg").id == "tg/jobparate-ledige"  # a letter off
    assert CATALOGUE.best("Job", "bearing").id == "doc/koebenhavn/integrationspolitik-2019-22/pejlemaerke-1-job"
    assert CATALOGUE.best("Cykelstier", "tg") is None


def test_names_in_running_text_and_short_names():
    found = {m.id for m in CATALOGUE.named_in("BIU's pulje reserveret til at iværksætte nye indsatser", "org")}
    assert found == {"org/koebenhavn/biu"}
    assert {m.id for m in CATALOGUE.named_in("Forebyggelse af social kontrol blandt unge", "theme")} == {
        "theme/social-kontrol"}
    assert CATALOGUE.named_in("biu", "org") == []  # a short name counts only as written (upper case)
    assert {m.id for m in CATALOGUE.named_in("BIU", "org", "org/silkeborg/")} == set()


def test_an_unknown_target_group_is_proposed_as_new():
    match = CATALOGUE.target_group("Seniorer med anden etnisk baggrund")
    assert (match.id, match.new, match.score) == ("tg/seniorer-med-anden-etnisk-baggrund", True, 0.0)
    assert CATALOGUE.target_group("Udsatte ledige").new is False


def test_normalise_and_slug():
    assert normalise("*¹Kvinder og familie-forsørgede.") == "kvinder og familieforsørgede"
    assert normalise("1.1 Tidlig og styrket") == "tidlig og styrket"
    assert slug("Håndholdt og kontinuerlig virksomhedsindsats", 30) == "haandholdt-og-kontinuerlig"
