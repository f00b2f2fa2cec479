"""Streamed responses: a lazy sequence of events becomes event-stream frames, one HTTP chunk each.

Frames are produced only when the transport asks for the next chunk, so the server flushes the first
delta before the last one exists. The emulator's `stream_delay` paces events (to make streaming
visible in JupyterLab), and a pending stream fault from the call's FaultPlan cuts the stream after N
events with an exception frame, as Bedrock does when a model fails mid-answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator

from . import eventstream
from .wire import Response

CONTENT_TYPE = "application/vnd.amazon.eventstream"
INTERNAL_ERROR = "The server encountered an internal error."
log = logging.getLogger(__name__)


def _frames(call, events: Iterable[tuple[str, dict]]) -> Iterator[bytes]:
    fault = call.faults.take_stream(call.operation)
    delay = call.emulator.stream_delay
    try:
        for sent, (event_type, payload) in enumerate(events):
            if fault is not None and sent == fault.after:
                yield eventstream.exception_frame(fault.error, fault.payload())
                return
            if delay and sent:
                time.sleep(delay)
            yield eventstream.event_frame(event_type, payload)
    except Exception:  # a bug of ours after the 200 went out: end the stream the way Bedrock would
        log.exception("offline emulator failed inside a %s stream", call.operation)
        yield eventstream.exception_frame("internalServerException", {"message": INTERNAL_ERROR})
        return
    if fault is not None:  # asked to fail after more events than the answer has: fail at the end
        yield eventstream.exception_frame(fault.error, fault.payload())


def stream_response(call, events: Iterable[tuple[str, dict]], headers: dict | None = None) -> Response:
    """HTTP 200 with an event-stream body; the events are encoded lazily as the client reads."""
    base = {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": call.request.request_id()}
    base.update(headers or {})
    return Response(200, base, _frames(call, events))
