"""Faults on demand: make the next N calls fail the way Bedrock fails under load, so notebooks can
teach retries and tests can prove that helpers recover. One plan per in-process client or per server."""

from __future__ import annotations

import threading
from collections import OrderedDict
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


MAX_COUNT = 1000  # calls one request may fail; a plan is for a lesson, not for breaking a server
MAX_AFTER = 100_000  # events before a stream breaks


def _whole_number(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return value


def _operations(operations) -> frozenset[str] | None:
    """None (every runtime operation) or a set of operation names the emulator serves."""
    if operations is None:
        return None
    if isinstance(operations, (str, bytes)) or not hasattr(operations, "__iter__"):
        raise ValueError('operations must be a list of operation names, e.g. ["Converse"]')
    from .wire import ROUTER  # the routes registered by the operation modules

    served = sorted({route.operation for route in ROUTER.routes if route.service == "bedrock-runtime"})
    names = list(operations)
    for name in names:
        if name not in served:
            raise ValueError(f"Unknown operation {name!r}; choose from: {', '.join(served)}")
    return frozenset(names) or None


@dataclass
class Fault:
    error: str
    remaining: int
    operations: frozenset[str] | None = None  # None: every runtime operation

    def to_error(self) -> BedrockError:
        code = "ThrottlingException" if self.error == "TooManyTokens" else self.error
        return BedrockError(code, FAULT_MESSAGES[self.error])


# Errors that can arrive inside an event stream, by stream member name (the `:exception-type`).
STREAM_FAULT_MESSAGES = {
    "throttlingException": MSG_THROTTLED,
    "modelStreamErrorException": "The model stream was interrupted by an error in the model. Try your request again.",
    "validationException": "Input is too long for requested model.",
    "internalServerException": FAULT_MESSAGES["InternalServerException"],
    "serviceUnavailableException": FAULT_MESSAGES["ServiceUnavailableException"],
    "modelTimeoutException": FAULT_MESSAGES["ModelTimeoutException"],  # InvokeModelWithResponseStream only
}


@dataclass
class StreamFault:
    """Break the next stream after `after` events with `error`, framed as `:message-type exception`."""

    error: str
    after: int
    operations: frozenset[str] | None = None

    @property
    def message(self) -> str:
        return STREAM_FAULT_MESSAGES[self.error]

    def payload(self) -> dict:
        if self.error == "modelStreamErrorException":  # carries what the model itself reported
            return {"message": self.message, "originalStatusCode": 500, "originalMessage": "Model stream error."}
        return {"message": self.message}


class FaultPlan:
    """Thread-safe queue of pending faults; each call consumes at most one."""

    def __init__(self):
        self._faults: list[Fault] = []
        self._stream_faults: list[StreamFault] = []
        self._lock = threading.Lock()
        self.injected = 0

    def fail_stream(self, after: int = 3, error: str = "modelStreamErrorException", operations=None) -> FaultPlan:
        """Make the next streamed response fail after `after` events (0: before the first)."""
        if not isinstance(error, str) or error not in STREAM_FAULT_MESSAGES:
            raise ValueError(f"Unknown stream fault {error!r}; choose one of: {', '.join(STREAM_FAULT_MESSAGES)}")
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise ValueError("after must be a whole number of events, 0 or more")
        _whole_number("after", after, 0, MAX_AFTER)
        chosen = _operations(operations)
        if error == "modelTimeoutException" and not chosen:  # not a ConverseStream member
            chosen = frozenset({"InvokeModelWithResponseStream"})
        with self._lock:
            self._stream_faults.append(StreamFault(error, after, chosen))
        return self

    def take_stream(self, operation: str) -> StreamFault | None:
        with self._lock:
            for fault in self._stream_faults:
                if fault.operations is None or operation in fault.operations:
                    self._stream_faults.remove(fault)
                    self.injected += 1
                    return fault
        return None

    def fail_next(self, count: int = 1, error: str = "ThrottlingException", operations=None) -> FaultPlan:
        if not isinstance(error, str) or error not in FAULT_MESSAGES:
            raise ValueError(f"Unknown fault {error!r}; choose one of: {', '.join(FAULT_MESSAGES)}")
        if not isinstance(count, bool) and isinstance(count, int) and count < 1:
            raise ValueError("count must be at least 1")
        _whole_number("count", count, 1, MAX_COUNT)
        chosen = _operations(operations)
        with self._lock:
            self._faults.append(Fault(error, count, chosen))
        return self

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._stream_faults.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(f.remaining for f in self._faults) + len(self._stream_faults)

    def take(self, operation: str) -> BedrockError | None:
        if not self._faults:  # the usual case, asked on every call: no lock needed to see it
            return None
        with self._lock:
            for fault in self._faults:
                if fault.operations is None or operation in fault.operations:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    self.injected += 1
                    return fault.to_error()
        return None


class FaultPlans:
    """One fault plan per caller (the access key id that signed the request), so learners sharing
    a workshop server inject faults for themselves only. Bounded: the least recently used plan
    goes first when more callers than `capacity` have asked for faults."""

    def __init__(self, capacity: int = 1024):
        self.capacity = capacity
        self._plans: OrderedDict[str | None, FaultPlan] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, caller: str | None) -> FaultPlan:
        """The caller's plan, created on first use (for arming faults)."""
        with self._lock:
            plan = self._plans.get(caller)
            if plan is None:
                plan = self._plans[caller] = FaultPlan()
                if len(self._plans) > self.capacity:
                    self._plans.popitem(last=False)
            self._plans.move_to_end(caller)
            return plan

    def get(self, caller: str | None) -> FaultPlan | None:
        """The caller's plan if they armed one (for answering calls)."""
        with self._lock:
            return self._plans.get(caller)
