"""SPARQL text as the engine reads it: the one lexer, and what is decided from its tokens.

Why a lexer and not regexes over the text: a keyword check must skip exactly what the SPARQL 1.1
grammar skips (comments, the four kinds of strings with their escapes, IRIs, prefixed names with
`\\'` or `\\#` in them) and nothing else; stripping with regexes one kind after another gets the
order wrong (a `'''` inside an IRI or after a `#` then hides real syntax). Whatever this lexer cannot
read as one token it reads as a single character and goes on, so it can see more than the engine,
never less.

Two things are decided here for the store (graph/store/), before the engine sees a text:

* whether the engine can take it: pyoxigraph 0.5.13 parses and evaluates recursively and a text
  nested or chained a few thousand levels deep overflows its stack and kills the process (measured
  in a worker thread with the default 8 MB stack: 2,188 nested `{}`, 2,616 `MINUS {}` or `BIND`
  in one group, 4,670 nested `()`, 6,541 `UNION`s, 9,345 `!`s or `||`s, 8,179 triple patterns);
* whether it makes the process fetch a URL: `SERVICE` (query) and `LOAD` (update) do; `FROM`,
  `FROM NAMED` and `USING` only pick graphs of the store (checked: pyoxigraph opens no connection).
  Oxigraph's parser also reads a keyword glued to its neighbours (`SERVICESILENT<x>{}`,
  `?o trueSERVICE<x>{}`, and `SERVICE:x{}` with a prefix named SERVICE), so every bare word and
  every prefix that contains SERVICE or LOAD counts as the keyword.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Callable, Iterator, TypeVar

log = logging.getLogger(__name__)

MAX_DEPTH = 200           # (), {}, [] and << >> open at once; real queries stay under 20
MAX_NESTING = 1000        # the depth of what the engine builds: brackets plus operations chained in them
DEFAULT_MAX_CHARS = 1_000_000  # label lookups bind thousands of IRIs in one VALUES block
FETCHING_WORDS = ("SERVICE", "LOAD")

# Terminals of the SPARQL 1.1 grammar (section 19.8), with UCHAR escapes in IRIs as Oxigraph reads them.
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_LEXEME = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:'{0,2}(?:[^'\\]|\\[\s\S]))*'''
             | \"\"\"(?:"{0,2}(?:[^"\\]|\\[\s\S]))*\"\"\"
             | '(?:[^'\\\r\n]|\\[\s\S])*'
             | "(?:[^"\\\r\n]|\\[\s\S])*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<pname>(?:%(prefix)s)?:(?:%(local)s)?)
  | (?P<bnode>_:[%(u)s0-9](?:[%(chars)s.]*[%(chars)s])?)
  | (?P<var>[?$][%(u)s0-9][%(u)s0-9\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\|\||&&|!=|<=|>=|\^\^|<<|>>|[\s\S])
""" % {"prefix": _PREFIX, "local": _LOCAL, "u": _U, "chars": _CHARS}, re.VERBOSE)

OPENING, CLOSING = {"(", "{", "[", "<<"}, {")", "}", "]", ">>"}
# What chains one more node onto the engine's tree inside a group: pattern keywords and operators.
_CHAINING_WORDS = {"OPTIONAL", "MINUS", "UNION", "FILTER", "BIND", "VALUES", "GRAPH", "SERVICE", "EXISTS", "IN"}
_CHAINING_PUNCT = {".", ";", ",", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "|", "^"}
# A `{` after these opens data or a template (a flat list of triples), not a pattern.
_DATA_OPENERS = {"DATA", "VALUES", "CONSTRUCT", "INSERT", "DELETE"}


@dataclass(frozen=True)
class Token:
    """One lexeme: where it starts, its kind (a group name of `_LEXEME`), and its text."""

    position: int
    kind: str
    text: str


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of a SPARQL query or update, without whitespace and comments."""
    for match in _LEXEME.finditer(sparql):
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            yield Token(match.start(), kind, match.group())


def prefixed_names(sparql: str) -> Iterator[tuple[str, str]]:
    """(prefix, local name) of every prefixed name used in the text (not in strings, IRIs or comments)."""
    for token in tokens(sparql):
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            yield prefix, local


def variables(sparql: str) -> set[str]:
    """The names of the variables the text uses (`?x` and `$x` alike), not those in strings or comments."""
    return {token.text[1:] for token in tokens(sparql) if token.kind == "var"}


def keywords(sparql: str) -> set[str]:
    """The bare words of the text, upper-cased (SELECT, PREFIX, OPTIONAL ...)."""
    return {token.text.upper() for token in tokens(sparql) if token.kind == "word"}


def declared_prefixes(sparql: str) -> set[str]:
    """The prefixes the text declares itself (`PREFIX pg: <...>`)."""
    found, previous = set(), None
    for token in tokens(sparql):
        if previous is not None and previous.kind == "word" and previous.text.upper() == "PREFIX" \
                and token.kind == "pname" and token.text.endswith(":"):
            found.add(token.text[:-1])
        previous = token
    return found


def fetching_keyword(token: Token) -> str | None:
    """SERVICE or LOAD when the engine may read this token as that keyword (see the module docstring)."""
    if token.kind == "word":
        letters = token.text.upper()
    elif token.kind == "pname":
        letters = token.text.partition(":")[0].upper()
    else:
        return None
    return next((word for word in FETCHING_WORDS if word in letters), None)


_Read = TypeVar("_Read")
CACHED_CHARS = 20_000   # texts up to this long have their readings kept (the library's, the pages' own)


def read_once(function: Callable[[str], _Read]) -> Callable[[str], _Read]:
    """A reading of a query text (its shape, its WHERE groups, whether it names a dataset), kept for
    texts up to CACHED_CHARS: the store reads every text it is given before running it, and pages ask
    the same texts over and over (a report explains its rows with hundreds of the same queries); a
    hostile text of a million characters is read every time rather than kept. Callers must not
    change what they are given."""
    kept = lru_cache(maxsize=1024)(function)

    @wraps(function)
    def read(text: str) -> _Read:
        return kept(text) if len(text) <= CACHED_CHARS else function(text)

    return read


@dataclass
class Shape:
    """What the guard needs to know about a text, read in one pass."""

    depth: int = 0           # most brackets open at once
    nesting: int = 0         # deepest point of the engine's tree: brackets plus chained operations
    fetching: str | None = None  # the first SERVICE or LOAD keyword found


@read_once
def shape(sparql: str) -> Shape:
    """Depth, nesting and fetching keywords of a text. Inside a group, every pattern keyword and
    operator chains one more node onto the tree the engine builds and walks recursively, so the
    nesting at a point adds up, over the groups open there, one for the group and one per chained
    operation so far. Data blocks and templates (`INSERT DATA {...}`, `VALUES ... {...}`,
    `CONSTRUCT {...}`) are flat lists and chain nothing; nor do commas between function arguments."""
    found = Shape()
    groups: list[list] = []  # [bracket, chained so far, is data], innermost last
    total, previous, pending_data = 0, "", False
    for token in tokens(sparql):
        text, upper = token.text, token.text.upper()
        found.fetching = found.fetching or fetching_keyword(token)
        if token.kind == "word" and upper in _DATA_OPENERS:
            pending_data = True
        elif token.kind == "word" and upper == "WHERE":
            pending_data = False
        if token.kind == "punct" and text in OPENING:
            data = bool(groups and groups[-1][2]) or (text == "{" and pending_data)
            pending_data = pending_data and text != "{"
            groups.append([text, 0, data])
            total += 1
            found.depth = max(found.depth, len(groups))
            found.nesting = max(found.nesting, total)
        elif token.kind == "punct" and text in CLOSING:
            if groups:
                total -= 1 + groups.pop()[1]
        elif groups and not groups[-1][2] and _chains(token, upper, groups[-1][0], previous):
            groups[-1][1] += 1
            total += 1
            found.nesting = max(found.nesting, total)
        previous = upper
    return found


def _chains(token: Token, upper: str, bracket: str, previous: str) -> bool:
    if token.kind == "word":
        return upper in _CHAINING_WORDS
    if token.kind != "punct" or upper not in _CHAINING_PUNCT:
        return False
    return not (upper == "," and bracket == "(") and not (upper == "*" and previous in ("SELECT", "DISTINCT", "REDUCED"))


def max_chars() -> int:
    """The longest text the store accepts: POLICYGRAPH_MAX_QUERY_CHARS, else DEFAULT_MAX_CHARS."""
    configured = os.environ.get("POLICYGRAPH_MAX_QUERY_CHARS", "").strip()
    if not configured:
        return DEFAULT_MAX_CHARS
    try:
        return max(1, int(configured))
    except ValueError:
        log.warning("POLICYGRAPH_MAX_QUERY_CHARS=%r is not a number; using %d", configured, DEFAULT_MAX_CHARS)
        return DEFAULT_MAX_CHARS


def refusal(sparql: str, allow_federation: bool) -> str | None:
    """Why the engine must not be given this text, in one plain sentence; None when it may."""
    limit = max_chars()
    if len(sparql) > limit:
        return (f"the query is {len(sparql):,} characters long; this store accepts at most {limit:,} "
                "(POLICYGRAPH_MAX_QUERY_CHARS)")
    found = shape(sparql)
    if found.depth > MAX_DEPTH:
        return (f"the query nests brackets {found.depth} levels deep; this store accepts at most {MAX_DEPTH} "
                "levels of (), {} and [] together")
    if found.nesting > MAX_NESTING:
        return (f"the query chains too many operations ({found.nesting} levels of groups, operators and "
                f"patterns; at most {MAX_NESTING}): split it into smaller queries")
    if found.fetching and not allow_federation:
        return (f"{found.fetching} is not allowed: it makes this server fetch other servers, and federation "
                "is off (the administrator can allow it with POLICYGRAPH_ALLOW_SERVICE=1)")
    return None
