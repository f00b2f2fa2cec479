"""Issue 10 targets: one emulator server carrying a workshop. 100 learners stream answers at reading
pace (`--stream-delay 0.02`) while 16 more send Converse calls, all over HTTP from client processes
of their own (boto3, one client per process shared by its threads).

1. Errors of any kind, on either side: target 0.
2. p99 time to first event of a ConverseStream (call made -> messageStart seen): target <= 50 ms.
3. The server's peak resident memory during the load: target <= 400 MB.
4. Converse throughput of the 16 callers during the load, against the same 16 callers on the canned
   floor server (bench/canned_server.py, its own process, no load) measured in the same run, as the
   floor's rate over ours: target <= 5x.
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from timing import row  # noqa: E402

MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
STREAMERS, CALLERS, PROCESSES = 100, 16, 4
STREAMS_EACH = 3  # each learner reads three answers in a row
STREAM_DELAY = 0.02
FLOOR_SECONDS = 5.0


def _client(url: str, pool: int):
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, max_pool_connections=pool, read_timeout=60)
    credentials = {"aws_access_key_id": "AKIABENCHWORKSHOP000", "aws_secret_access_key": "x"}
    return boto3.client("bedrock-runtime", region_name="us-east-1", endpoint_url=url, config=config, **credentials)


def _messages(who: int, turn: int) -> list[dict]:
    return [{"role": "user", "content": [{"text": f"Learner {who} asks question {turn} about rivers."}]}]


def _stream(client, who: int, firsts: list, errors: list) -> None:
    for turn in range(STREAMS_EACH):
        try:
            start = time.perf_counter()
            events = client.converse_stream(modelId=MODEL, messages=_messages(who, turn))["stream"]
            last = None
            for index, event in enumerate(events):
                if index == 0:
                    firsts.append(time.perf_counter() - start)
                last = event
            if not last or "metadata" not in last:
                errors.append(f"stream {who}/{turn} ended without metadata")
        except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the benchmark
            errors.append(repr(error)[:200])


def _call(client, who: int, stop: threading.Event, done: list, errors: list, raw_url: str | None) -> None:
    turn = 0
    while not stop.is_set():
        try:
            if raw_url:  # the canned floor answers any POST with the same bytes
                client.converse(modelId=MODEL, messages=_messages(who, turn))
            else:
                assert client.converse(modelId=MODEL, messages=_messages(who, turn))["stopReason"]
            done.append(1)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error)[:200])
        turn += 1


def _worker(url: str, streamers: range, callers: range, seconds: float | None, floor: bool) -> dict:
    """One client process: its share of streamers and callers, each a thread."""
    client = _client(url, len(streamers) + len(callers) + 2)
    firsts, done, errors, stop = [], [], [], threading.Event()
    streams = [threading.Thread(target=_stream, args=(client, who, firsts, errors)) for who in streamers]
    calls = [
        threading.Thread(target=_call, args=(client, who, stop, done, errors, url if floor else None))
        for who in callers
    ]
    start = time.perf_counter()
    for thread in streams + calls:
        thread.start()
    if seconds is None:
        for thread in streams:
            thread.join()
    else:
        time.sleep(seconds)
    stop.set()
    for thread in calls:
        thread.join()
    return {"firsts": firsts, "calls": len(done), "seconds": time.perf_counter() - start, "errors": errors}


def _split(count: int) -> list[range]:
    return [range(count * i // PROCESSES, count * (i + 1) // PROCESSES) for i in range(PROCESSES)]


def _run_clients(url: str, streamers: int, callers: int, seconds: float | None, floor: bool = False) -> dict:
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        jobs = [
            pool.apply_async(_worker, (url, s, c, seconds, floor)) for s, c in zip(_split(streamers), _split(callers))
        ]
        results = [job.get(timeout=600) for job in jobs]
    return {
        "firsts": [f for r in results for f in r["firsts"]],
        "rate": sum(r["calls"] / r["seconds"] for r in results),
        "errors": [e for r in results for e in r["errors"]],
    }


def _start(command: list[str]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=str(REPO))
    for line in process.stdout:
        if "http://" in line:
            return process, next(word for word in line.split() if word.startswith("http://"))
    raise RuntimeError(f"{command} printed no URL")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _canned_body() -> Path:
    from helpers.offline import Emulator, attach

    client = _client("http://127.0.0.1:9", 2)
    attach(client, Emulator())
    answer = client.converse(modelId=MODEL, messages=_messages(0, 0))
    body = json.dumps({k: v for k, v in answer.items() if k != "ResponseMetadata"}).encode()
    path = Path(tempfile.mkdtemp()) / "converse.json"
    path.write_bytes(body)
    return path


def run() -> list[dict]:
    floor_server, floor_url = _start([sys.executable, str(HERE / "canned_server.py"), str(_canned_body())])
    try:
        floor = _run_clients(floor_url, 0, CALLERS, FLOOR_SECONDS, floor=True)
    finally:
        floor_server.terminate()
        floor_server.wait(timeout=10)
    command = [sys.executable, "-m", "helpers.offline", "--port", "0", "--stream-delay", str(STREAM_DELAY)]
    server, url = _start(command)
    try:
        load = _run_clients(url, STREAMERS, CALLERS, None)
        peak = _peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    errors = floor["errors"] + load["errors"]
    firsts = sorted(load["firsts"])
    p99 = firsts[min(len(firsts) - 1, int(len(firsts) * 0.99))] * 1e3
    streams = f"{len(firsts)} streams of {STREAMERS * STREAMS_EACH}"
    return [
        row("workshop: errors (100 streaming + 16 Converse clients)", len(errors), "", 0, "; ".join(errors[:3])),
        row(
            "workshop: p99 time to first stream event",
            p99,
            "ms",
            50,
            f"median {statistics.median(firsts) * 1e3:.1f} ms over {streams}",
        ),
        row("workshop: server peak memory", peak, "MB", 400, "VmHWM of the server process"),
        row(
            "workshop: Converse throughput, canned floor / emulator under load",
            floor["rate"] / load["rate"],
            "x",
            5,
            f"{load['rate']:.0f} calls/s beside {STREAMERS} streams vs {floor['rate']:.0f} calls/s on the floor",
        ),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    for r in run():
        print(r)
