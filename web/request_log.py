"""One line per request in the log: method, path, status and time taken, so an operator sees what
the server does and which pages are slow. The query string is left out: it carries people's SPARQL
text and parameters, which are long and not ours to keep. Logging itself is configured once per
process, from POLICYGRAPH_LOG_LEVEL (graph/cli/logs.py)."""
from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

log = logging.getLogger(__name__)


def install(app: Flask) -> None:
    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        log.info("%s %s %d %.1f ms", request.method, request.path, response.status_code, elapsed)
        return response
