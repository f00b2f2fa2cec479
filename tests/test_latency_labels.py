"""Latencies read from a response are labelled by where they come from: the emulator's simulated
figures offline, Bedrock's own live; times measured on the client say "(measured)". Mode is
helpers.clients' business (BEDROCK_MODE), so each test sets it and reads the same helper both ways."""

from __future__ import annotations

import json

import pytest

from helpers import invoke, playground, streaming, usage

NOVA_LITE = "amazon.nova-lite-v1:0"
MODES = [("offline", "simulated offline"), ("live", "reported by Bedrock")]


@pytest.fixture(params=MODES, ids=[mode for mode, _ in MODES])
def label(request, monkeypatch):
    """Run the test once per mode; the label a response's latency must carry in that mode."""
    mode, expected = request.param
    monkeypatch.setenv("BEDROCK_MODE", mode)
    return expected


def nova_body(text="Say hello."):
    return {"schemaVersion": "messages-v1", "messages": [{"role": "user", "content": [{"text": text}]}]}


def test_reported_and_measured_are_told_apart(label):
    assert streaming.reported("latencyMs", 412) == f"latencyMs 412 ms ({label})"
    assert streaming.reported("latencyMs", None) == f"latencyMs n/a ({label})"
    assert streaming.measured(12.34) == "(measured) 12.3 ms"


def test_converse_metrics_summary(runtime, label):
    response = runtime.converse(modelId=NOVA_LITE, messages=nova_body()["messages"])
    latency = response["metrics"]["latencyMs"]
    assert streaming.metrics_summary(response) == f"metrics.latencyMs {latency} ms ({label})"


def test_collected_stream_metrics_summary(runtime, label):
    result = streaming.collect(runtime.converse_stream(modelId=NOVA_LITE, messages=nova_body()["messages"]))
    assert streaming.metrics_summary(result) == f"metrics.latencyMs {result['metrics']['latencyMs']} ms ({label})"


def test_playground_report_labels_server_latency_and_measured_times(runtime, label):
    request = playground.build_request(NOVA_LITE, "Say hello.")
    for stream, measured_name in ((False, "response"), (True, "time to first token")):
        result = playground.run(runtime, request, stream=stream)
        latency_line = playground.report(result).splitlines()[-1]
        assert latency_line.startswith(f"latency: metrics.latencyMs {result['latency_ms']} ms ({label}) | ")
        assert f" | {measured_name} (measured) " in latency_line
        assert playground.report(result, measured=False).splitlines()[-1] == (
            f"latency: metrics.latencyMs {result['latency_ms']} ms ({label})"
        )
        row = playground.history_row(1, request, result)
        assert (row["latency_ms"], row["latency_source"]) == (result["latency_ms"], label)


def test_ledger_rows_say_where_latency_comes_from(runtime, label):
    response = runtime.converse(modelId=NOVA_LITE, messages=nova_body()["messages"])
    row = usage.Ledger().record(NOVA_LITE, response)
    assert (row["latency_ms"], row["latency_source"]) == (response["metrics"]["latencyMs"], label)
    assert "latency_source" not in usage.Ledger().add(NOVA_LITE, response["usage"])  # no figure, no label


def test_invoke_latencies_from_header_and_last_chunk(runtime, label):
    response = runtime.invoke_model(modelId=NOVA_LITE, body=json.dumps(nova_body()))
    header = response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-bedrock-invocation-latency"]
    assert invoke.latency_summary(response) == f"header x-amzn-bedrock-invocation-latency {header} ms ({label})"

    last = list(
        invoke.chunks(runtime.invoke_model_with_response_stream(modelId=NOVA_LITE, body=json.dumps(nova_body())))
    )[-1]
    found = last["amazon-bedrock-invocationMetrics"]
    assert invoke.latency_summary(last) == (
        f"invocationLatency {found['invocationLatency']} ms ({label}), "
        f"firstByteLatency {found['firstByteLatency']} ms ({label})"
    )


def test_invoke_latency_summary_refuses_what_carries_no_latency():
    with pytest.raises(ValueError, match="invoke_model response"):
        invoke.latency_summary({"contentBlockDelta": {"delta": {"text": "Hi"}}})
