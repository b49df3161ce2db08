"""How PolicyGraph reaches a remote engine: its addresses and credentials (read from the environment
in ONE place, `endpoint_settings`, used by the command line and the web app alike), and one HTTP
POST that turns every way a request can fail into a StoreError.

Statements may travel by the SPARQL 1.1 Graph Store HTTP Protocol instead of INSERT DATA
(POLICYGRAPH_GRAPH_STORE: Virtuoso's /sparql-graph-crud[-auth], Oxigraph's /store): engines parse
a posted N-Triples body with their bulk parser, 30x faster than compiling INSERT DATA (measured on
Virtuoso 7.2: 59,000 against 1,800 statements a second).

Credentials: a Bearer token (POLICYGRAPH_ENDPOINT_TOKEN), or a user and password
(POLICYGRAPH_ENDPOINT_USER / POLICYGRAPH_ENDPOINT_PASSWORD) sent as Basic or Digest
(POLICYGRAPH_ENDPOINT_AUTH=basic|digest; Virtuoso's /sparql-auth asks for Digest)."""
from __future__ import annotations

import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from typing import Mapping

from graph.store.base import StoreError, StoreTimeout

AUTH_SCHEMES = ("basic", "digest")
DEFAULT_TIMEOUT = 60.0
# What engines say when their own execution limit stops a query (Virtuoso: S1T00 / SR171, the
# partial "anytime" answers it marks with the S1TAT state, and its refusal of a query whose
# estimated time passes MaxQueryCostEstimationTime).
_TIMEOUT_MARKS = ("S1T00", "SR171", "S1TAT", "timed out", "timeout", "Timeout", "estimated execution time")


@dataclass(frozen=True)
class EndpointSettings:
    """Where the remote engine is and how to sign in; `query_url` None means the embedded store."""

    query_url: str | None = None
    update_url: str | None = None
    token: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    timeout: float = DEFAULT_TIMEOUT
    graph_store_url: str | None = None


def endpoint_settings(endpoint: str | None = None, update_endpoint: str | None = None, graph_store: str | None = None,
                      environ: Mapping[str, str] | None = None) -> EndpointSettings:
    """The one reader of the remote engine's settings: flags given on the command line win, the
    environment fills in the rest (POLICYGRAPH_ENDPOINT, _UPDATE_ENDPOINT, _ENDPOINT_TOKEN,
    _ENDPOINT_USER, _ENDPOINT_PASSWORD, _ENDPOINT_AUTH, _ENDPOINT_TIMEOUT, POLICYGRAPH_GRAPH_STORE)."""
    env = os.environ if environ is None else environ
    auth = (env.get("POLICYGRAPH_ENDPOINT_AUTH") or "basic").strip().lower()
    if auth not in AUTH_SCHEMES:
        raise StoreError(f"POLICYGRAPH_ENDPOINT_AUTH must be one of {', '.join(AUTH_SCHEMES)}, not {auth!r}")
    try:
        timeout = float(env.get("POLICYGRAPH_ENDPOINT_TIMEOUT") or DEFAULT_TIMEOUT)
    except ValueError:
        raise StoreError("POLICYGRAPH_ENDPOINT_TIMEOUT must be a number of seconds") from None
    return EndpointSettings(
        query_url=endpoint or env.get("POLICYGRAPH_ENDPOINT") or None,
        update_url=update_endpoint or env.get("POLICYGRAPH_UPDATE_ENDPOINT") or None,
        token=env.get("POLICYGRAPH_ENDPOINT_TOKEN") or None,
        user=env.get("POLICYGRAPH_ENDPOINT_USER") or None,
        password=env.get("POLICYGRAPH_ENDPOINT_PASSWORD") or None,
        auth=auth, timeout=timeout, graph_store_url=graph_store or env.get("POLICYGRAPH_GRAPH_STORE") or None)


class Connection:
    """POSTs form-encoded requests to the engine with the configured credentials."""

    def __init__(self, settings: EndpointSettings) -> None:
        self.settings = settings
        handlers: list[urllib.request.BaseHandler] = []
        if settings.user and settings.auth == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {settings.query_url, settings.update_url, settings.graph_store_url} - {None}:
                passwords.add_password(None, url, settings.user, settings.password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        self._opener = urllib.request.build_opener(*handlers)
        self.virtuoso = False   # seen in the engine's Server header: it takes a time limit per query

    def _note_engine(self, headers) -> None:
        if headers is not None and "virtuoso" in (headers.get("Server") or "").lower():
            self.virtuoso = True

    def headers(self, accept: str) -> dict[str, str]:
        headers = {"Accept": accept}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        elif self.settings.user and self.settings.auth == "basic":  # sent at once: no challenge round trip
            pair = f"{self.settings.user}:{self.settings.password or ''}".encode()
            headers["Authorization"] = f"Basic {b64encode(pair).decode()}"
        return headers

    def post(self, url: str, form: list[tuple[str, str]], accept: str) -> tuple[bytes, str]:
        """A form-encoded request (a query or an update): the body and content type of the answer."""
        return self.send(url, urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded", accept)

    def send(self, url: str, body: bytes, content_type: str, accept: str) -> tuple[bytes, str]:
        """POST `body`; the body and content type of the engine's answer. Any failure is one
        StoreError (a StoreTimeout when the engine or the connection ran out of time)."""
        headers = {**self.headers(accept), "Content-Type": content_type}
        request = urllib.request.Request(url, body, headers, method="POST")
        try:
            with self._opener.open(request, timeout=self.settings.timeout) as response:
                self._note_engine(response.headers)
                body = response.read()
                if _timed_out(response.headers.get("X-SQL-State", "")):
                    raise StoreTimeout(f"{url} stopped the query at its time limit (a partial answer)")
                return body, response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            self._note_engine(exc.headers)
            raise _http_error(url, exc) from None
        except (socket.timeout, TimeoutError):
            raise StoreTimeout(f"{url} did not answer within {self.settings.timeout:g} seconds") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise StoreTimeout(f"{url} did not answer within {self.settings.timeout:g} seconds") from None
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc.reason}") from None
        except (OSError, ValueError) as exc:  # a connection reset, a malformed URL
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None


def _http_error(url: str, exc: urllib.error.HTTPError) -> StoreError:
    try:
        text = exc.read().decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    first = next((line.strip() for line in text.splitlines() if line.strip()), exc.reason or "")
    if exc.code in (401, 403):
        return StoreError(f"{url} refused the credentials ({exc.code}): set POLICYGRAPH_ENDPOINT_TOKEN, or "
                          "POLICYGRAPH_ENDPOINT_USER, _PASSWORD and _AUTH (basic or digest)")
    if exc.code in (408, 504) or _timed_out(text[:2000]):
        return StoreTimeout(f"{url} stopped the query at its time limit: {first}")
    return StoreError(f"{url} answered {exc.code}: {first}")


def _timed_out(text: str) -> bool:
    return any(mark in text for mark in _TIMEOUT_MARKS)
