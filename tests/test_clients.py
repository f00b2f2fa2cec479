"""helpers.clients: offline by default, live only when asked, the right botocore Config, one banner
line, and offline clients that never need (or touch) real credentials or AWS configuration."""

from __future__ import annotations

import socket
import threading

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from helpers import clients
from helpers.offline import emulator_of, faults

NOVA_MICRO = "amazon.nova-micro-v1:0"
HELLO = [{"role": "user", "content": [{"text": "Hello."}]}]


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No BEDROCK_MODE, no AWS settings of this machine: what a fresh learner has."""
    for name in (
        "BEDROCK_MODE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return monkeypatch


# ---- mode ----------------------------------------------------------------------------------------------


def test_offline_is_the_default(clean_env):
    assert clients.mode() == "offline"


@pytest.mark.parametrize(
    "value, expected", [("offline", "offline"), ("", "offline"), ("live", "live"), (" LIVE ", "live")]
)
def test_mode_values(clean_env, value, expected):
    clean_env.setenv("BEDROCK_MODE", value)
    assert clients.mode() == expected


@pytest.mark.parametrize("value", ["production", "true", "1", "on-line"])
def test_anything_else_is_an_error_not_a_guess(clean_env, value):
    clean_env.setenv("BEDROCK_MODE", value)
    with pytest.raises(ValueError) as excinfo:
        clients.mode()
    assert str(excinfo.value) == f"BEDROCK_MODE must be 'offline' or 'live', not {value.lower()!r}."


# ---- config ----------------------------------------------------------------------------------------------


def test_default_config_is_interactive_with_adaptive_retries():
    config = clients.bedrock_config()
    assert (config.read_timeout, config.connect_timeout) == (300, 10)
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 4}


def test_long_generation_config_only_lengthens_the_read_timeout():
    config = clients.long_generation_config()
    assert config.read_timeout == 3600
    assert config.retries == clients.bedrock_config().retries


def test_config_overrides():
    config = clients.bedrock_config(read_timeout=30, retries={"mode": "standard", "total_max_attempts": 1})
    assert config.read_timeout == 30
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert config.connect_timeout == 10


@pytest.mark.parametrize("factory", [clients.runtime_client, clients.control_client])
def test_clients_carry_the_config(clean_env, factory):
    client = factory()
    assert client.meta.config.read_timeout == 300
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 4}


# ---- which failures are sent again ----------------------------------------------------------------------


class SilentServer:
    """Accepts HTTP requests and never answers: what a client sees while a long generation runs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.requests = 0
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            if conn.recv(65536):
                self.requests += 1

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


def _plain_runtime(endpoint_url, config):
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        config=config,
        aws_access_key_id="AKIADUMMYDUMMYDUMMY0",
        aws_secret_access_key="dummy",
    )


def _call_until_read_timeout(client):
    with pytest.raises(ReadTimeoutError):
        client.converse(modelId=NOVA_MICRO, messages=HELLO)


def test_botocore_alone_sends_a_timed_out_generation_again():
    """The reason for safe_retries: botocore's own adaptive retries re-send after a read timeout."""
    silent = SilentServer()
    try:
        _call_until_read_timeout(_plain_runtime(silent.url, clients.bedrock_config(read_timeout=0.2)))
        assert silent.requests == 4
    finally:
        silent.close()


def test_safe_retries_never_send_a_timed_out_generation_again():
    silent = SilentServer()
    try:
        client = clients.safe_retries(_plain_runtime(silent.url, clients.bedrock_config(read_timeout=0.2)))
        _call_until_read_timeout(client)
        assert silent.requests == 1
    finally:
        silent.close()


def test_safe_retries_retry_a_connection_that_was_never_made():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    client = clients.safe_retries(_plain_runtime(closed, clients.bedrock_config(connect_timeout=0.5)))
    with pytest.raises(EndpointConnectionError):
        client.converse(modelId=NOVA_MICRO, messages=HELLO)
    attempts = []
    client.meta.events.register("before-send", lambda **kwargs: attempts.append(1))
    with pytest.raises(EndpointConnectionError):
        client.converse(modelId=NOVA_MICRO, messages=HELLO)
    assert len(attempts) == 4


@pytest.mark.parametrize(
    "fault, retried",
    [
        ("ThrottlingException", 3),
        ("TooManyTokens", 3),
        ("ModelNotReadyException", 3),
        ("ServiceUnavailableException", 3),
        ("InternalServerException", 0),  # may come after the model ran: botocore would send it again
        ("ModelTimeoutException", 0),
        ("ModelErrorException", 0),
    ],
)
def test_workbook_clients_retry_only_failures_before_generation(clean_env, fault, retried):
    client = clients.runtime_client()
    faults(client).fail_next(5, fault)
    with pytest.raises(ClientError) as excinfo:
        client.converse(modelId=NOVA_MICRO, messages=HELLO)
    assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == retried


def test_safe_retries_refuse_legacy_mode():
    client = _plain_runtime("http://127.0.0.1:9", Config(retries={"mode": "legacy"}))
    with pytest.raises(ValueError, match="legacy retries read timeouts"):
        clients.safe_retries(client)


# ---- offline clients ------------------------------------------------------------------------------------


def test_offline_clients_answer_from_the_shared_emulator(clean_env):
    runtime, control = clients.runtime_client(), clients.control_client()
    assert emulator_of(runtime) is emulator_of(control)
    assert runtime.meta.service_model.service_name == "bedrock-runtime"
    assert control.meta.service_model.service_name == "bedrock"
    assert runtime.converse(modelId=NOVA_MICRO, messages=HELLO)["stopReason"] == "end_turn"
    assert NOVA_MICRO in [m["modelId"] for m in control.list_foundation_models()["modelSummaries"]]


def test_offline_needs_no_credentials_and_uses_placeholders(clean_env):
    credentials = clients.session().get_credentials()
    assert (credentials.access_key, credentials.secret_key) == (clients.OFFLINE_ACCESS_KEY, clients.OFFLINE_SECRET_KEY)
    assert clients.runtime_client().converse(modelId=NOVA_MICRO, messages=HELLO)["stopReason"] == "end_turn"


def test_offline_never_uses_the_environments_keys(clean_env):
    clean_env.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY00")
    clean_env.setenv("AWS_SECRET_ACCESS_KEY", "real-looking-secret")
    assert clients.session().get_credentials().access_key == clients.OFFLINE_ACCESS_KEY


def test_offline_ignores_a_profile_this_machine_lacks(clean_env):
    clean_env.setenv("AWS_PROFILE", "a-profile-nobody-configured")
    client = clients.runtime_client()
    assert client.converse(modelId=NOVA_MICRO, messages=HELLO)["stopReason"] == "end_turn"


def test_offline_region_follows_aws_region(clean_env):
    assert clients.runtime_client().meta.region_name == "us-east-1"
    clean_env.setenv("AWS_REGION", "us-west-2")
    assert clients.runtime_client().meta.region_name == "us-west-2"
    assert clients.runtime_client(region="eu-central-1").meta.region_name == "eu-central-1"


def test_named_profile_offline_signs_with_its_keys(clean_env, tmp_path):
    """Offline IAM lessons create keys and a profile; clients built from that profile use them."""
    (tmp_path / "no-credentials").write_text(
        "[learner]\naws_access_key_id = AKIALEARNEREXAMPLE01\naws_secret_access_key = learner-secret\n"
    )
    session = clients.session(region="us-east-1", profile="learner")
    assert session.get_credentials().access_key == "AKIALEARNEREXAMPLE01"
    client = clients.runtime_client(profile="learner", region="us-east-1")
    assert faults(client).pending == 0  # still attached to the emulator


# ---- live clients ---------------------------------------------------------------------------------------


def test_live_clients_are_plain_boto3(clean_env):
    clean_env.setenv("BEDROCK_MODE", "live")
    clean_env.setenv("AWS_ACCESS_KEY_ID", "AKIAFROMTHECHAIN0000")
    clean_env.setenv("AWS_SECRET_ACCESS_KEY", "from-the-chain")
    clean_env.setenv("AWS_REGION", "eu-central-1")
    client = clients.runtime_client()
    with pytest.raises(ValueError) as excinfo:
        faults(client)
    assert str(excinfo.value) == "This client is not connected to the offline emulator (is BEDROCK_MODE=live?)."
    assert client.meta.region_name == "eu-central-1"
    assert client.meta.endpoint_url == "https://bedrock-runtime.eu-central-1.amazonaws.com"
    assert clients.session().get_credentials().access_key == "AKIAFROMTHECHAIN0000"
    assert client.meta.config.read_timeout == 300


# ---- banner ---------------------------------------------------------------------------------------------


def test_banner_offline(clean_env, capsys):
    clients.banner(clients.runtime_client(region="us-west-2"))
    assert capsys.readouterr().out == (
        "Mode: offline (built-in Bedrock emulator, no AWS account needed) | region: us-west-2\n"
    )


def test_banner_live(clean_env, capsys):
    clean_env.setenv("BEDROCK_MODE", "live")
    clean_env.setenv("AWS_REGION", "eu-central-1")
    clients.banner()
    assert (
        capsys.readouterr().out == "Mode: live (real Amazon Bedrock, billed to your account) | region: eu-central-1\n"
    )
