"""Every exercise in notebook order: each notebook's edits first, then its judgement exercise."""

from __future__ import annotations

from .checks import EXERCISES as EDITS
from .judgement import JUDGEMENT
from .tool_exercises import TOOL_EXERCISES

EXERCISES = sorted([*EDITS, *TOOL_EXERCISES, *JUDGEMENT], key=lambda exercise: exercise.notebook)
