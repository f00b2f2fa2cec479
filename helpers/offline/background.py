"""Work the emulator runs in the background, kept per (account, Region): batch jobs (batch.py) and
asynchronous invocations (async_invoke.py) are stored and held the same way.

One lock guards the items and the serial number their ids are made from (so ids are the same on every
run); `pause()` holds work that has not started yet until `resume()`, so a notebook or a test can watch
an item before it runs; each item runs in a daemon thread of its own, named after it."""

from __future__ import annotations

import threading
from collections.abc import Callable


class BackgroundStore:
    """Items of one kind per (account, Region). Subclasses add items under `_lock`, taking their
    place's dict from `_place` and a serial number from `_next_serial`."""

    thread_prefix = "bedrock-background"

    def __init__(self):
        self._items: dict[tuple[str, str], dict] = {}
        self._lock = threading.Lock()
        self._serial = 0
        self._running = threading.Event()
        self._running.set()

    def _place(self, account: str, region: str) -> dict:
        """The items of one account and Region (call with `_lock` held)."""
        return self._items.setdefault((account, region), {})

    def _next_serial(self) -> int:
        """A new serial number for an id (call with `_lock` held)."""
        self._serial += 1
        return self._serial

    def get(self, account: str, region: str, item_id: str):
        with self._lock:
            return self._items.get((account, region), {}).get(item_id)

    def all(self, account: str, region: str) -> list:
        with self._lock:
            return list(self._items.get((account, region), {}).values())

    def pause(self) -> None:
        """Hold work that has not started (batch jobs in Scheduled, invocations InProgress before any
        output) until `resume()`."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def wait_to_run(self, timeout: float | None = None) -> bool:
        """Block while paused (at most `timeout` seconds); whether work may run now."""
        return self._running.wait(timeout)

    def start(self, target: Callable[[], None], item_id: str) -> None:
        threading.Thread(target=target, name=f"{self.thread_prefix}-{item_id}", daemon=True).start()
