"""tests/system_packages.sh, the first step of `make test`: nothing to do when Java, Chromium and the font
are there; otherwise, without root, one line naming the packages and a non-zero exit (no apt-get)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "system_packages.sh"


def _as_user(env: dict[str, str]) -> subprocess.CompletedProcess:
    """The script as an ordinary user (dropping root with setpriv when the tests run as root)."""
    command = ["bash", str(SCRIPT)]
    if os.getuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, timeout=60)


def test_nothing_to_do_when_everything_is_installed():
    """This machine runs the browser and reasoner tests, so it has them all."""
    done = _as_user({})
    assert done.returncode == 0 and done.stderr == "" and done.stdout == ""


def test_a_missing_package_without_root_is_one_line_and_a_failure():
    done = _as_user({"POLICYGRAPH_CHROMIUM": "/nonexistent/chromium"})
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "chromium" in lines[0] and "default-jre-headless" not in lines[0]
