"""The emulator's clock: which models exist, are Legacy or have reached end of life on a given day.

Bedrock retires models on dates it publishes (the "Model lifecycle" pages); a notebook written in
2024 meets a different service in 2026. The catalog records each model's launch, Legacy and EOL
dates and its own "as of" day; the clock defaults to that day so outputs stay deterministic, and
`BEDROCK_OFFLINE_AS_OF` (or `python -m helpers.offline --as-of`) replays another day.

A Legacy model refuses callers who have not used it lately. Offline there is no usage history, so
the caller says which Legacy models it counts as an active user of:
`BEDROCK_OFFLINE_ACTIVE_USER_OF=model-id,model-id` (or `*`), `--active-user-of` on the server.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass, field

from .errors import MSG_INVALID_MODEL, BedrockError

AS_OF_ENV = "BEDROCK_OFFLINE_AS_OF"
ACTIVE_USER_ENV = "BEDROCK_OFFLINE_ACTIVE_USER_OF"

# AWS "Model lifecycle" pages and shared/bedrock-facts.md, read 2026-11-30.
MSG_END_OF_LIFE = (
    "This model version has reached the end of its life. Please refer to the AWS documentation for more details."
)
# Wording from shared/bedrock-facts.md; no public page quoting it was found (unconfirmed wording).
MSG_LEGACY = (
    "Access denied. This Model is marked by provider as Legacy and you have not been actively using the model "
    "in the last 30 days. Please upgrade to an active model on Amazon Bedrock"
)

ACTIVE, LEGACY, EOL, UNLAUNCHED = "ACTIVE", "LEGACY", "EOL", "UNLAUNCHED"


def parse_day(value: str | dt.date, what: str = AS_OF_ENV) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{what} must be a date as YYYY-MM-DD, not {value!r}.") from None


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def status(model: dict, day: dt.date) -> str:
    """ACTIVE, LEGACY, EOL or UNLAUNCHED on `day`, from the model's dated lifecycle. Where only a
    "reported by" day is known (`legacyReportedBy`, `eolReportedBy`), the state starts that day."""
    life = model.get("lifecycle") or {}
    launch = _day(life.get("launch"))
    legacy = _day(life.get("legacy")) or _day(life.get("legacyReportedBy"))
    eol = _day(life.get("eol")) or _day(life.get("eolReportedBy"))
    if launch and day < launch:
        return UNLAUNCHED
    if eol and day >= eol:
        return EOL
    if legacy and day >= legacy:
        return LEGACY
    return ACTIVE


class Ticker:
    """Seconds within the emulator's day, for what expires in minutes (the prompt cache). It follows
    the machine's monotonic clock, so a learner who waits six minutes sees a 5-minute entry expire,
    and `advance` moves it forward without waiting (tests, notebooks)."""

    def __init__(self):
        self._start = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.monotonic() - self._start + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("The emulator's clock only moves forward.")
        with self._lock:
            self._offset += seconds


@dataclass(frozen=True)
class Clock:
    day: dt.date
    active_user_of: frozenset[str] = field(default_factory=frozenset)
    ticker: Ticker = field(default_factory=Ticker, compare=False, repr=False)

    def now(self) -> float:
        """Seconds on the emulator's clock (see Ticker)."""
        return self.ticker.now()

    def advance(self, seconds: float) -> None:
        """Move the clock forward, e.g. `emulator.clock.advance(301)` to expire a 5-minute cache entry."""
        self.ticker.advance(seconds)

    @classmethod
    def from_env(cls, default_day: str, environ=os.environ) -> Clock:
        """The clock the environment asks for, else the catalog's own day."""
        day = parse_day(environ.get(AS_OF_ENV) or default_day)
        users = frozenset(filter(None, (s.strip() for s in environ.get(ACTIVE_USER_ENV, "").split(","))))
        return cls(day, users)

    def status(self, model: dict) -> str:
        return status(model, self.day)

    def listed(self, model: dict) -> bool:
        """ListFoundationModels shows ACTIVE and LEGACY models; after EOL a model is only on the docs page."""
        return self.status(model) in (ACTIVE, LEGACY)

    def check_exists(self, model: dict) -> None:
        if self.status(model) == UNLAUNCHED:
            raise BedrockError.validation(MSG_INVALID_MODEL)

    def check_invocable(self, model: dict) -> None:
        """Bedrock's answer to an inference call on a model that is not ACTIVE on this day."""
        state = self.status(model)
        if state == UNLAUNCHED:
            raise BedrockError.validation(MSG_INVALID_MODEL)
        if state == EOL:
            raise BedrockError("ResourceNotFoundException", MSG_END_OF_LIFE)
        if state == LEGACY and not ({"*", model["modelId"]} & self.active_user_of):
            raise BedrockError("ResourceNotFoundException", MSG_LEGACY)
