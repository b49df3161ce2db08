"""Real servers on loopback for the tests: a free port, and a process started and waited for."""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(command: list[str], ready_url: str, tries: int = 300, **popen) -> subprocess.Popen:
    """Start `command` and wait until `ready_url` answers; a server that exits first fails the test
    with what it printed."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)
    for _ in range(tries):
        try:
            urllib.request.urlopen(ready_url, timeout=2).read()
            return process
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"{command[0]} exited: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"{command[0]} did not answer {ready_url} in time")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)
