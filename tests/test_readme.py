"""README.md's examples run as written: every `.venv/bin/policygraph ...` command line in its code
blocks (continuation lines and multi-line quotes included) exits 0 against a store loaded with data/,
and its curl example gets the CSV it promises from the web app."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROGRAM = ".venv/bin/policygraph"


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M)


def shell_commands(block: str) -> list[list[str]]:
    """Command lines of a shell block as argument lists: a trailing backslash or an open quote goes
    on to the next line; `$ ` prompts and `# comments` are dropped; other lines are output."""
    commands, pending = [], ""
    for line in block.splitlines():
        if not pending:
            line = line.removeprefix("$ ")
            if not line.startswith(PROGRAM) and not line.startswith("curl "):
                continue
        pending += line[:-1] + " " if line.endswith("\\") else line + "\n"
        if line.endswith("\\"):
            continue
        try:
            commands.append(shlex.split(pending, comments=True))
        except ValueError:  # a quote still open: the command goes on
            continue
        pending = ""
    return commands


COMMANDS = [c for block in code_blocks(README) for c in shell_commands(block)]
CLI = [c for c in COMMANDS if c[0] == PROGRAM]
CURL = [c for c in COMMANDS if c[0] == "curl"]


def test_the_readme_has_the_examples_this_test_runs():
    subcommands = {c[1] if not c[1].startswith("-") else c[3] for c in CLI}
    assert {"load", "validate", "query", "export", "report", "ask", "questions", "reason"} <= subcommands
    assert any("\n" in arg for c in CLI for arg in c), "the multi-line query example was not read as one command"
    assert len(CURL) == 1


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder to run in: data/ as in the repository, a store loaded with it, and the user's own
    query file the README refers to."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "data").symlink_to(ROOT / "data")
    (folder / "my-question.rq").write_text(
        "SELECT ?line ?v WHERE { ?line pg:hasBudgetAllocation [ pg:fiscalYear ?y ; schema:value ?v ] "
        "FILTER(STR(?y) = STR(?year)) }\n", encoding="utf-8")
    loaded = CliRunner().invoke(main, ["--store", str(folder / "store"), "load", str(ROOT / "data")])
    assert loaded.exit_code == 0, loaded.output
    return folder


@pytest.mark.parametrize("argv", CLI, ids=lambda argv: " ".join(argv[1:4])[:60])
def test_readme_command_runs_as_written(workdir, monkeypatch, argv):
    monkeypatch.chdir(workdir)  # -o files and data/ paths are relative, as in the README
    result = CliRunner().invoke(main, ["--store", str(workdir / "store"), *argv[1:]])
    assert result.exit_code == 0, f"{' '.join(argv)}\n{result.output}"


def test_readme_curl_example_answers_csv(example_client):
    argv = CURL[0]
    url = next(a for a in argv if a.startswith("http"))
    header = argv[argv.index("-H") + 1]
    name, _, value = argv[argv.index("--data-urlencode") + 1].partition("=")
    response = example_client.post(url.split("8080", 1)[1], data={name: value},
                                   headers=dict([tuple(part.strip() for part in header.split(":", 1))]))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "i,size" and len(lines) > 1
