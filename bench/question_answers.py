"""Every answer of the question library on the example graph, as text, to compare two versions.

A refactoring must not change one byte of what a question answers. This runs every question of the
library on the example graph (data/) with its defaults and with each offered value of each parameter
(the first five), in Danish and English, and writes each answer as its column names and rows of
N-Triples terms in the order the engine gave them. tests/test_question_answers.py compares the output
with tests/snapshots/question-answers.txt; after a change that is meant to alter answers, write
the snapshot anew and review its diff:

    .venv/bin/python bench/question_answers.py > tests/snapshots/question-answers.txt
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.pipeline.load import load_into_store  # noqa: E402
from graph.questions.library import QueryParameterError, load_library, parameter_choices, run_named  # noqa: E402
from graph.store import OxigraphStore, Store  # noqa: E402

CHOICES_PER_PARAMETER = 5


def answers(store: Store) -> Iterator[str]:
    """Lines of text: a header per run, then the columns and the rows."""
    library = load_library()
    for lang in ("da", "en"):
        for qid in sorted(library):
            named = library[qid]
            runs: list[dict[str, str]] = [{}]
            for name, choices in sorted(parameter_choices(store, named, lang).items()):
                runs += [{name: value} for value, _label in choices[:CHOICES_PER_PARAMETER]]
            for params in runs:
                yield f"## {qid} {lang} {sorted(params.items())}"
                try:
                    result = run_named(store, named, params, lang)
                except QueryParameterError as refused:
                    yield f"refused: {refused}"
                    continue
                yield "\t".join(result.columns)
                for row in result.rows:
                    yield "\t".join("" if row[c] is None else str(row[c]) for c in result.columns)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = OxigraphStore(Path(folder) / "store")
        load_into_store(store, [ROOT / "data"], validate=False)
        for line in answers(store):
            print(line)
        store.close()


if __name__ == "__main__":
    main()
