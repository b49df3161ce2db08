"""Which loader reads which file, and the named graph each file's quads go into."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from loaders.authoring import jsonld_to_quads, yaml_to_jsonld
from loaders.errors import LoadError
from loaders.rdf_files import RDF_FORMATS, read_rdf_file
from ontology import PG, RDF, base_iri, file_graph

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedFile:
    """The quads read from one file, the graph they belong in, and where each described node starts."""

    path: Path
    graph: str
    quads: list[ox.Quad]
    node_lines: dict[str, int] = field(default_factory=dict)


def supported_suffixes() -> tuple[str, ...]:
    return YAML_SUFFIXES + tuple(RDF_FORMATS)


def graph_iri_for(path: Path, root: Path | None = None) -> str:
    """A stable graph name: the file's path relative to the folder it was loaded from (or its name)."""
    relative = path.relative_to(root) if root is not None else Path(path.name)
    return file_graph(relative.as_posix())


def _file_record(path: Path, graph: str, display: str) -> list[ox.Quad]:
    """Facts about the file itself, inside its own graph, so every fact can be traced to the file it came from."""
    g = ox.NamedNode(graph)
    return [
        ox.Quad(g, ox.NamedNode(RDF + "type"), ox.NamedNode(PG + "SourceFile"), g),
        ox.Quad(g, ox.NamedNode(PG + "fileName"), ox.Literal(display), g),
    ]


def load_file(path: Path, root: Path | None = None, graph: str | None = None) -> LoadedFile:
    """Read one YAML or RDF file into quads in its own named graph; raise LoadError on bad input."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(path, "no such file")
    graph = graph or graph_iri_for(path, root)
    display = (path.relative_to(root) if root else Path(path.name)).as_posix()
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        document, lines = yaml_to_jsonld(path)
        quads = jsonld_to_quads(document, graph, base_iri(), path)
    elif suffix in RDF_FORMATS:
        quads, lines = read_rdf_file(path, graph), {}
    else:
        known = ", ".join(supported_suffixes())
        raise LoadError(path, f"unknown file type '{suffix}'", hint=f"expected one of {known}")
    if not quads:
        raise LoadError(path, "the file holds no statements")
    return LoadedFile(path, graph, quads + _file_record(path, graph, display), lines)


def expand_paths(paths: Iterable[Path]) -> list[tuple[Path, Path | None]]:
    """Files to load with the root their graph name is relative to; folders are walked in name order."""
    found: list[tuple[Path, Path | None]] = []
    suffixes = supported_suffixes()
    for path in map(Path, paths):
        if path.is_dir():
            found += [(f, path) for f in _walk(path) if f.suffix.lower() in suffixes]
        elif path.is_symlink() and not path.exists():
            raise LoadError(path, "broken symbolic link: it points at nothing")
        elif path.exists():
            found.append((path, None))
        else:
            raise LoadError(path, "no such file or folder")
    return found


def _walk(folder: Path) -> list[Path]:
    """Every file under the folder in name order, following symbolic links; a link that points back
    into a folder being walked (a loop) or at nothing is refused by name rather than walked forever
    or skipped without a word."""
    files: list[Path] = []
    # (folder, real paths of the folders above it and itself): a link is a loop when it leads to one of them
    pending = [(folder, (folder.resolve(),))]
    while pending:
        current, above = pending.pop()
        for entry in current.iterdir():
            if entry.is_symlink():
                try:
                    target = entry.resolve(strict=True)
                except (OSError, RuntimeError):
                    problem = "symbolic link loop" if _is_loop(entry) else "broken symbolic link: it points at nothing"
                    raise LoadError(entry, problem, hint="remove the link or load the folder it points at") from None
                if target.is_dir() and target in above:
                    raise LoadError(entry, f"symbolic link loop: it points back at {target}",
                                    hint="remove the link or load the folder it points at")
            if entry.is_dir():
                pending.append((entry, above + (entry.resolve(),)))
            elif entry.is_file():
                files.append(entry)
    return sorted(files)


def _is_loop(link: Path) -> bool:
    try:
        os.stat(link)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def load_paths(paths: Iterable[Path], progress: Callable[[Path], None] | None = None) -> list[LoadedFile]:
    """Read every file first, so one bad file stops the whole load before anything is stored."""
    loaded = []
    for path, root in expand_paths(paths):
        loaded.append(load_file(path, root))
        if progress:
            progress(path)
    return loaded
