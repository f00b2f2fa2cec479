"""Every exercise in notebook order: each notebook's edits first, then its judgement exercise."""

from __future__ import annotations

from .checks import EXERCISES as EDITS
from .judgement import JUDGEMENT

EXERCISES = sorted([*EDITS, *JUDGEMENT], key=lambda exercise: exercise.notebook)
