"""The readiness check (helpers.doctor, `workbook.py doctor`) and the live clients' set-up errors.

Offline runs go through the workbook's real boto3 clients and the emulator; live runs are real
`BEDROCK_MODE=live` processes whose Bedrock endpoints point at the emulator's server and whose STS
endpoint points at moto, in a clean environment (no ~/.aws, no instance metadata)."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import boto3
import botocore
import pytest
from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError

from helpers import clients, doctor, iam
from helpers.offline import Emulator, iam_server, shared_emulator
from helpers.offline.access import enforce_iam, model_access, stop_enforcing_iam
from helpers.offline.server import running
from helpers.paths import NOTEBOOKS, REPO
from helpers.troubleshoot import explain

BOTOCORE_DATA = Path(botocore.__file__).parent / "data"
MODEL_ID = re.compile(
    r"""["']((?:(?:us|eu|apac|global|jp|au)\.)?(?:amazon|anthropic|meta|mistral|cohere|ai21|deepseek)\.[A-Za-z0-9.:-]+)["']"""
)


def by_name(rows: list[dict]) -> dict:
    return {r["name"]: r for r in rows}


def clean_env(tmp_path, **extra) -> dict:
    """A live environment with nothing inherited: no profile files, no metadata service, no keys."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "BEDROCK_MODE": "live",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    env.update(extra)
    return env


def doctor_process(env: dict, *args: str) -> tuple[int, dict, str]:
    """Run `workbook.py doctor --json` as a learner would; (exit status, parsed JSON, stderr)."""
    result = subprocess.run(
        [sys.executable, str(REPO / "workbook.py"), "doctor", "--json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )
    return result.returncode, json.loads(result.stdout), result.stderr


@pytest.fixture
def live_server():
    """The emulator's server with one model withheld (as if access were never granted), and moto for STS."""
    emulator = Emulator()
    model_access(emulator).withhold("amazon.nova-pro-v1:0")
    with running(port=0, emulator=emulator) as server:
        yield server


def live_env(tmp_path, server, region="us-east-1") -> dict:
    return clean_env(
        tmp_path,
        AWS_REGION=region,
        AWS_ACCESS_KEY_ID="AKIADOCTORTESTKEY000",
        AWS_SECRET_ACCESS_KEY="doctor-test-secret",
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
        AWS_ENDPOINT_URL_BEDROCK=server.url,
        AWS_ENDPOINT_URL_STS=iam_server.url(),
    )


# ---- offline ---------------------------------------------------------------------------------------------
def test_offline_is_all_green_through_real_clients(monkeypatch):
    monkeypatch.setenv("BEDROCK_MODE", "offline")
    rows = doctor.check()
    assert [r for r in rows if r["status"] != doctor.OK] == []
    names = [r["name"] for r in rows]
    assert names[:5] == ["mode", "boto3/botocore", "region", "credentials", "identity"]
    for model_id in doctor.NOTEBOOK_MODELS:
        assert f"model {model_id}" in names and f"access {model_id}" in names
    assert (
        by_name(rows)["identity"]["detail"].startswith("arn:aws:")
        and "<account-id>" in by_name(rows)["identity"]["detail"]
    )
    assert "Ready." in doctor.render(rows)


def test_no_converse_without_consent_and_one_with_it(monkeypatch):
    monkeypatch.setenv("BEDROCK_MODE", "offline")
    calls = []
    session = clients.session()
    session.events.register("before-call.bedrock-runtime", lambda model, **_: calls.append(model.name))
    doctor.check(boto_session=session, models={"amazon.nova-micro-v1:0": True})
    assert calls == ["CountTokens"]
    calls.clear()
    rows = doctor.check(boto_session=session, models={"amazon.nova-micro-v1:0": True}, allow_billed_probe=True)
    assert calls == ["Converse"]
    assert "1-token Converse" in by_name(rows)["access amazon.nova-micro-v1:0"]["detail"]


def test_workbook_doctor_offline_exits_zero(tmp_path):
    status, report, stderr = doctor_process(clean_env(tmp_path, BEDROCK_MODE="offline"))
    assert status == 0, stderr
    assert report["ready"] is True
    assert {r["status"] for r in report["rows"]} == {"ok"}
    assert set(report["rows"][0]) == {"name", "status", "detail", "fix"}


def test_denied_identity_fails_the_access_rows_with_the_fix(monkeypatch):
    """IAM enforced offline: a user allowed to list models but not to invoke them."""
    monkeypatch.setenv("BEDROCK_MODE", "offline")
    admin = iam.iam_client()
    listing_only = {"Version": "2012-10-17", "Statement": [iam.policy()["Statement"][1]]}
    created = iam.create_runtime_user(admin, user_name="doctor-denied", policy_name="DoctorListOnly")
    admin.detach_user_policy(UserName="doctor-denied", PolicyArn=created["PolicyArn"])
    admin.put_user_policy(UserName="doctor-denied", PolicyName="list", PolicyDocument=json.dumps(listing_only))
    session = boto3.Session(
        aws_access_key_id=created["AccessKeyId"],
        aws_secret_access_key=created["SecretAccessKey"],
        region_name="us-east-1",
    )
    enforce_iam(shared_emulator(), admin)
    try:
        rows = by_name(doctor.check(boto_session=session, models={"amazon.nova-lite-v1:0": True}))
    finally:
        stop_enforcing_iam(shared_emulator())
        admin.delete_user_policy(UserName="doctor-denied", PolicyName="list")
        iam.delete_runtime_user(admin, "doctor-denied", created["PolicyArn"])
    assert rows["identity"] == doctor.row("identity", "ok", "arn:aws:iam::<account-id>:user/doctor-denied")
    assert rows["model amazon.nova-lite-v1:0"]["status"] == "ok"
    access = rows["access amazon.nova-lite-v1:0"]
    assert access["status"] == "fail"
    assert (
        "User: arn:aws:iam::<account-id>:user/doctor-denied is not authorized to perform: bedrock:InvokeModel"
        in (access["detail"])
    )  # the account id IAM quotes is masked
    assert access["fix"].startswith("Attach a policy that allows bedrock:InvokeModel")
    assert doctor.blocking(list(rows.values()))


def test_retired_model_fails_with_bedrocks_message(runtime):
    """The emulator keeps Bedrock's calendar: on its default day Claude 3 Sonnet has reached end of life,
    and the doctor's free CountTokens probe meets Bedrock's own answer."""
    message = (
        "This model version has reached the end of its life. Please refer to the AWS documentation for more details."
    )
    result = doctor.access_row(
        runtime, "anthropic.claude-3-sonnet-20240229-v1:0", required=True, billed=False
    )  # migrate_models: keep
    assert result["status"] == "fail" and message in result["detail"]
    assert result["fix"] == explain_fix("ResourceNotFoundException", message)


def explain_fix(code: str, message: str = "") -> str:
    return explain(ClientError({"Error": {"Code": code, "Message": message}}, "CountTokens")).fix


def test_model_list_matches_the_notebooks():
    """Every model id in a notebook's code is either checked or named as a demonstration, and back."""
    found = set()
    for path in NOTEBOOKS.glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                found.update(MODEL_ID.findall("".join(cell["source"])))
    assert found == set(doctor.NOTEBOOK_MODELS) | set(doctor.DEMONSTRATION_MODELS)
    assert not set(doctor.NOTEBOOK_MODELS) & set(doctor.DEMONSTRATION_MODELS)


# ---- live, against the emulator's server and moto --------------------------------------------------------
def test_live_reports_model_access_and_exits_non_zero(tmp_path, live_server):
    status, report, stderr = doctor_process(live_env(tmp_path, live_server))
    rows = by_name(report["rows"])
    assert status == 1 and report["ready"] is False
    assert "Traceback" not in stderr
    assert rows["mode"]["detail"].startswith("live")
    assert rows["region"]["detail"] == "us-east-1 (from environment variable AWS_REGION)"
    assert rows["credentials"]["detail"].startswith("environment variables")
    assert "doctor-test-secret" not in json.dumps(report) and "AKIADOCTORTESTKEY000" not in json.dumps(report)
    denied = rows["access amazon.nova-pro-v1:0"]
    assert denied["status"] == "fail"
    assert denied["detail"] == "AccessDeniedException: You don't have access to the model with the specified model ID."
    assert "Model access" in denied["fix"]
    granted = rows["access amazon.nova-micro-v1:0"]  # a free call cannot prove InvokeModel live
    assert granted["status"] == "warn" and "--allow-billed-probe" in granted["fix"]
    assert "model anthropic.claude-3-sonnet-20240229-v1:0" not in rows  # a demonstration, not a notebook model
    assert [r["name"] for r in report["rows"] if r["status"] == "fail"] == ["access amazon.nova-pro-v1:0"]


def test_live_model_not_in_region(tmp_path, live_server):
    status, report, _ = doctor_process(live_env(tmp_path, live_server, region="ap-northeast-1"))
    row = by_name(report["rows"])["model amazon.nova-micro-v1:0"]  # US and EU only, by region or profile
    assert status == 1
    assert row["status"] == "fail" and row["detail"] == "not offered in ap-northeast-1"
    assert "AWS_REGION" in row["fix"]


def test_live_without_region_names_the_fix_without_a_traceback(tmp_path):
    env = clean_env(tmp_path, AWS_ACCESS_KEY_ID="AKIADOCTORTESTKEY000", AWS_SECRET_ACCESS_KEY="x")
    result = subprocess.run(
        [sys.executable, str(REPO / "workbook.py"), "doctor"], env=env, capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "FAIL  region" in result.stdout and f"fix: {doctor.REGION_FIX}" in result.stdout


def test_live_without_credentials(tmp_path):
    status, report, stderr = doctor_process(clean_env(tmp_path, AWS_REGION="us-east-1"))
    rows = by_name(report["rows"])
    assert status == 1 and "Traceback" not in stderr
    assert rows["credentials"] == doctor.row(
        "credentials", "fail", "none found: no keys, profile, SSO, role or Bedrock API key", doctor.CREDENTIALS_FIX
    )
    assert rows["models"]["status"] == "warn"  # nothing is sent without credentials


def test_old_botocore_fails_the_sdk_row(tmp_path):
    """AWS_DATA_PATH is searched before botocore's own models: a model without CountTokens and
    video blocks stands in for an older botocore."""
    source = BOTOCORE_DATA / "bedrock-runtime" / "2023-09-30" / "service-2.json.gz"
    model = json.loads(gzip.decompress(source.read_bytes()))
    del model["operations"]["CountTokens"]
    del model["shapes"]["ContentBlock"]["members"]["video"]
    target = tmp_path / "models" / "bedrock-runtime" / "2023-09-30"
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(model))
    env = clean_env(tmp_path, BEDROCK_MODE="offline", AWS_DATA_PATH=str(tmp_path / "models"))
    status, report, _ = doctor_process(env)
    sdk = by_name(report["rows"])["boto3/botocore"]
    assert status == 1
    assert sdk["status"] == "fail"
    assert sdk["detail"].endswith("lacks video blocks, CountTokens (botocore 1.40.14+)")
    assert "'boto3>=1.40.14'" in sdk["fix"]
    assert by_name(report["rows"])["access amazon.nova-micro-v1:0"]["status"] == "warn"


def test_bearer_token_is_a_credential_source_and_never_shown(monkeypatch, tmp_path):
    for name, value in clean_env(tmp_path, AWS_REGION="us-east-1", AWS_BEARER_TOKEN_BEDROCK="secret-api-key").items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    result = doctor.credentials_row(clients.session())
    assert result["status"] == "ok" and "AWS_BEARER_TOKEN_BEDROCK" in result["detail"]
    assert "secret-api-key" not in json.dumps(result)


# ---- live clients: missing region and credentials ----------------------------------------------------------
@pytest.fixture
def bare_live(monkeypatch, tmp_path):
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    for name, value in clean_env(tmp_path).items():
        monkeypatch.setenv(name, value)


def test_live_client_without_region_names_the_fix(bare_live):
    with pytest.raises(NoRegionError) as raised:
        clients.runtime_client()
    assert isinstance(raised.value, clients.MissingRegion)
    assert "AWS_REGION" in str(raised.value) and "aws configure" in str(raised.value)
    assert raised.value.__suppress_context__  # no botocore traceback chained beneath it
    assert "AWS_REGION" in explain(raised.value).fix


def test_live_client_without_credentials_fails_clearly_at_first_use(bare_live, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    runtime = clients.runtime_client()  # creating it works: nothing is signed yet
    with pytest.raises(NoCredentialsError) as raised:
        runtime.converse(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert isinstance(raised.value, clients.MissingCredentials)
    assert "aws configure" in str(raised.value) and "AWS_PROFILE" in str(raised.value)
    assert explain(raised.value).fix.startswith("Run `aws configure`")


def test_live_client_with_credentials_is_unchanged(bare_live, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIADOCTORTESTKEY000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    with running(port=0) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.url)
        runtime = clients.runtime_client()
        answer = runtime.count_tokens(
            modelId="amazon.nova-micro-v1:0",
            input={"converse": {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}},
        )
    assert answer["inputTokens"] > 0
