"""A real Virtuoso Open Source server on loopback for the tests (Debian's virtuoso-opensource, which
`make test` installs): its own database in a temporary folder, free ports, updates allowed for the
anonymous endpoint `/sparql` and Digest authentication (dba/dba) on `/sparql-auth`, as a Virtuoso
a public body runs answers. The limits a fresh install ships with (10,000 result rows, 60 s a query)
are raised or kept as the README's guide tells operators to set them."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.servers import free_port, start_server, stop_server

INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {seconds}
{estimate_line}
"""

USER, PASSWORD = "dba", "dba"


def start_virtuoso(folder: Path, query_seconds: int = 60, buffers: int = 20_000,
                   estimate_seconds: int | None = None) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start Virtuoso with its database in `folder`; returns the process and its addresses:
    `query` (anonymous, updates allowed), `auth` (Digest, `user`/`password`), `sql` (isql port) and
    `folder` (where its bulk loader may read files), and the Graph Store Protocol's `graph_store`
    (anonymous) and `graph_store_auth` (Digest).
    `buffers`: Virtuoso's NumberOfBuffers (8 KB pages held in memory; 85,000 a GB).
    `estimate_seconds`: MaxQueryCostEstimationTime (None: unset, as Debian's virtuoso.ini ships it)."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.fail("virtuoso-t is missing: apt-get install virtuoso-opensource (make test installs it)")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port, seconds=query_seconds,
                              buffers=buffers, dirty=buffers * 3 // 4,
                              estimate_line="" if estimate_seconds is None else f"MaxQueryCostEstimationTime = {estimate_seconds}"))
    base = f"http://127.0.0.1:{http_port}"
    process = start_server([binary, "+foreground", "+configfile", str(ini)], f"{base}/sparql?query=ASK%7B%7D",
                           tries=600, cwd=folder)
    isql(sql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";')
    return process, {"query": f"{base}/sparql", "auth": f"{base}/sparql-auth", "sql": str(sql_port),
                     "user": USER, "password": PASSWORD, "folder": str(folder),
                     "graph_store": f"{base}/sparql-graph-crud", "graph_store_auth": f"{base}/sparql-graph-crud-auth"}


def isql(sql_port: int | str, statements: str) -> str:
    """Run SQL statements through Virtuoso's isql client (what an operator would type)."""
    done = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", USER, PASSWORD, f"exec={statements}"],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        pytest.fail(f"isql failed: {statements[:200]}: {(done.stdout + done.stderr)[-1000:]}")
    return done.stdout


def stop_virtuoso(process: subprocess.Popen) -> None:
    stop_server(process)
