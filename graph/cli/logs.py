"""Logging, configured once per process from the environment: `POLICYGRAPH_LOG_LEVEL` (DEBUG, INFO,
WARNING, ERROR) or the caller's default, to stderr. Commands default to WARNING, so their output
stays what people read; `policygraph serve` to INFO, which adds the request log (web/request_log.py).

Here rather than in web/ because the CLI configures it too, and graph never imports web."""
from __future__ import annotations

import logging
import os
import sys

LEVEL_VARIABLE = "POLICYGRAPH_LOG_LEVEL"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_NAME = "policygraph"


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes, not the one at start: click's test
    runner and pytest swap it, and a handler holding the old one would write to a closed file."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(default_level: str = "INFO") -> str:
    """Send our log records to stderr at the configured level; safe to call again (the last level
    wins, the handler is added once). Returns the level in use; an unknown level is refused with a
    warning and the default kept, rather than stopping the program over its log."""
    wanted = os.environ.get(LEVEL_VARIABLE, "").strip().upper() or default_level
    level = wanted if wanted in LEVELS else default_level
    root = logging.getLogger()
    if not any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        handler = _Stderr()
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    if level != wanted:
        logging.getLogger(__name__).warning("%s=%r is not one of %s; logging at %s", LEVEL_VARIABLE, wanted,
                                            ", ".join(LEVELS), level)
    return level
