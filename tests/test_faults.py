"""Faults on demand, per client and per server: Bedrock's status, code and message for each, and
boto3's real retry handler recovering from them."""

from __future__ import annotations

import json

import boto3
import pytest
import rawhttp
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import DUMMY, NO_RETRY, REGION, error_of, text_message
from helpers import clients
from helpers.offline import attach, faults
from helpers.offline.errors import MSG_THROTTLED, MSG_TOO_MANY_TOKENS
from helpers.offline.server import CONTROL_PATH

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
HELLO = [text_message("Hello there.")]

FAULTS = [
    ("ThrottlingException", 429, "ThrottlingException", MSG_THROTTLED),
    ("TooManyTokens", 429, "ThrottlingException", MSG_TOO_MANY_TOKENS),
    (
        "ModelTimeoutException",
        408,
        "ModelTimeoutException",
        "Model has timed out in processing the request. Try your request again.",
    ),
    ("ServiceUnavailableException", 503, "ServiceUnavailableException", "Bedrock is unable to process your request."),
    (
        "ModelNotReadyException",
        429,
        "ModelNotReadyException",
        "Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation up to 5 times.",
    ),
]


def converse(client):
    return client.converse(modelId=HAIKU, messages=HELLO)


def failure(client) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as excinfo:
        converse(client)
    return error_of(excinfo)


# ---- per client -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault, status, code, message", FAULTS)
def test_injected_fault_has_bedrocks_status_code_and_message(runtime, fault, status, code, message):
    faults(runtime).fail_next(1, fault)
    assert failure(runtime) == (status, code, message)
    assert converse(runtime)["stopReason"] == "end_turn"  # one fault, one failed call


def test_throttling_message_keeps_bedrocks_double_space(runtime):
    faults(runtime).fail_next()
    assert "too many requests.  Wait" in failure(runtime)[2]


def test_fail_next_counts_calls(runtime):
    plan = faults(runtime).fail_next(2, "ServiceUnavailableException").fail_next(1, "ModelTimeoutException")
    assert plan.pending == 3
    codes = [failure(runtime)[1] for _ in range(3)]
    assert codes == ["ServiceUnavailableException", "ServiceUnavailableException", "ModelTimeoutException"]
    assert plan.pending == 0 and plan.injected == 3
    assert converse(runtime)["stopReason"] == "end_turn"


def test_faults_can_target_one_operation(runtime):
    faults(runtime).fail_next(1, "ThrottlingException", operations={"CountTokens"})
    assert converse(runtime)["stopReason"] == "end_turn"
    with pytest.raises(ClientError) as excinfo:
        runtime.count_tokens(modelId=HAIKU, input={"converse": {"messages": HELLO}})
    assert error_of(excinfo) == (429, "ThrottlingException", MSG_THROTTLED)


def test_faults_belong_to_one_client(emulator, runtime):
    other = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(other, emulator)
    faults(runtime).fail_next(1)
    assert converse(other)["stopReason"] == "end_turn"
    assert failure(runtime)[1] == "ThrottlingException"


def test_control_plane_is_never_faulted(emulator, control):
    faults(control).fail_next(1)
    assert control.list_foundation_models(byProvider="amazon")["modelSummaries"]
    assert faults(control).pending == 1


def test_clear_drops_pending_faults(runtime):
    plan = faults(runtime).fail_next(5)
    plan.clear()
    assert plan.pending == 0
    assert converse(runtime)["stopReason"] == "end_turn"


@pytest.mark.parametrize(
    "count, error, message",
    [
        (
            1,
            "Gremlins",
            "Unknown fault 'Gremlins'; choose one of: ThrottlingException, TooManyTokens, "
            "ModelTimeoutException, ServiceUnavailableException, ModelNotReadyException, InternalServerException, "
            "ModelErrorException",
        ),
        (0, "ThrottlingException", "count must be at least 1"),
    ],
)
def test_bad_fault_requests_are_refused_clearly(runtime, count, error, message):
    with pytest.raises(ValueError) as excinfo:
        faults(runtime).fail_next(count, error)
    assert str(excinfo.value) == message


def test_faults_of_a_client_without_the_emulator():
    plain = boto3.client("bedrock-runtime", region_name=REGION, **DUMMY)
    with pytest.raises(ValueError) as excinfo:
        faults(plain)
    assert str(excinfo.value) == "This client is not connected to the offline emulator (is BEDROCK_MODE=live?)."


# ---- retries through the workbook's own client --------------------------------------------------------


@pytest.fixture
def workbook_runtime(monkeypatch):
    monkeypatch.delenv("BEDROCK_MODE", raising=False)
    return clients.runtime_client(region=REGION)


def test_adaptive_retries_recover_from_two_throttles(workbook_runtime):
    faults(workbook_runtime).fail_next(2, "ThrottlingException")
    response = converse(workbook_runtime)
    assert response["stopReason"] == "end_turn"
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert faults(workbook_runtime).injected == 2


@pytest.mark.parametrize("fault, retried", [("ModelNotReadyException", 1), ("ModelTimeoutException", 0)])
def test_which_faults_boto3_retries(workbook_runtime, fault, retried):
    """ModelNotReadyException is modelled as retryable in botocore; a model timeout is not."""
    faults(workbook_runtime).fail_next(1, fault)
    try:
        attempts = converse(workbook_runtime)["ResponseMetadata"]["RetryAttempts"]
    except ClientError as error:
        assert error.response["Error"]["Code"] == fault
        attempts = error.response["ResponseMetadata"]["RetryAttempts"]
    assert attempts == retried


def test_retries_give_up_after_total_max_attempts(monkeypatch):
    monkeypatch.delenv("BEDROCK_MODE", raising=False)
    config = clients.bedrock_config(retries={"mode": "adaptive", "total_max_attempts": 3})
    client = clients.runtime_client(region=REGION, config=config)
    faults(client).fail_next(4, "ServiceUnavailableException")
    with pytest.raises(ClientError) as excinfo:
        converse(client)
    assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert faults(client).pending == 1


# ---- per server ------------------------------------------------------------------------------------------


def signed(url: str, method: str, body: bytes, key: str = DUMMY["aws_access_key_id"]) -> dict:
    """SigV4 headers for a fault request, as `curl --aws-sigv4` makes them: the key id scopes the plan."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method, url + CONTROL_PATH, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(key, "dummy"), "bedrock", REGION).add_auth(request)
    return dict(request.headers.items())


def control_request(server, method: str, spec: dict | None = None, raw: bytes | None = None, key=None):
    import json

    body = raw if raw is not None else (json.dumps(spec).encode() if spec is not None else b"")
    headers = signed(server.url, method, body, key or DUMMY["aws_access_key_id"])
    return rawhttp.send(server.url, method, CONTROL_PATH, body, headers=headers)


def test_server_faults_reach_http_clients(server, http_runtime):
    answer = control_request(server, "POST", {"error": "ServiceUnavailableException", "count": 2})
    assert (answer.status, answer.json()) == (200, {"pending": 2})
    for _ in range(2):
        assert failure(http_runtime) == (
            503,
            "ServiceUnavailableException",
            "Bedrock is unable to process your request.",
        )
    assert converse(http_runtime)["stopReason"] == "end_turn"


def test_server_faults_reach_raw_http_clients(server):
    control_request(server, "POST", {"error": "ModelNotReadyException"}, key="AKIAUNSIGNEDRAWHTTP0")
    body = json.dumps({"messages": HELLO}).encode()
    path = rawhttp.converse_path(HAIKU)
    headers = {
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAUNSIGNEDRAWHTTP0/20261130/us-east-1/bedrock/aws4_request"
    }
    answer = rawhttp.send(server.url, "POST", path, body, headers=headers)
    assert answer.status == 429
    assert answer.error_type == "ModelNotReadyException"


def test_server_faults_and_a_retrying_client(server):
    retrying = boto3.client(
        "bedrock-runtime",
        region_name=REGION,
        endpoint_url=server.url,
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
        **DUMMY,
    )
    control_request(server, "POST", {"error": "ThrottlingException", "count": 2, "operations": ["Converse"]})
    response = converse(retrying)
    assert response["ResponseMetadata"]["RetryAttempts"] == 2


def test_server_faults_can_be_cleared(server, http_runtime):
    control_request(server, "POST", {"count": 3})
    answer = control_request(server, "DELETE")
    assert (answer.status, answer.json()) == (200, {"pending": 0})
    assert converse(http_runtime)["stopReason"] == "end_turn"


@pytest.mark.parametrize(
    "raw, message",
    [
        (
            b'{"error": "Gremlins"}',
            "Unknown fault 'Gremlins'; choose one of: ThrottlingException, TooManyTokens, "
            "ModelTimeoutException, ServiceUnavailableException, ModelNotReadyException, InternalServerException, "
            "ModelErrorException",
        ),
        (b'{"count": 0}', "count must be at least 1"),
        (b'{"count": "many"}', "count must be a whole number from 1 to 1000"),
    ],
)
def test_bad_server_fault_requests(server, raw, message):
    answer = control_request(server, "POST", raw=raw)
    assert (answer.status, answer.error_type, answer.message) == (400, "ValidationException", message)


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]"])
def test_malformed_server_fault_requests(server, raw):
    answer = control_request(server, "POST", raw=raw)
    assert (answer.status, answer.error_type) == (400, "ValidationException")
    assert control_request(server, "POST", {"count": 1}).json() == {"pending": 1}
