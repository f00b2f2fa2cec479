"""helpers.clients: offline by default, live only when asked, the right botocore Config, one banner
line, and offline clients that never need (or touch) real credentials or AWS configuration."""

from __future__ import annotations

import pytest

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


def test_config_has_long_read_timeout_and_adaptive_retries():
    config = clients.bedrock_config()
    assert config.read_timeout == 3600
    assert config.connect_timeout == 60
    assert config.retries == {"mode": "adaptive", "max_attempts": 5}


def test_config_overrides():
    config = clients.bedrock_config(read_timeout=30, retries={"mode": "standard", "total_max_attempts": 1})
    assert config.read_timeout == 30
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert config.connect_timeout == 60


@pytest.mark.parametrize("factory", [clients.runtime_client, clients.control_client])
def test_clients_carry_the_config(clean_env, factory):
    client = factory()
    assert client.meta.config.read_timeout == 3600
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 6}  # 5 retries + the call


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
    assert client.meta.config.read_timeout == 3600


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
