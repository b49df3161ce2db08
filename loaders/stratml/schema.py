"""The StratML schemas, vendored (xsd/ORIGIN.md), and the safe way to read a StratML file.

A StratML file comes from outside: it is parsed with entity expansion and DTDs forbidden and no
resource fetched (xmlschema's defused parser, nothing allowed beyond the text given), so an entity
bomb or an external entity is refused instead of expanded or followed.
"""
from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

import xmlschema
from xmlschema.exceptions import XMLResourceError, XMLResourceForbidden, XMLResourceParseError

from loaders.errors import LoadError

HERE = Path(__file__).resolve().parent / "xsd"
PART1_NAMESPACE = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
PART2_NAMESPACE = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
SCHEMA_FILES = {
    PART1_NAMESPACE: HERE / "StrategicPlanISOVersion20140401.xsd",
    PART2_NAMESPACE: HERE / "PerformancePlanOrReport20160216.xsd",
}
ROOTS = {PART1_NAMESPACE: "StrategicPlan", PART2_NAMESPACE: "PerformancePlanOrReport"}
MAX_BYTES = 20 * 1024 * 1024  # far above any published plan; a larger file is refused before parsing


@lru_cache(maxsize=2)
def schema(namespace: str = PART1_NAMESPACE) -> xmlschema.XMLSchema:
    """The schema of a StratML namespace, read from the vendored file (never from the network)."""
    return xmlschema.XMLSchema(str(SCHEMA_FILES[namespace]), base_url=str(HERE), allow="sandbox", defuse="always")


def safe_resource(path: Path | str, data: bytes) -> xmlschema.XMLResource:
    """The XML text parsed without DTDs, entities or fetching; a LoadError naming the file otherwise."""
    if len(data) > MAX_BYTES:
        raise LoadError(path, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return xmlschema.XMLResource(BytesIO(data), defuse="always", allow="none")
    except XMLResourceForbidden as exc:
        raise LoadError(path, f"refused: {_first_line(exc)}", hint="StratML files need no DTD, entities or "
                        "outside references") from None
    except (XMLResourceParseError, SyntaxError) as exc:
        raise LoadError(path, f"not well-formed XML ({_first_line(exc)})") from None
    except (XMLResourceError, ValueError) as exc:  # nested too deep, and the like
        raise LoadError(path, f"cannot read the XML ({_first_line(exc).split(' for XMLResource(')[0]})") from None


def namespace_of(resource: xmlschema.XMLResource) -> str:
    tag = resource.root.tag
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def problems(resource: xmlschema.XMLResource, namespace: str, most: int = 20) -> list[str]:
    """What the file breaks of its schema, one line each with the element's path."""
    found = []
    for error in schema(namespace).iter_errors(resource):
        found.append(f"{error.path or '/'}: {_first_line(error.reason or error.message)}")
        if len(found) >= most:
            break
    return found


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
