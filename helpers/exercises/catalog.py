"""Every exercise in notebook order: each notebook's edits first, then its judgement exercise.

A notebook whose exercises live in a module of their own (tool_exercises.py and the like) adds three
lines here: its edits, its judgement exercise and its sample data. Nothing else needs to know it exists.
"""

from __future__ import annotations

from . import judgement, tool_exercises
from .checks import EXERCISES as CHECK_EDITS

EDITS = [*CHECK_EDITS, *tool_exercises.TOOL_EDITS]
JUDGEMENTS = [*judgement.JUDGEMENT, *tool_exercises.TOOL_JUDGEMENT]
SAMPLES = {**judgement.SAMPLES, **tool_exercises.TOOL_SAMPLES}  # data shown by `exercises.sample(id)`

EXERCISES = sorted([*EDITS, *JUDGEMENTS], key=lambda exercise: exercise.notebook)
