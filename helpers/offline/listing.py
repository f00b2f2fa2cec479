"""List operations' query strings and pages, read one way for every control-plane list.

Query members arrive as strings: the named ones are picked out and `maxResults` becomes an integer
before the service model's shape checks run. Pages are cut by a `nextToken` that encodes the next
start index, which is all a deterministic emulator needs; a token it did not make is refused with the
message ListInferenceProfiles answers here.
"""

from __future__ import annotations

import base64
import datetime as dt

from .errors import BedrockError

SUBMIT_TIMES = ("submitTimeAfter", "submitTimeBefore")  # ListModelInvocationJobs' and ListAsyncInvokes' bounds
MSG_BAD_TOKEN = "The provided pagination token is invalid."
MSG_MAX_RESULTS = "maxResults must be an integer."


def query(request, names) -> dict:
    """The named query members the request carries, `maxResults` as an integer."""
    values = {name: request.query_value(name) for name in names}
    found = {name: value for name, value in values.items() if value is not None}
    if "maxResults" in found:
        try:
            found["maxResults"] = int(found["maxResults"])
        except ValueError:
            raise BedrockError.validation(MSG_MAX_RESULTS) from None
    return found


def timestamps(found: dict, names) -> dict[str, dt.datetime]:
    """Take the named ISO 8601 members out of a query, parsed (the shapes cannot check them as strings)."""
    parsed = {}
    for name in names:
        if name in found:
            try:
                parsed[name] = dt.datetime.fromisoformat(found.pop(name).replace("Z", "+00:00"))
            except ValueError:
                raise BedrockError.validation(f"{name} must be a timestamp in ISO 8601 format.") from None
    return parsed


def status_and_submit_time_match(found: dict, status: str, submitted: dt.datetime) -> bool:
    """The filters batch jobs and asynchronous invocations share: `statusEquals`, and a submit time
    strictly inside `submitTimeAfter` and `submitTimeBefore` (parsed by `timestamps`)."""
    return (
        found.get("statusEquals") in (None, status)
        and ("submitTimeAfter" not in found or submitted > found["submitTimeAfter"])
        and ("submitTimeBefore" not in found or submitted < found["submitTimeBefore"])
    )


def newest_first(found: dict) -> bool:
    """Whether a list sorted by submission time runs newest first: unless `sortOrder` is Ascending."""
    return found.get("sortOrder", "Descending") != "Ascending"


def page(items: list, found: dict, default_size: int) -> tuple[list, str | None]:
    """One page of `items` from the query's `maxResults` and `nextToken`, and the next page's token."""
    size, start = found.get("maxResults", default_size), 0
    if found.get("nextToken"):
        try:
            start = int(base64.urlsafe_b64decode(found["nextToken"].encode()).decode())
        except (ValueError, UnicodeDecodeError):
            raise BedrockError.validation(MSG_BAD_TOKEN) from None
    more = start + size < len(items)
    token = base64.urlsafe_b64encode(str(start + size).encode()).decode() if more else None
    return items[start : start + size], token
