"""The library of named coherence questions: one `.rq` file per question in `graph/questions/queries/`.

Each file starts with its metadata as YAML in `#+ ` comment lines (the grlc decorator convention),
so the file stays plain SPARQL. Parameters are typed; values are checked and turned into RDF terms
here and bound by the store (a VALUES block), never pasted into the query text.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

import pyoxigraph as ox
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from graph.questions import workshop_scope
from graph.questions.results import foreign_digits
from graph.sparql.text import keywords, variables as query_variables
from graph.store.labels import Labeller
from ontology import XSD, all_prefixes, curie, expand, suggest
from ontology.texts import LANGUAGES, translate

QUERY_DIR = Path(__file__).resolve().parent / "queries"
KINDS = ("gap", "overlap", "synergy", "continuity", "consistency", "overview")
TYPES = ("iri", "year", "date", "integer", "text")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYS = {"id", "kind", "title", "question", "description", "parameters", "explain", "explain_budget", "columns",
         "ranked_by"}
VALUE_KINDS = ("terms", "iris")   # cells that hold a list of ontology local names, or of IRIs, as text
_PARAM_KEYS = {"name", "type", "class", "label", "required", "default", "description"}


class LibraryError(Exception):
    """A malformed query file: the message names the file and line."""


class QueryParameterError(ValueError):
    """A parameter value that is missing, malformed or not in the graph."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    label: dict[str, str]
    required: bool = False
    default: Any = None
    cls: tuple[str, ...] = ()            # full IRIs of the allowed classes (iri parameters)
    description: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """A result column's heading in every language, so that no page, file or terminal shows a variable
    name to a reader; `values` says how to name a cell that is text but stands for terms: "terms" for
    local names of ontology properties (`replaces continues`), "iris" for IRIs written as text."""

    name: str
    heading: dict[str, str]
    values: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    id: str
    kind: str
    title: dict[str, str]
    question: dict[str, str]
    parameters: tuple[Parameter, ...]
    sparql: str
    explain: tuple[str, ...]
    path: Path
    description: dict[str, str] = field(default_factory=dict)
    explain_budget: dict[str, str] | None = None   # {scope: var, year: var}: explain with the allocations
    columns: tuple[Column, ...] = ()
    ranked_by: dict[str, str] = field(default_factory=dict)   # what its ORDER BY puts first ("strongest")

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def heading(self, name: str, lang: str) -> str:
        """The column's heading in the language (the variable name only for a column the metadata
        cannot know: the library refuses a question that leaves one of its own without a heading)."""
        column = self.column(name)
        return text_in(column.heading, lang) if column else name

    def needs_input(self, given: Mapping[str, Any] | None = None) -> bool:
        """True while a required parameter without a default is not among `given`: such a question
        cannot be asked nationally, warmed, or put in the report, and its page shows the form."""
        return any(p.required and p.default is None and not (given or {}).get(p.name) for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    elapsed: float
    query: NamedQuery | None = None
    bindings: dict[str, Any] = field(default_factory=dict)
    kept: bool = False          # computed earlier from the same data (graph/questions/kept.py), not now


# ------------------------------------------------------------------------------------ loading
def load_library(directory: str | Path | None = None) -> dict[str, NamedQuery]:
    """All questions in the folder, by id, in file-name order; a malformed file raises LibraryError."""
    folder = Path(directory) if directory is not None else QUERY_DIR
    library: dict[str, NamedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        named = parse_query_file(path)
        if named.id in library:
            raise LibraryError(f"{path}:1: id '{named.id}' is already used by {library[named.id].path.name}")
        library[named.id] = named
    return library


def library() -> dict[str, NamedQuery]:
    """The bundled library, parsed once per process and again only when a `.rq` file is added,
    removed or changed (by name, mtime and size): parsing checks every file's SPARQL and took
    about 100 ms, which every matrix and network request used to pay."""
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(QUERY_DIR.glob("*.rq")))
    return dict(_parsed_library(signature))  # a copy: a caller's change never reaches the next one


@lru_cache(maxsize=1)
def _parsed_library(signature: tuple[tuple[str, int, int], ...]) -> dict[str, NamedQuery]:
    return load_library()


def text_in(texts: Mapping[str, str], lang: str) -> str:
    """A question's text (title, question, label) in the language, else English, else any."""
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def parse_query_file(path: str | Path) -> NamedQuery:
    path = Path(path)
    return parse_query_text(path.read_text(encoding="utf-8"), path)


def parse_query_text(text: str, path: str | Path = "<query>") -> NamedQuery:
    path = Path(path)
    lines = text.splitlines()
    meta_lines: list[str] = []
    first = None
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#+"):
            first = first or number
            body = stripped[2:]
            meta_lines.append(body[1:] if body.startswith(" ") else body)
        elif first is not None or (stripped and not stripped.startswith("#")):
            break
        else:
            meta_lines.append("")  # keep line numbers aligned with the file
    if first is None:
        raise LibraryError(f"{path}:1: no '#+ ' metadata block at the top of the file")
    sparql = text
    yaml = YAML(typ="rt")
    try:
        meta = yaml.load("\n".join(meta_lines))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else first
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise LibraryError(f"{path}:{line}: malformed metadata: {problem}") from None
    if not isinstance(meta, dict):
        raise LibraryError(f"{path}:{first}: the metadata must be a YAML mapping (id, kind, title, ...)")

    def where(node: Any, key: Any = None) -> int:
        try:
            if key is not None:
                return node.lc.key(key)[0] + 1
            return node.lc.line + 1
        except (AttributeError, KeyError, TypeError):
            return first

    def fail(message: str, node: Any = meta, key: Any = None) -> None:
        raise LibraryError(f"{path}:{where(node, key)}: {message}")

    for key in meta:
        if key not in _KEYS:
            fail(f"unknown metadata key '{key}' (known: {', '.join(sorted(_KEYS))})", meta, key)
    for key in ("id", "kind", "title", "question"):
        if key not in meta:
            fail(f"metadata lacks '{key}'")
    qid = meta["id"]
    if not isinstance(qid, str) or not _ID.match(qid):
        fail(f"id must be lower-case letters, digits and '-', not {qid!r}", meta, "id")
    if meta["kind"] not in KINDS:
        fail(f"kind must be one of {', '.join(KINDS)}, not {meta['kind']!r}", meta, "kind")
    title = _texts(meta, "title", fail, required=True)
    question = _texts(meta, "question", fail, required=True)
    description = _texts(meta, "description", fail, required=False)
    ranked_by = _texts(meta, "ranked_by", fail, required=False)

    variables = query_variables(sparql)
    parameters = []
    raw_params = meta.get("parameters") or []
    if not isinstance(raw_params, list):
        fail("parameters must be a list", meta, "parameters")
    seen = set()
    for raw in raw_params:
        if not isinstance(raw, dict):
            fail("each parameter must be a mapping with name and type", raw_params)
        for key in raw:
            if key not in _PARAM_KEYS:
                fail(f"unknown parameter key '{key}' (known: {', '.join(sorted(_PARAM_KEYS))})", raw, key)
        name, ptype = raw.get("name"), raw.get("type")
        if not isinstance(name, str) or not _VAR.match(name):
            fail(f"parameter name must be a SPARQL variable name, not {name!r}", raw)
        if name in seen:
            fail(f"parameter '{name}' is declared twice", raw)
        seen.add(name)
        if name == "lang":
            fail("'lang' is reserved: the language is bound to ?lang automatically", raw)
        if name not in variables:
            fail(f"parameter '{name}' is not used as ?{name} in the query", raw)
        if ptype not in TYPES:
            fail(f"parameter '{name}' has type {ptype!r}; use one of {', '.join(TYPES)}", raw, "type" if "type" in raw else None)
        cls = raw.get("class")
        if ptype == "iri":
            names = [cls] if isinstance(cls, str) else cls
            if not isinstance(names, list) or not names or not all(isinstance(c, str) for c in names):
                fail(f"iri parameter '{name}' needs a class (e.g. pg:Committee) or a list of classes", raw)
            try:
                cls = tuple(_expand(c) for c in names)
            except ValueError as error:
                fail(f"parameter '{name}': {error}", raw, "class")
        elif cls is not None:
            fail(f"only iri parameters take a class ('{name}' is {ptype})", raw, "class")
        label = raw.get("label") or {"da": name, "en": name}
        if not isinstance(label, dict) or not all(isinstance(v, str) for v in label.values()):
            fail(f"parameter '{name}': label must be a map of language to text", raw, "label" if "label" in raw else None)
        required = raw.get("required", False)
        if not isinstance(required, bool):
            fail(f"parameter '{name}': required must be true or false", raw, "required")
        param = Parameter(name=name, type=ptype, label=dict(label), required=required, cls=cls or (),
                          description=dict(raw.get("description") or {}))
        default = raw.get("default")
        if default is not None:
            try:
                _parse_literal(param, default)
            except QueryParameterError as error:
                fail(f"default of '{name}': {error}", raw, "default")
            param = Parameter(**{**param.__dict__, "default": default})
        parameters.append(param)

    explain = meta.get("explain") or []
    if not isinstance(explain, list) or not all(isinstance(v, str) for v in explain):
        fail("explain must be a list of result variables", meta, "explain")
    for var in explain:
        if var not in variables:
            fail(f"explain names '{var}', which is not a variable of the query", meta, "explain")
    budget = meta.get("explain_budget")
    if budget is not None:
        if not isinstance(budget, dict) or set(budget) - {"scope", "year"} or "scope" not in budget:
            fail("explain_budget must be a mapping {scope: var, year: var}", meta, "explain_budget")
        for var in budget.values():
            if var not in variables:
                fail(f"explain_budget names '{var}', which is not a variable of the query", meta, "explain_budget")
        budget = dict(budget)

    body = "\n".join(line for line in lines if not line.strip().startswith("#+"))
    if not keywords(body) & {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
        fail("the file has no SPARQL query after its metadata")
    try:  # syntax check against an empty store, with our prefixes
        empty = ox.Store().query(body, prefixes=all_prefixes())
    except SyntaxError as error:
        raise LibraryError(f"{path}:{first}: SPARQL syntax error: {error}") from None
    projected = [v.value for v in empty.variables] if isinstance(empty, ox.QuerySolutions) else []
    columns = _columns(meta, projected, fail)

    return NamedQuery(id=qid, kind=meta["kind"], title=title, question=question, description=description,
                      parameters=tuple(parameters), sparql=body, explain=tuple(explain), path=path,
                      explain_budget=budget, columns=columns, ranked_by=ranked_by)


def _columns(meta: dict, projected: list[str], fail) -> tuple[Column, ...]:
    """The `columns:` mapping (variable -> {da: ..., en: ..., values: terms|iris}): every column the
    SELECT names needs a heading in every language, so none can be forgotten, and a heading for a
    variable the SELECT does not name is a typo."""
    raw = meta.get("columns")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        fail("columns must be a mapping of result variable to {da: ..., en: ...}", meta, "columns")
    for name in raw:
        if name not in projected:
            fail(f"columns names '{name}', which the SELECT does not return", raw, name)
    missing = [name for name in projected if name not in raw]
    if missing:
        fail(f"columns lacks a heading for {', '.join(missing)}", meta, "columns" if "columns" in meta else None)
    columns = []
    for name in projected:
        entry = raw[name]
        if not isinstance(entry, dict):
            fail(f"column '{name}' must be a mapping {{da: ..., en: ...}}", raw, name)
        values = entry.get("values")
        if values is not None and values not in VALUE_KINDS:
            fail(f"column '{name}': values must be one of {', '.join(VALUE_KINDS)}, not {values!r}", entry, "values")
        heading = {k: v for k, v in entry.items() if k != "values"}
        lacking = [lang for lang in LANGUAGES if not isinstance(heading.get(lang), str) or not heading[lang].strip()]
        if lacking:
            fail(f"column '{name}' lacks a heading in {', '.join(lacking)}", raw, name)
        columns.append(Column(name=name, heading={str(k): str(v) for k, v in heading.items()}, values=values))
    return tuple(columns)


def _texts(meta: dict, key: str, fail, required: bool) -> dict[str, str]:
    value = meta.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
        fail(f"{key} must be a map of language to text, e.g. {{da: ..., en: ...}}", meta, key)
    missing = [lang for lang in LANGUAGES if lang not in value]
    if required and missing:
        fail(f"{key} lacks a text in {', '.join(missing)}", meta, key)
    return {str(k): str(v) for k, v in value.items()}


def _expand(name: str) -> str:
    """A class named in a question's metadata: <iri>, an IRI, or prefix:name with a known prefix; never
    a relative id, which a typo would turn into a class that silently matches nothing."""
    if (name.startswith("<") and name.endswith(">")) or "://" in name:
        return expand(name)
    prefix, sep, _local = name.partition(":")
    if not sep:
        raise ValueError(f"not a prefixed name or IRI: {name!r}")
    if prefix not in all_prefixes():
        raise ValueError(f"unknown prefix '{prefix}:' in {name!r}")
    return expand(name)


# ------------------------------------------------------------------------------------ parameters
def _parse_literal(param: Parameter, value: Any) -> ox.Literal | None:
    """Values of non-iri parameters as typed literals; None for iri parameters (checked against the store)."""
    kind, name = param.type, param.name
    if isinstance(value, ox.Literal):
        value = value.value
    if kind in ("year", "date", "integer") and foreign_digits(str(value)):
        raise QueryParameterError(f"{name} must be written with the digits 0-9, not {str(value).strip()!r}")
    if kind == "year":
        text = str(value).strip()
        if not re.fullmatch(r"[0-9]{4}", text):
            raise QueryParameterError(f"{name} must be a year of four digits like 2022, not {text!r}")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "gYear"))
    if kind == "date":
        if isinstance(value, dt.date):
            return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        text = str(value).strip()
        try:
            dt.date.fromisoformat(text)
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise ValueError
        except ValueError:
            raise QueryParameterError(f"{name} must be a date as YYYY-MM-DD, not {text!r}") from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    if kind == "integer":
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"[+-]?[0-9]+", text):
            raise QueryParameterError(f"{name} must be a whole number, not {text!r}")
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "text":
        text = str(value)
        if not text.strip():
            raise QueryParameterError(f"{name} must not be empty")
        return ox.Literal(text)
    return None


def resolve_iri(value: Any) -> str:
    """A relative id (org/koebenhavn/biu), a prefixed id (id:org/..., pg:Committee), <iri> or a full IRI."""
    if isinstance(value, ox.NamedNode):
        return value.value
    text = str(value).strip()
    if not text:
        raise QueryParameterError("an empty value is not an id")
    if not text.startswith("<") and re.search(r"[\s<>\"{}|^`\\]", text):
        raise QueryParameterError(f"{text!r} is not an id")
    return expand(text)


def allowed_values(store, param: Parameter, lang: str = "en") -> list[tuple[str, str]]:
    """The instances of an iri parameter's class as (short id, name), sorted by name: for dropdowns."""
    if param.type != "iri":
        return []
    instances: set[str] = set()
    for cls in param.cls:
        rows = store.query("SELECT DISTINCT ?x WHERE { ?x a ?cls FILTER(isIRI(?x)) }", {"cls": ox.NamedNode(cls)})
        instances |= {row["x"].value for row in rows}
    labels = Labeller(store, lang)
    labels.load(instances)
    found = {curie(iri): labels(iri) for iri in instances}
    return sorted(found.items(), key=lambda pair: (pair[1].casefold(), pair[0]))


def parameter_choices(store, named: NamedQuery, lang: str = "en") -> dict[str, list[tuple[str, str]]]:
    """Allowed values (id, label) for each iri parameter of a question."""
    return {p.name: allowed_values(store, p, lang) for p in named.parameters if p.type == "iri"}


def short_id(value: Any) -> str:
    """The short id (org/koebenhavn) of a value given as a short id, a prefixed name or a full IRI:
    what forms offer and URLs carry, so that every page and the CLI take either alike."""
    return curie(resolve_iri(value))


def _check_iri(store, param: Parameter, value: Any, lang: str) -> ox.NamedNode:
    kind = param.label.get(lang) or param.label.get("en") or param.name
    return check_instance(store, value, param.cls, kind, lang)


def check_instance(store, value: Any, classes: tuple[str, ...], kind: str, lang: str) -> ox.NamedNode:
    """The IRI of a value (short id, prefixed name, <iri> or full IRI) that is an instance of one of
    the classes; else one QueryParameterError in the reader's language, naming the nearest known
    value. `kind` is the parameter's name for people (`kommune`), in that language."""
    try:
        iri = resolve_iri(value)
        node = ox.NamedNode(iri)
    except (QueryParameterError, ValueError):  # not an IRI at all (spaces, NUL): unknown, with a suggestion
        iri = None
    if iri is not None:
        for cls in classes:
            if bool(store.query("ASK { ?x a ?cls }", {"x": node, "cls": ox.NamedNode(cls)})):
                return node
    param = Parameter(name=kind, type="iri", label={}, cls=tuple(classes))
    choices = allowed_values(store, param, lang)
    for other in LANGUAGES:  # a name typed in either language should find its match
        if other != lang:
            choices += allowed_values(store, param, other)
    message = translate("q_err_unknown", lang).format(kind=kind.lower(), value=str(value))
    if choices:
        keys = {}
        for cid, label in choices:
            keys.setdefault(cid, cid)
            keys.setdefault(label, cid)
            keys.setdefault(cid.rsplit("/", 1)[-1], cid)
        typed = curie(iri) if iri is not None else str(value).strip()
        best = suggest([typed, typed.rsplit("/", 1)[-1]], keys)
        if best:
            message += translate("q_err_did_you_mean", lang).format(best=keys[best])
    else:
        message += translate("q_err_no_instances", lang).format(classes=", ".join(curie(c) for c in classes))
    raise QueryParameterError(message)


def bind_parameters(store, named: NamedQuery, params: Mapping[str, Any] | None, lang: str = "en") -> dict[str, Any]:
    """Check the given values and turn them into RDF terms; unknown names and missing required values fail."""
    params = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
    known = {p.name for p in named.parameters}
    for name in params:
        if name not in known:
            hint = f" (it takes {', '.join(sorted(known))})" if known else " (it takes none)"
            raise QueryParameterError(f"the question '{named.id}' has no parameter '{name}'{hint}")
    bindings: dict[str, Any] = {}
    for param in named.parameters:
        value = params.get(param.name, param.default)
        if value is None:
            if param.required:
                raise QueryParameterError(f"the question '{named.id}' needs the parameter '{param.name}'")
            continue
        if param.type == "iri":
            bindings[param.name] = _check_iri(store, param, value, lang)
        else:
            bindings[param.name] = _parse_literal(param, value)
    if "lang" in query_variables(named.sparql):
        bindings["lang"] = ox.Literal(lang)
    return bindings


def run_named(store, named: NamedQuery, params: Mapping[str, Any] | None = None, lang: str = "en",
              without_workshops: bool = False) -> QueryResult:
    """Run a question with checked parameters; rows are dicts of variable -> pyoxigraph term (or None).
    `without_workshops` reads every graph but those of workshop decisions (graph/questions/workshop_scope.py)."""
    bindings = bind_parameters(store, named, params, lang)
    dataset = workshop_scope.without_workshops(store) if without_workshops else None
    started = time.perf_counter()
    result = store.query(named.sparql, bindings, dataset=dataset) if dataset else store.query(named.sparql, bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise LibraryError(f"{named.path}: the question must be a SELECT query")
    columns = [v.value for v in result.variables]
    rows = [dict(zip(columns, row)) for row in result]  # a solution iterates in column order; by name is 2x slower
    elapsed = time.perf_counter() - started
    return QueryResult(columns=columns, rows=rows, elapsed=elapsed, query=named, bindings=bindings)


def workshop_use(store, named: NamedQuery, params: Mapping[str, Any] | None, lang: str, result: QueryResult,
                 left_out: bool, ask: Callable[..., QueryResult] | None = None) -> workshop_scope.WorkshopUse:
    """Whether workshop decisions were left out of the answer, or else whether they changed it: the
    question is asked again without the workshop graphs (only when there are any) and the rows compared.
    `ask` runs that second question (run_named, or graph.questions.kept's kept answers)."""
    if left_out or workshop_scope.without_workshops(store) is None:
        return workshop_scope.WorkshopUse(left_out=left_out, in_answer=False)
    without = (ask or run_named)(store, named, params, lang, without_workshops=True)
    return workshop_scope.WorkshopUse(left_out=False, in_answer=_row_texts(without) != _row_texts(result))


def _row_texts(result: QueryResult) -> list[tuple[str, ...]]:
    return sorted(tuple(str(row.get(c)) for c in result.columns) for row in result.rows)
