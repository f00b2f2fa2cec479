"""Issue 15 targets: a 10,000-record batch job end to end, against the same prompts as 10,000 sequential
in-process Converse calls, and the job's memory as the job grows.

- Throughput: records per second of a job (create, run, write outputs and manifest to S3) over the
  records per second of a loop of `converse` calls from one in-process client: target >= 1x (a job must
  not be slower than the loop it replaces).
- Memory: the peak Python memory traced while the job runs (tracemalloc, all threads), for 10,000 records
  over 2,500 records: target <= 2x (4x would mean memory grows with the job; it is bounded by a chunk of
  records and the upload buffer).
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc

import boto3
from botocore.config import Config

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from timing import row  # noqa: E402

os.environ["BEDROCK_MODE"] = "offline"
# moto keeps an object in memory up to this size, then on disk: small, so the traced peak is the job's own.
os.environ.setdefault("MOTO_S3_DEFAULT_KEY_BUFFER_SIZE", str(256 * 1024))

from helpers import batch  # noqa: E402
from helpers.offline import Emulator, attach  # noqa: E402

MODEL = "amazon.nova-lite-v1:0"
ROLE = "arn:aws:iam::123456789012:role/BenchBatch"
KEYS = {"aws_access_key_id": "AKIABENCHBATCH000000", "aws_secret_access_key": "bench"}
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


def prompts(count: int) -> list[str]:
    return [f"Classify the sentiment of review {n}: the kettle boils fast." for n in range(count)]


def clients(emulator: Emulator):
    made = {}
    for service, extra in (("bedrock", {}), ("bedrock-runtime", {}), ("s3", {"s3": {"addressing_style": "path"}})):
        client = boto3.client(service, region_name="us-east-1", config=NO_RETRY.merge(Config(**extra)), **KEYS)
        attach(client, emulator)
        made[service] = client
    return made["bedrock"], made["bedrock-runtime"], made["s3"]


def upload(emulator: Emulator, count: int, name: str) -> str:
    _, _, s3 = clients(emulator)
    s3.create_bucket(Bucket=f"bench-batch-{name}")
    rows = batch.records(prompts(count), MODEL, max_tokens=40)
    return batch.upload(s3, rows, f"s3://bench-batch-{name}/in/reviews.jsonl")


def run_job(emulator: Emulator, uri: str, count: int, name: str) -> float:
    """Seconds from create to the job's end (input uploaded beforehand)."""
    control, _, _ = clients(emulator)
    bucket = uri[len("s3://") :].split("/")[0]
    start = time.perf_counter()
    arn = batch.submit(control, name, MODEL, ROLE, uri, f"s3://{bucket}/out/")
    job = batch.wait(control, arn, timeout=3600, poll=0.05, on_change=None)
    elapsed = time.perf_counter() - start
    assert job["status"] == "Completed" and job["successRecordCount"] == count, job
    return elapsed


def converse_loop(emulator: Emulator, count: int) -> float:
    _, runtime, _ = clients(emulator)
    start = time.perf_counter()
    for text in prompts(count):
        runtime.converse(
            modelId=MODEL, messages=[{"role": "user", "content": [{"text": text}]}], inferenceConfig={"maxTokens": 40}
        )
    return time.perf_counter() - start


def job_peak(count: int, name: str) -> int:
    """Peak bytes traced (all threads) while a job of `count` records runs, its input already in S3."""
    emulator = Emulator()
    uri = upload(emulator, count, name)
    tracemalloc.start()
    try:
        run_job(emulator, uri, count, name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def run() -> list[dict]:
    count = 10_000
    emulator = Emulator()
    job_seconds = run_job(emulator, upload(emulator, count, "throughput"), count, "throughput")
    loop_seconds = converse_loop(Emulator(), count)
    job_rate, loop_rate = count / job_seconds, count / loop_seconds
    small, large = job_peak(2_500, "memory-small"), job_peak(count, "memory-large")
    return [
        {
            "name": "batch: 10,000-record job, records/s over a sequential Converse loop's calls/s",
            "value": job_rate / loop_rate,
            "unit": "x",
            "target": ">= 1x",
            "ok": job_rate >= loop_rate,
            "note": f"job {job_rate:,.0f} records/s end to end, Converse loop {loop_rate:,.0f} calls/s",
        },
        row(
            "batch: traced peak memory, 10,000 records / 2,500 records",
            large / small,
            "x",
            2.0,
            note=f"peak {small / 2**20:.1f} MB for 2,500 records, {large / 2**20:.1f} MB for 10,000",
        ),
    ]
