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


XSD_PREFIX = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix ex: <http://example.org/> .\n"
RDF_OPEN = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
RDF_XML_HEAD = '<?xml version="1.0"?>\n' + RDF_OPEN


@pytest.mark.parametrize("name, text, line, literal, expected", [
    ("date.ttl", XSD_PREFIX + 'ex:a ex:d "2021-02-28"^^xsd:date .\nex:a ex:d "2021-13-45"^^xsd:date .\n',
     4, '"2021-13-45"^^xsd:date', "YYYY-MM-DD"),
    ("int.ttl", XSD_PREFIX + 'ex:a ex:n 12, "+7"^^xsd:integer .\nex:a ex:n "abc"^^xsd:integer .\n',
     4, '"abc"^^xsd:integer', "whole number"),
    ("year.ttl", XSD_PREFIX + 'ex:a ex:y "2019"^^xsd:gYear .\nex:a ex:y "19"^^xsd:gYear .\n', 4, '"19"^^xsd:gYear', "four-digit"),
    ("time.ttl", XSD_PREFIX + 'ex:a ex:t "2021-01-01T10:00:00"^^xsd:dateTime .\nex:a ex:t "2021-01-01"^^xsd:dateTime .\n',
     4, '"2021-01-01"^^xsd:dateTime', "date and time"),
    ("num.ttl", XSD_PREFIX + 'ex:a ex:x 1.5e3, 0.9 .\nex:a ex:x "1,5"^^xsd:double .\n', 4, '"1,5"^^xsd:double', "number"),
    ("count.ttl", XSD_PREFIX + 'ex:a ex:x "0"^^xsd:nonNegativeInteger .\nex:a ex:x "-5"^^xsd:nonNegativeInteger .\n',
     4, '"-5"^^xsd:nonNegativeInteger', "0 or more"),
    ("bool.nt", '<http://example.org/a> <http://example.org/b> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
                '<http://example.org/a> <http://example.org/b> "yes"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n',
     2, '"yes"^^xsd:boolean', "true or false"),
    ("dec.rdf", RDF_XML_HEAD + '<rdf:Description rdf:about="http://example.org/a">\n'
                '<ex:v rdf:datatype="http://www.w3.org/2001/XMLSchema#decimal">3,5</ex:v>\n</rdf:Description>\n</rdf:RDF>\n',
     4, '"3,5"^^xsd:decimal', "'.' as decimal point"),
    ("date.jsonld", '{"@id": "http://example.org/a",\n "http://example.org/d": '
                    '{"@value": "2019-02-30", "@type": "http://www.w3.org/2001/XMLSchema#date"}}\n',
     2, '"2019-02-30"^^xsd:date', "YYYY-MM-DD"),
])
def test_ill_typed_literals_are_refused_at_their_line(tmp_path, name, text, line, literal, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: {literal} is not valid")
    assert expected in message


def test_rdf_xml_entity_bomb_is_refused_before_it_expands(tmp_path, load_bounded):
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    path = tmp_path / "laughs.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY ex "http://example.org/">\n'
                    f'<!ENTITY lol0 "lol">\n{laughs}]>\n' + RDF_OPEN
                    + '<rdf:Description rdf:about="&ex;a"><ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n')
    code, output = load_bounded(path)
    assert code == 3, output  # the plain entity 'ex' on line 3 is allowed; the first nested one is not
    assert output.startswith(f"{path}:5:") and "'lol1' refers to other entities" in output


@pytest.mark.parametrize("name, text", [
    ("deep-objects.jsonld", '{"@id": "http://example.org/a",\n"http://example.org/p": '
                            + '{"http://example.org/p": ' * 100_000 + '"x"' + "}" * 100_000 + "}\n"),
    ("deep-arrays.jsonld", '{"@id": "http://example.org/a",\n"http://example.org/p": ' + "[" * 60_000 + '"x"' + "]" * 60_000 + "}\n"),
    ("deep.rdf", RDF_XML_HEAD.replace("\n", " ") + "<rdf:Description><ex:p>\n" * 100_000
                 + "</ex:p></rdf:Description>" * 100_000 + "</rdf:RDF>\n"),
])
def test_deep_nesting_is_refused_not_a_crash_or_a_hang(tmp_path, load_bounded, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, output = load_bounded(path)
    assert code == 3, output
    assert output.startswith(f"{path}:") and "nested more than 256 deep" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("name, data, line, words", [
    ("tag.rdf", (RDF_XML_HEAD + '<rdf:Description rdf:about="http://example.org/a">\n<ex:p>x</ex:q>\n'
                 '</rdf:Description>\n</rdf:RDF>\n').encode(), 4, "not valid XML: mismatched tag"),
    ("latin1.rdf", (RDF_XML_HEAD + '<rdf:Description rdf:about="http://example.org/a">\n<ex:p>Beskæftigelse</ex:p>\n'
                    '</rdf:Description>\n</rdf:RDF>\n').encode("latin-1"), 4, "not UTF-8 text"),
])
def test_rdf_xml_errors_name_the_line(tmp_path, name, data, line, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}:{line}:") and words in str(caught.value)
