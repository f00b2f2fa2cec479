"""Every exercise in notebook order: each notebook's edits first, then its judgement exercise.

A notebook whose exercises live in a module of their own (tool_exercises.py and the like) adds three
lines here: its edits, its judgement exercise and its sample data. Nothing else needs to know it exists.
"""

from __future__ import annotations

from . import batch_exercises, feature_exercises, guardrail_exercises, judgement, tool_exercises
from .checks import EXERCISES as CHECK_EDITS

EDITS = [
    *CHECK_EDITS,
    *tool_exercises.TOOL_EDITS,
    *feature_exercises.FEATURE_EDITS,
    *guardrail_exercises.GUARDRAIL_EDITS,
    *batch_exercises.BATCH_EDITS,
]
JUDGEMENTS = [
    *judgement.JUDGEMENT,
    *tool_exercises.TOOL_JUDGEMENT,
    *feature_exercises.FEATURE_JUDGEMENT,
    *guardrail_exercises.GUARDRAIL_JUDGEMENT,
    *batch_exercises.BATCH_JUDGEMENT,
]
# Data shown by `exercises.sample(id)`.
SAMPLES = {
    **judgement.SAMPLES,
    **tool_exercises.TOOL_SAMPLES,
    **feature_exercises.FEATURE_SAMPLES,
    **guardrail_exercises.GUARDRAIL_SAMPLES,
    **batch_exercises.BATCH_SAMPLES,
}

EXERCISES = sorted([*EDITS, *JUDGEMENTS], key=lambda exercise: exercise.notebook)
