"""Which files a load reads and the graph each goes into: awkward names load, symbolic link loops are refused."""
from __future__ import annotations

import pytest

from loaders import LoadError, graph_iri_for, load_file, load_paths

NT = "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n"


def test_graph_iri_percent_encodes_spaces_and_danish_letters(tmp_path):
    path = tmp_path / "Integrationshandleplan 2019–22 æøå.nt"
    path.write_text(NT, encoding="utf-8")
    loaded = load_file(path)
    assert loaded.graph == graph_iri_for(path)
    assert loaded.graph.endswith("/graph/Integrationshandleplan%202019%E2%80%9322%20%C3%A6%C3%B8%C3%A5.nt")


def test_a_link_back_up_the_folder_is_refused_by_name(tmp_path):
    (tmp_path / "plans" / "sub").mkdir(parents=True)
    (tmp_path / "plans" / "sub" / "a.nt").write_text(NT)
    (tmp_path / "plans" / "sub" / "up").symlink_to(tmp_path / "plans")
    with pytest.raises(LoadError) as caught:
        load_paths([tmp_path / "plans"])
    assert str(caught.value).startswith(f"{tmp_path / 'plans' / 'sub' / 'up'}: symbolic link loop")


def test_a_link_to_itself_is_refused_by_name(tmp_path):
    (tmp_path / "a.nt").write_text(NT)
    (tmp_path / "self.nt").symlink_to(tmp_path / "self.nt")
    with pytest.raises(LoadError, match="self.nt: symbolic link loop"):
        load_paths([tmp_path])


def test_a_linked_folder_that_is_no_loop_is_walked(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.nt").write_text(NT)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "linked").symlink_to(tmp_path / "real")
    assert [f.graph.rsplit("/graph/", 1)[1] for f in load_paths([tmp_path / "plans"])] == ["linked/a.nt"]
