"""The way out: a file's RDF quads back into the authoring format (authoring.py), and a plan to and
from StratML, the ISO 17469-1 interchange format for strategic plans (stratml_export.py,
stratml_import.py). Like every loader these take and give plain data; none touches the store."""
from __future__ import annotations
