"""Faults on demand: make the next N calls fail the way Bedrock fails under load, so notebooks can
teach retries and tests can prove that helpers recover. One plan per in-process client or per server."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from .errors import MSG_THROTTLED, MSG_TOO_MANY_TOKENS, BedrockError

FAULT_MESSAGES = {
    "ThrottlingException": MSG_THROTTLED,
    "TooManyTokens": MSG_TOO_MANY_TOKENS,
    "ModelTimeoutException": "Model has timed out in processing the request. Try your request again.",
    "ServiceUnavailableException": "Bedrock is unable to process your request.",
    "ModelNotReadyException": (
        "Model is not ready to serve inference requests. The AWS SDK will automatically retry the "
        "operation up to 5 times."
    ),
    "InternalServerException": "The server encountered an internal error while processing the request.",
    "ModelErrorException": "The model encountered an error while processing the request. Try again.",
}


@dataclass
class Fault:
    error: str
    remaining: int
    operations: frozenset[str] | None = None  # None: every runtime operation

    def to_error(self) -> BedrockError:
        code = "ThrottlingException" if self.error == "TooManyTokens" else self.error
        return BedrockError(code, FAULT_MESSAGES[self.error])


class FaultPlan:
    """Thread-safe queue of pending faults; each call consumes at most one."""

    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.injected = 0

    def fail_next(self, count: int = 1, error: str = "ThrottlingException", operations=None) -> "FaultPlan":
        if error not in FAULT_MESSAGES:
            raise ValueError(f"Unknown fault {error!r}; choose one of: {', '.join(FAULT_MESSAGES)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.append(Fault(error, count, frozenset(operations) if operations else None))
        return self

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(f.remaining for f in self._faults)

    def take(self, operation: str) -> BedrockError | None:
        with self._lock:
            for fault in self._faults:
                if fault.operations is None or operation in fault.operations:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    self.injected += 1
                    return fault.to_error()
        return None
