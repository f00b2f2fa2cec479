"""Workbook exercises: build something, then `check` it; ask for a `hint` when stuck.

    from helpers.exercises import check, hint
    request = {...}                      # your answer
    check("03-request", request)         # prints 'Correct: ...' or 'Not yet: <what exactly is wrong>'
    hint("03-request")

Checks read the structure you built (requests, messages, content blocks, parsed streams), not a
model's wording, so they work the same offline and live. An unanswered exercise (None or ...) says
"not yet" instead of failing, so a notebook always runs top to bottom. Reference solutions live in
`helpers.exercises.solutions`, outside the notebooks.
"""

from __future__ import annotations

import copy

from . import catalog
from .catalog import EXERCISES
from .checks import Exercise, NotYet, stream_sample

BY_ID = {exercise.id: exercise for exercise in EXERCISES}
_hints_shown: dict[str, int] = {}


def exercise(exercise_id: str) -> Exercise:
    if exercise_id not in BY_ID:
        raise ValueError(f"No exercise {exercise_id!r}; the exercises are: {', '.join(BY_ID)}.")
    return BY_ID[exercise_id]


def ids(notebook: str | None = None) -> list[str]:
    """Exercise ids, all or those of one notebook ('03')."""
    return [e.id for e in EXERCISES if notebook is None or e.notebook == notebook]


def problem(exercise_id: str, value) -> str | None:
    """What is wrong with `value` (one precise sentence), or None when it is right."""
    task = exercise(exercise_id)
    if value is None or value is ...:
        return f"replace the ... with your answer. Task: {task.task}"
    try:
        task.check(value)
    except NotYet as wrong:
        return str(wrong)
    except Exception as error:  # a value too odd to inspect is still just "not yet"
        return f"could not read your answer ({type(error).__name__}: {error})."
    return None


def check(exercise_id: str, value) -> None:
    """Print 'Correct: ...' or 'Not yet: ...' (returns nothing, so a notebook cell shows only that line;
    `problem()` gives the verdict as a value)."""
    wrong = problem(exercise_id, value)
    print(f"Correct: {exercise(exercise_id).done}" if wrong is None else f"Not yet: {wrong}")


def hint(exercise_id: str) -> None:
    """Print the next hint (each call reveals one more)."""
    hints = exercise(exercise_id).hints
    shown = _hints_shown.get(exercise_id, 0)
    print(f"Hint {min(shown, len(hints) - 1) + 1}/{len(hints)}: {hints[min(shown, len(hints) - 1)]}")
    _hints_shown[exercise_id] = shown + 1


def sample(exercise_id: str):
    """Input data an exercise works on (the streamed events of 07, the choices of a judgement exercise)."""
    if exercise_id in ("07-collect", "07-stop-reason"):
        return stream_sample()
    if exercise_id in catalog.SAMPLES:
        return copy.deepcopy(catalog.SAMPLES[exercise_id])
    raise ValueError(f"Exercise {exercise_id!r} has no sample data.")


__all__ = ["check", "hint", "problem", "sample", "ids", "exercise", "EXERCISES", "Exercise", "NotYet"]
