"""The question library answers on the example graph exactly as the snapshot says, byte for byte.

The snapshot was taken before the layout of graph/ changed (issue 14); a change meant to alter
answers writes it anew with bench/question_answers.py, and its diff is reviewed."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from question_answers import answers  # noqa: E402

SNAPSHOT = ROOT / "tests" / "snapshots" / "question-answers.txt"


def test_every_answer_is_the_snapshot_byte_for_byte(example_store):
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    got = list(answers(example_store))
    assert len(expected) > 1000, "every question, both languages, each offered parameter value"
    first_difference = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), None)
    assert first_difference is None and len(got) == len(expected), (
        f"line {first_difference}: {got[first_difference] if first_difference is not None else len(got)} != "
        f"{expected[first_difference] if first_difference is not None else len(expected)}")
