"""Batch inference offline, through real clients: boto3 in-process and over HTTP with nothing but
AWS_ENDPOINT_URL, and the AWS CLI. S3 is moto's behind the emulator's endpoint; every job reads its JSONL
from S3 and writes Bedrock's output layout back."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from test_aws_cli import aws_cli

from conftest import DUMMY, NO_RETRY, REGION, error_of
from helpers import batch as helper
from helpers.exercises import batch_exercises, solutions
from helpers.offline import attach, batch_run
from helpers.offline import batch as jobs
from helpers.offline.errors import MSG_INVALID_MODEL
from helpers.paths import DATA

MODEL = "amazon.nova-lite-v1:0"
ROLE = "arn:aws:iam::123456789012:role/BatchInferenceRole"
BAD_BODY = {"messages": "not a list"}  # a Nova body InvokeModel refuses
MSG_BAD_BODY = (
    "Malformed input request: #/messages: expected type: JSONArray, found: String, please reformat your input "
    "and try again."
)
ENDED = ("Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired")


def bucket_for(request) -> str:
    """A bucket of the test's own: moto's S3 is one store per process."""
    return "batch-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:20]


def prompts(count: int) -> list[str]:
    return [f"Classify the sentiment of review {n}: the kettle is great." for n in range(count)]


def lines_with_bad(count: int = 120, bad=(5, 77)) -> list[dict]:
    rows = helper.records(prompts(count), MODEL, max_tokens=40)
    for index in bad:
        rows[index]["modelInput"] = BAD_BODY
    return rows


@pytest.fixture
def s3(emulator):
    client = boto3.client("s3", region_name=REGION, config=Config(s3={"addressing_style": "path"}), **DUMMY)
    attach(client, emulator)
    return client


@pytest.fixture
def bucket(s3, request):
    name = bucket_for(request)
    s3.create_bucket(Bucket=name)
    return name


def put(s3, bucket: str, rows, key: str = "in/reviews.jsonl") -> None:
    body = rows if isinstance(rows, bytes) else helper.to_jsonl(rows)
    s3.put_object(Bucket=bucket, Key=key, Body=body)


def create(control, bucket: str, name: str = "reviews", source: str = "in/", **options) -> str:
    return control.create_model_invocation_job(
        jobName=name,
        roleArn=ROLE,
        modelId=options.pop("modelId", MODEL),
        inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://{bucket}/{source}"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/out/"}},
        **options,
    )["jobArn"]


def finish(control, arn: str, timeout: float = 60) -> tuple[dict, list[str]]:
    """The job once ended, and every status it was seen in."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = control.get_model_invocation_job(jobIdentifier=arn)
        if not seen or seen[-1] != job["status"]:
            seen.append(job["status"])
        if job["status"] in ENDED:
            return job, seen
        time.sleep(0.005)
    raise AssertionError(f"the job never ended: {seen}")


def read_lines(s3, bucket: str, key: str) -> list[dict]:
    return [json.loads(line) for line in s3.get_object(Bucket=bucket, Key=key)["Body"].read().splitlines()]


# ---- end to end ---------------------------------------------------------------------------------
def test_a_job_runs_every_record_in_order_with_errors_and_a_manifest(control, s3, bucket):
    rows = lines_with_bad()
    put(s3, bucket, rows)
    arn = create(control, bucket)
    job, seen = finish(control, arn)
    assert seen[0] in ("Submitted", "Validating") and seen[-1] == "Completed"  # failed records do not end it otherwise
    assert job["totalRecordCount"] == 120 and job["successRecordCount"] == 118 and job["errorRecordCount"] == 2
    job_id = arn.rsplit("/", 1)[1]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="out/")["Contents"])
    assert keys == [f"out/{job_id}/manifest.json.out", f"out/{job_id}/reviews.jsonl.out"]
    out = read_lines(s3, bucket, f"out/{job_id}/reviews.jsonl.out")
    assert [line["recordId"] for line in out] == [row["recordId"] for row in rows]
    assert [line["modelInput"] for line in out] == [row["modelInput"] for row in rows]
    errors = [line for line in out if "error" in line]
    assert [line["recordId"] for line in errors] == ["REC00006", "REC00078"]
    assert errors[0]["error"] == {"errorCode": 400, "errorMessage": MSG_BAD_BODY}
    good = [line for line in out if "modelOutput" in line]
    assert all(line["modelOutput"]["output"]["message"]["role"] == "assistant" for line in good)
    manifest = read_lines(s3, bucket, f"out/{job_id}/manifest.json.out")[0]
    assert manifest == {
        "totalRecordCount": 120,
        "processedRecordCount": 120,
        "successRecordCount": 118,
        "errorRecordCount": 2,
        "inputTokenCount": sum(line["modelOutput"]["usage"]["inputTokens"] for line in good),
        "outputTokenCount": sum(line["modelOutput"]["usage"]["outputTokens"] for line in good),
    }
    assert manifest["inputTokenCount"] > 0 and manifest["outputTokenCount"] > 0


def test_the_same_input_gives_the_same_output_bytes(control, s3, bucket):
    put(s3, bucket, lines_with_bad())
    outputs = []
    for name in ("first", "second"):
        arn = create(control, bucket, name=name)
        assert finish(control, arn)[0]["status"] == "Completed"
        key = f"out/{arn.rsplit('/', 1)[1]}/reviews.jsonl.out"
        outputs.append(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert outputs[0] == outputs[1]


def test_converse_jobs_take_converse_bodies_and_write_converse_responses(control, s3, bucket):
    rows = [
        {"recordId": f"C{n:04d}", "modelInput": {"messages": [{"role": "user", "content": [{"text": p}]}]}}
        for n, p in enumerate(prompts(100))
    ]
    put(s3, bucket, rows)
    arn = create(control, bucket, modelInvocationType="Converse")
    job, _ = finish(control, arn)
    assert job["status"] == "Completed" and job["modelInvocationType"] == "Converse"
    out = read_lines(s3, bucket, f"out/{arn.rsplit('/', 1)[1]}/reviews.jsonl.out")
    assert out[0]["modelOutput"]["stopReason"] == "end_turn" and "metrics" in out[0]["modelOutput"]


def test_records_without_an_id_get_one_and_every_file_of_a_folder_is_read(control, s3, bucket):
    rows = helper.records(prompts(100), MODEL)
    put(s3, bucket, rows[:60], key="in/a.jsonl")
    put(s3, bucket, [{"modelInput": row["modelInput"]} for row in rows[60:]], key="in/b.jsonl")
    put(s3, bucket, b"ignored: not a .jsonl file", key="in/notes.txt")
    arn = create(control, bucket)
    job, _ = finish(control, arn)
    assert job["status"] == "Completed" and job["totalRecordCount"] == 100
    job_id = arn.rsplit("/", 1)[1]
    second = read_lines(s3, bucket, f"out/{job_id}/b.jsonl.out")
    assert len(second) == 40 and all(len(line["recordId"]) == 11 and line["recordId"].isalnum() for line in second)
    assert len(read_lines(s3, bucket, f"out/{job_id}/a.jsonl.out")) == 60


def test_a_job_whose_every_record_fails_has_failed(control, s3, bucket):
    rows = lines_with_bad(100, bad=range(100))
    put(s3, bucket, rows)
    job, _ = finish(control, create(control, bucket))
    assert (job["status"], job["message"], job["errorRecordCount"]) == ("Failed", jobs.MSG_ALL_FAILED, 100)


# ---- validation while the job is Validating -------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (helper.to_jsonl(helper.records(prompts(99), MODEL)), jobs.MSG_TOO_FEW),
        (b'{"recordId": "A1", "modelInput": {}}\nnot json\n', jobs.msg_bad_line("reviews.jsonl", 2)),
        (b'{"recordId": "A1", "modelInput": "text"}\n', jobs.msg_bad_line("reviews.jsonl", 1)),
    ],
)
def test_input_that_breaks_the_rules_fails_the_job_with_a_message(control, s3, bucket, content, message):
    put(s3, bucket, content)
    job, seen = finish(control, create(control, bucket))
    assert (job["status"], job["message"]) == ("Failed", message)
    assert "InProgress" not in seen and "endTime" in job


def test_a_missing_input_fails_the_job(control, s3, bucket):
    job, _ = finish(control, create(control, bucket, source="nothing-here/"))
    assert (job["status"], job["message"]) == ("Failed", jobs.MSG_NO_INPUT)
    job, _ = finish(control, create(control, "no-such-bucket-for-batch", name="nobucket"))
    assert (job["status"], job["message"]) == ("Failed", jobs.MSG_NO_BUCKET)


def test_the_record_limits_are_checked(control, s3, bucket, monkeypatch):
    monkeypatch.setattr(jobs, "MAX_RECORDS_PER_FILE", 100)
    put(s3, bucket, helper.records(prompts(101), MODEL))
    job, _ = finish(control, create(control, bucket))
    assert (job["status"], job["message"]) == ("Failed", jobs.MSG_TOO_MANY_IN_FILE)


# ---- the create call's own validation ------------------------------------------------------------
PATTERN_S3 = "s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](?:/[-!_*'().a-z0-9A-Z]+(?:/[-!_*'().a-z0-9A-Z]+)*)?/?"


@pytest.mark.parametrize(
    ("member", "value", "message"),
    [
        (
            "jobName",
            "bad name!",
            "1 validation error detected: Value 'bad name!' at 'jobName' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}",
        ),
        (
            "roleArn",
            "arn:aws:iam::123456789012:user/bob",
            "1 validation error detected: Value 'arn:aws:iam::123456789012:user/bob' at 'roleArn' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+",
        ),
        (
            "inputDataConfig",
            {"s3InputDataConfig": {"s3Uri": "https://bucket/in/"}},
            "1 validation error detected: Value 'https://bucket/in/' at 'inputDataConfig.s3InputDataConfig.s3Uri' "
            f"failed to satisfy constraint: Member must satisfy regular expression pattern: {PATTERN_S3}",
        ),
        (
            "timeoutDurationInHours",
            200,
            "1 validation error detected: Value '200' at 'timeoutDurationInHours' failed to satisfy constraint: "
            "Member must have value less than or equal to 168",
        ),
        (
            "modelInvocationType",
            "Chat",
            "1 validation error detected: Value 'Chat' at 'modelInvocationType' failed to satisfy constraint: Member "
            "must satisfy enum value set: [InvokeModel, Converse]",
        ),
        ("modelId", "amazon.nova-nonexistent-v9:0", MSG_INVALID_MODEL),
    ],
)
def test_create_refuses_what_bedrock_refuses(control, member, value, message):
    request = {
        "jobName": "ok-job",
        "roleArn": ROLE,
        "modelId": MODEL,
        "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://bucket/in/"}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://bucket/out/"}},
    }
    with pytest.raises(ClientError) as excinfo:
        control.create_model_invocation_job(**{**request, member: value})
    assert error_of(excinfo) == (400, "ValidationException", message)


def test_a_retried_create_returns_the_same_job_and_names_are_unique(control, s3, bucket):
    put(s3, bucket, helper.records(prompts(100), MODEL))
    first = create(control, bucket, clientRequestToken="token-1")
    assert create(control, bucket, clientRequestToken="token-1") == first
    with pytest.raises(ClientError) as excinfo:
        create(control, bucket, clientRequestToken="token-2")
    assert error_of(excinfo) == (400, "ConflictException", jobs.MSG_NAME_IN_USE)


def test_unknown_jobs_are_not_found(control):
    for call in (control.get_model_invocation_job, control.stop_model_invocation_job):
        with pytest.raises(ClientError) as excinfo:
            call(jobIdentifier="abcdefabcdef")
        assert error_of(excinfo) == (404, "ResourceNotFoundException", jobs.MSG_JOB_NOT_FOUND)


# ---- stop, expiry and listing -------------------------------------------------------------------
def test_stop_a_scheduled_job_then_stopping_again_conflicts(emulator, control, s3, bucket):
    put(s3, bucket, helper.records(prompts(100), MODEL))
    emulator.batch.pause()
    try:
        arn = create(control, bucket)
        deadline = time.monotonic() + 30
        while control.get_model_invocation_job(jobIdentifier=arn)["status"] != "Scheduled":
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert control.stop_model_invocation_job(jobIdentifier=arn)["ResponseMetadata"]["HTTPStatusCode"] == 200
        job, _ = finish(control, arn)
    finally:
        emulator.batch.resume()
    assert (job["status"], job["processedRecordCount"]) == ("Stopped", 0)
    with pytest.raises(ClientError) as excinfo:
        control.stop_model_invocation_job(jobIdentifier=arn)
    assert error_of(excinfo) == (400, "ConflictException", jobs.MSG_NOT_STOPPABLE)


def test_stopping_a_running_job_keeps_what_it_processed(control, s3, bucket, monkeypatch):
    """One record per chunk; the second waits until the test has asked the job to stop."""
    monkeypatch.setattr(jobs, "CHUNK", 1)
    release, real = threading.Event(), batch_run.run_record

    def held(creator, job, record):
        if record["recordId"] != "REC00001":
            release.wait(30)
        return real(creator, job, record)

    monkeypatch.setattr(batch_run, "run_record", held)
    put(s3, bucket, helper.records(prompts(100), MODEL))
    arn = create(control, bucket)
    deadline = time.monotonic() + 30
    while control.get_model_invocation_job(jobIdentifier=arn)["processedRecordCount"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    control.stop_model_invocation_job(jobIdentifier=arn)
    assert control.get_model_invocation_job(jobIdentifier=arn)["status"] == "Stopping"
    release.set()
    job, _ = finish(control, arn)
    assert (job["status"], job["processedRecordCount"], job["totalRecordCount"]) == ("Stopped", 2, 100)
    job_id = arn.rsplit("/", 1)[1]
    assert [line["recordId"] for line in read_lines(s3, bucket, f"out/{job_id}/reviews.jsonl.out")] == [
        "REC00001",
        "REC00002",
    ]
    assert read_lines(s3, bucket, f"out/{job_id}/manifest.json.out")[0]["processedRecordCount"] == 2


def test_a_job_still_running_at_its_timeout_ends_partially_completed(control, s3, bucket, monkeypatch):
    """One record per chunk; the clock passes the job's timeout once the first record is done."""
    monkeypatch.setattr(jobs, "CHUNK", 1)
    real = batch_run.run_record

    def late(creator, job, record):
        answer = real(creator, job, record)
        if record["recordId"] == "REC00002":
            creator.emulator.clock.advance(24 * 3600 + 1)
        return answer

    monkeypatch.setattr(batch_run, "run_record", late)
    put(s3, bucket, helper.records(prompts(100), MODEL))
    job, _ = finish(control, create(control, bucket, timeoutDurationInHours=24))
    assert (job["status"], job["processedRecordCount"], job["totalRecordCount"]) == ("PartiallyCompleted", 2, 100)
    assert job["successRecordCount"] == 2


def test_a_held_job_expires_when_the_clock_passes_its_timeout(emulator, control, s3, bucket):
    put(s3, bucket, helper.records(prompts(100), MODEL))
    emulator.batch.pause()
    try:
        arn = create(control, bucket, timeoutDurationInHours=24)
        emulator.clock.advance(24 * 3600 + 1)
        job, _ = finish(control, arn)
    finally:
        emulator.batch.resume()
    assert (job["status"], job["message"]) == ("Expired", jobs.MSG_EXPIRED)


def test_list_filters_sorts_and_pages(control, s3, bucket):
    put(s3, bucket, helper.records(prompts(100), MODEL))
    arns = [create(control, bucket, name=name) for name in ("alpha-1", "alpha-2", "beta-1")]
    for arn in arns:
        finish(control, arn)
    listed = control.list_model_invocation_jobs(sortOrder="Ascending")["invocationJobSummaries"]
    assert [job["jobArn"] for job in listed] == arns
    newest_first = control.list_model_invocation_jobs()["invocationJobSummaries"]
    assert [job["jobArn"] for job in newest_first] == arns[::-1]
    alpha = control.list_model_invocation_jobs(nameContains="ALPHA")["invocationJobSummaries"]
    assert sorted(job["jobName"] for job in alpha) == ["alpha-1", "alpha-2"]
    assert control.list_model_invocation_jobs(statusEquals="Failed")["invocationJobSummaries"] == []
    assert len(control.list_model_invocation_jobs(statusEquals="Completed")["invocationJobSummaries"]) == 3
    pages = control.get_paginator("list_model_invocation_jobs").paginate(
        sortOrder="Ascending", PaginationConfig={"PageSize": 2}
    )
    sizes = [len(page["invocationJobSummaries"]) for page in pages]
    assert sizes == [2, 1]
    later = control.list_model_invocation_jobs(submitTimeAfter=listed[0]["submitTime"], sortOrder="Ascending")
    assert [job["jobArn"] for job in later["invocationJobSummaries"]] == arns[1:]
    with pytest.raises(ClientError) as excinfo:
        control.list_model_invocation_jobs(nextToken="not-a-token")
    assert error_of(excinfo) == (400, "ValidationException", "The provided pagination token is invalid.")


# ---- over HTTP: one endpoint for S3 and Bedrock ---------------------------------------------------
def test_a_script_that_knows_only_the_endpoint_runs_a_job(server, monkeypatch, request):
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    s3 = boto3.client("s3", region_name=REGION, config=NO_RETRY, **DUMMY)
    control = boto3.client("bedrock", region_name=REGION, config=NO_RETRY, **DUMMY)
    assert s3.meta.endpoint_url == control.meta.endpoint_url == server.url
    name = bucket_for(request)
    s3.create_bucket(Bucket=name)
    uri = helper.upload(s3, lines_with_bad(), f"s3://{name}/input/reviews.jsonl")
    arn = helper.submit(control, "http-reviews", MODEL, ROLE, uri, f"s3://{name}/output/")
    heard = []
    job = helper.wait(control, arn, timeout=60, poll=0.01, on_change=heard.append)
    assert heard[-1] == "Completed: 120/120 records (2 errors)"
    rows = helper.results(s3, job)
    assert len(rows) == 120 and sum("text" in row for row in rows) == 118
    assert [row["errorCode"] for row in rows if "errorCode" in row] == [400, 400]
    assert helper.manifest(s3, job)["successRecordCount"] == 118
    sts = boto3.client("sts", region_name=REGION, config=NO_RETRY, **DUMMY)
    assert sts.get_caller_identity()["Account"] == "123456789012"  # IAM/STS behind the same endpoint


def test_the_aws_cli_uploads_runs_and_downloads(server, tmp_path, request):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "dummy-secret-for-the-offline-emulator",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": server.url,
    }

    def aws(*args) -> str:
        result = subprocess.run([aws_cli(), *args], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    name = bucket_for(request)
    source = tmp_path / "reviews.jsonl"
    source.write_bytes(helper.to_jsonl(lines_with_bad()))
    aws("s3", "mb", f"s3://{name}")
    aws("s3", "cp", str(source), f"s3://{name}/in/reviews.jsonl")
    arn = json.loads(
        aws(
            "bedrock",
            "create-model-invocation-job",
            "--job-name",
            "cli-reviews",
            "--role-arn",
            ROLE,
            "--model-id",
            MODEL,
            "--input-data-config",
            json.dumps({"s3InputDataConfig": {"s3Uri": f"s3://{name}/in/"}}),
            "--output-data-config",
            json.dumps({"s3OutputDataConfig": {"s3Uri": f"s3://{name}/out/"}}),
        )
    )["jobArn"]
    deadline = time.monotonic() + 60
    while (status := aws("bedrock", "get-model-invocation-job", "--job-identifier", arn, "--query", "status")).strip(
        '"\n'
    ) not in ENDED:
        assert time.monotonic() < deadline
    assert status.strip('"\n') == "Completed"
    aws("s3", "cp", "--recursive", f"s3://{name}/out/", str(tmp_path / "out"))
    job_id = arn.rsplit("/", 1)[1]
    lines = (tmp_path / "out" / job_id / "reviews.jsonl.out").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 120 and sum("modelOutput" in json.loads(line) for line in lines) == 118
    manifest = json.loads((tmp_path / "out" / job_id / "manifest.json.out").read_text(encoding="utf-8"))
    assert (manifest["successRecordCount"], manifest["errorRecordCount"]) == (118, 2)


# ---- the learner's helpers -----------------------------------------------------------------------
def test_helpers_catch_mistakes_before_sending():
    with pytest.raises(ValueError, match="at least 100 records; this one has 3"):
        helper.check_records(helper.records(prompts(3), MODEL))
    rows = helper.records(prompts(100), MODEL)
    rows[1]["recordId"] = rows[0]["recordId"]
    with pytest.raises(ValueError, match="appears twice"):
        helper.check_records(rows)
    with pytest.raises(ValueError, match="not an S3 URI"):
        helper.split_uri("bucket/in/")
    with pytest.raises(ValueError, match="not an IAM role ARN"):
        helper.submit(None, "job", MODEL, "BatchRole", "s3://bucket/in/", "s3://bucket/out/")
    with pytest.raises(ValueError, match="neither"):
        helper.records(["hi"], "meta.llama3-8b-instruct-v1:0")
    claude = helper.records(["hi"], "global.anthropic.claude-haiku-4-5-20251001-v1:0", max_tokens=64)[0]
    assert claude["modelInput"]["anthropic_version"] == "bedrock-2023-05-31"
    assert claude["modelInput"]["max_tokens"] == 64


def test_batch_costs_half_of_on_demand():
    priced = helper.cost(MODEL, 1_000_000, 1_000_000)
    rates = helper.usage.price(MODEL)
    assert priced["on_demand"] == pytest.approx(rates["input"] + rates["output"])
    assert priced["batch"] == pytest.approx(priced["on_demand"] / 2) and priced["discount"] == 0.5


# ---- asynchronous invocation helpers --------------------------------------------------------------------
EMBEDDINGS = "amazon.nova-2-multimodal-embeddings-v1:0"
DOCUMENT = " ".join(f"Review {n}: the kettle boils fast and pours without a drip." for n in range(70))


def segmented(dimension: int = 256, **modality) -> dict:
    params = {"embeddingPurpose": "GENERIC_INDEX", "embeddingDimension": dimension, **modality}
    return {"taskType": "SEGMENTED_EMBEDDING", "segmentedEmbeddingParams": params}


def text_of(max_chars: int = 900, **where) -> dict:
    return {"text": {"truncationMode": "END", "segmentationConfig": {"maxLengthChars": max_chars}, **where}}


def start_async(runtime, bucket: str, model_input: dict) -> str:
    output = {"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/embeddings/"}}
    return runtime.start_async_invoke(modelId=EMBEDDINGS, modelInput=model_input, outputDataConfig=output)[
        "invocationArn"
    ]


def test_wait_async_and_read_async_output_give_every_segment_of_a_long_text(runtime, s3, bucket):
    s3.put_object(Bucket=bucket, Key="docs/reviews.txt", Body=DOCUMENT.encode())
    source = {"source": {"s3Location": {"uri": f"s3://{bucket}/docs/reviews.txt"}}}
    heard = []
    done = helper.wait_async(
        runtime, start_async(runtime, bucket, segmented(384, **text_of(**source))), on_change=heard.append
    )
    assert heard[-1] == "Completed" and done["status"] == "Completed"
    found = helper.read_async_output(s3, done)
    assert found["result"]["sourceFileUri"] == f"s3://{bucket}/docs/reviews.txt"
    assert found["result"]["embeddingDimension"] == 384
    rows = found["segments"]
    assert len(rows) == len(DOCUMENT) // 900 + 1 and [row["segmentIndex"] for row in rows] == list(range(len(rows)))
    starts = [row["segmentStartCharPosition"] for row in rows]
    ends = [row["segmentEndCharPosition"] for row in rows]
    assert starts[0] == 0 and ends[-1] == len(DOCUMENT)  # the whole text, each gap only the whitespace of a cut
    assert all(DOCUMENT[end:start].strip() == "" for end, start in zip(ends, starts[1:]))
    assert all(row["embeddingType"] == "TEXT" and row["status"] == "SUCCESS" for row in rows)
    assert {len(row["embedding"]) for row in rows} == {384}
    assert "segmentMetadata" not in rows[0]


def test_read_async_output_reads_a_single_json_file_too(runtime, s3, bucket):
    s3.put_object(Bucket=bucket, Key="img/shapes.jpg", Body=(DATA / "samples" / "shapes.jpg").read_bytes())
    image = {"image": {"format": "jpeg", "source": {"s3Location": {"uri": f"s3://{bucket}/img/shapes.jpg"}}}}
    done = helper.wait_async(runtime, start_async(runtime, bucket, segmented(**image)), on_change=None)
    rows = helper.read_async_output(s3, done)["segments"]
    assert [(row["embeddingType"], row["segmentIndex"], len(row["embedding"])) for row in rows] == [("IMAGE", 0, 256)]


def test_wait_async_hears_each_status_once(emulator, runtime, bucket):
    store = emulator.async_invocations
    store.pause()
    try:
        arn = start_async(runtime, bucket, segmented(**text_of(value=DOCUMENT[:2000])))
        heard = []
        done = helper.wait_async(runtime, arn, poll=0.01, on_change=lambda text: (heard.append(text), store.resume()))
    finally:
        store.resume()
    assert heard == ["InProgress", "Completed"] and done["invocationArn"] == arn


def test_wait_async_times_out_with_the_fix(emulator, runtime, bucket):
    store = emulator.async_invocations
    store.pause()
    try:
        arn = start_async(runtime, bucket, segmented(**text_of(value=DOCUMENT[:1000])))
        with pytest.raises(TimeoutError, match=r"Still InProgress after 0 s\. Fix: wait longer .*cannot be stopped"):
            helper.wait_async(runtime, arn, timeout=0, poll=0, on_change=None)
    finally:
        store.resume()


def test_a_failed_invocation_is_reported_not_read(runtime, s3, bucket):
    missing = {"source": {"s3Location": {"uri": f"s3://{bucket}/docs/missing.txt"}}}
    heard = []
    done = helper.wait_async(
        runtime, start_async(runtime, bucket, segmented(**text_of(**missing))), on_change=heard.append
    )
    assert done["status"] == "Failed" and heard[-1] == f"Failed: {done['failureMessage']}"
    with pytest.raises(ValueError, match=r"is Failed, not Completed \(The input file could not be read") as caught:
        helper.read_async_output(s3, done)
    assert "Fix: wait for it with wait_async()" in str(caught.value)


def test_the_12_async_request_solution_runs_on_the_emulator(runtime, s3, bucket):
    """The exercise's reference answer is a request Bedrock (here the emulator) accepts and completes."""
    answer = json.loads(json.dumps(solutions.solution("12-async-request")).replace(batch_exercises.BUCKET, bucket))
    s3.put_object(Bucket=bucket, Key="docs/handbook.txt", Body=DOCUMENT.encode())
    done = helper.wait_async(runtime, runtime.start_async_invoke(**answer)["invocationArn"], on_change=None)
    rows = helper.read_async_output(s3, done)["segments"]
    assert done["status"] == "Completed" and {len(row["embedding"]) for row in rows} == {1024}
    assert max(row["segmentEndCharPosition"] - row["segmentStartCharPosition"] for row in rows) <= 2000
