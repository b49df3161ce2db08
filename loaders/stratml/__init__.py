"""StratML (ISO 17469-1), the interchange format for strategic plans: a plan written as StratML Part 1
(write.py) and a StratML file read into a draft in the authoring format (read.py), both checked
against the vendored schemas (schema.py, xsd/ORIGIN.md). The mapping is in docs/stratml.md."""
from __future__ import annotations
