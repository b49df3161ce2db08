"""Standard RDF files load like plan files: one graph per file, syntax errors with their line."""
from __future__ import annotations

import pytest

from loaders import LoadError, load_file, load_paths

TTL = "@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:a ex:q \"tekst\"@da .\n"
SAMPLES = {
    "f.ttl": TTL,
    "f.nt": "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n",
    "f.nq": "<http://example.org/a> <http://example.org/p> <http://example.org/b> <http://example.org/g> .\n",
    "f.trig": "@prefix ex: <http://example.org/> .\nex:g { ex:a ex:p ex:b . }\n",
    "f.rdf": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a">'
              '<ex:p rdf:resource="http://example.org/b"/></rdf:Description>\n</rdf:RDF>\n'),
    "f.jsonld": '{"@id": "http://example.org/a", "http://example.org/p": {"@id": "http://example.org/b"}}\n',
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_standard_format_loads(tmp_path, name):
    path = tmp_path / name
    path.write_text(SAMPLES[name], encoding="utf-8")
    loaded = load_file(path)
    facts = {(q.subject.value, q.predicate.value, q.object.value) for q in loaded.quads}
    assert ("http://example.org/a", "http://example.org/p", "http://example.org/b") in facts


def test_default_graph_goes_to_the_files_graph_and_named_graphs_stay(tmp_path):
    (tmp_path / "a.trig").write_text("@prefix ex: <http://example.org/> .\nex:g { ex:a ex:p ex:b . }\nex:c ex:p ex:d .\n")
    loaded = load_file(tmp_path / "a.trig")
    graphs = {q.subject.value: q.graph_name.value for q in loaded.quads if q.predicate.value == "http://example.org/p"}
    assert graphs == {"http://example.org/a": "http://example.org/g", "http://example.org/c": loaded.graph}


def test_turtle_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:a ex:p \"open .\n")
    with pytest.raises(LoadError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}:3")
    assert "not valid Turtle" in str(caught.value)


def test_remote_jsonld_context_is_not_fetched(tmp_path):
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://example.org/context.jsonld", "@id": "http://example.org/a", "p": 1}')
    with pytest.raises(LoadError):
        load_file(path)


def test_unknown_suffix_and_missing_files_are_clear_errors(tmp_path):
    (tmp_path / "notes.docx").write_text("x")
    with pytest.raises(LoadError, match="unknown file type '.docx'"):
        load_file(tmp_path / "notes.docx")
    with pytest.raises(LoadError, match="no such file"):
        load_paths([tmp_path / "missing"])


def test_folders_are_walked_and_graphs_named_by_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.ttl").write_text(TTL)
    (tmp_path / "readme.txt").write_text("ignored")
    loaded = load_paths([tmp_path])
    assert [f.graph.rsplit("/graph/", 1)[1] for f in loaded] == ["sub/a.ttl"]
