"""The seam every feature builds on: a Generation is an ordered list of content blocks, and every
dialect renders and streams any such list with each block's own index, in shapes botocore accepts."""

from __future__ import annotations

import json

import pytest
from botocore.validate import ParamValidator

from helpers.offline import shapes
from helpers.offline.catalog import Catalog
from helpers.offline.dialects import claude, converse, converse_stream, nova
from helpers.offline.generator import Generation, stream_pieces
from helpers.offline.prompt import Prompt

TOOL = {"toolUse": {"toolUseId": "tooluse_AbCdEfGhIjKlMnOpQrStUv", "name": "get_weather", "input": {"city": "Paris"}}}
TOOL2 = {"toolUse": {"toolUseId": "tooluse_ZyXwVuTsRqPoNmLkJiHgFe", "name": "get_weather", "input": {"city": "Oslo"}}}


def generation(*blocks: dict) -> Generation:
    return Generation(
        content=list(blocks),
        pieces=[stream_pieces(b) for b in blocks],
        stop_reason="tool_use",
        input_tokens=10,
        output_tokens=7,
        first_token_ms=5,
        latency_ms=9,
    )


@pytest.fixture(scope="module")
def prompt() -> Prompt:
    catalog = Catalog.load()
    resolved = catalog.find("global.anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1")
    return Prompt(
        model=resolved.model,
        model_id=resolved.served_id,
        region="us-east-1",
        messages=[{"role": "user", "content": [{"text": "hi"}]}],
    )


MIXED = generation({"text": "Let me check both cities."}, TOOL, TOOL2)


def output_shape(operation: str):
    return shapes.service_model("bedrock-runtime").operation_model(operation).output_shape


def test_converse_renders_every_block_in_order_and_in_the_output_shape(prompt):
    rendered = converse.render(MIXED, prompt, "r")
    assert rendered["output"]["message"]["content"] == MIXED.content
    report = ParamValidator().validate(rendered, output_shape("Converse"))
    assert not report.has_errors(), report.generate_report()


def test_converse_stream_indexes_each_block_and_its_fragments_rebuild_the_input(prompt):
    events = list(converse_stream.stream(MIXED, prompt, "r"))
    starts = [(e["contentBlockIndex"], e["start"]) for kind, e in events if kind == "contentBlockStart"]
    assert starts == [
        (1, {"toolUse": {"toolUseId": TOOL["toolUse"]["toolUseId"], "name": "get_weather"}}),
        (2, {"toolUse": {"toolUseId": TOOL2["toolUse"]["toolUseId"], "name": "get_weather"}}),
    ]
    stops = [e["contentBlockIndex"] for kind, e in events if kind == "contentBlockStop"]
    assert stops == [0, 1, 2]
    for index, block in enumerate(MIXED.content[1:], start=1):
        fragments = [
            e["delta"]["toolUse"]["input"]
            for kind, e in events
            if kind == "contentBlockDelta" and e["contentBlockIndex"] == index
        ]
        assert len(fragments) > 1 and json.loads("".join(fragments)) == block["toolUse"]["input"]
    text = "".join(e["delta"]["text"] for k, e in events if k == "contentBlockDelta" and e["contentBlockIndex"] == 0)
    assert text == "Let me check both cities."
    stream_shape = output_shape("ConverseStream").members["stream"]
    for kind, payload in events:
        report = ParamValidator().validate(payload, stream_shape.members[kind])
        assert not report.has_errors(), report.generate_report()


def test_claude_native_blocks_carry_their_index_and_tool_use_ids(prompt):
    rendered = claude.render(MIXED, prompt, "r")
    assert [b["type"] for b in rendered["content"]] == ["text", "tool_use", "tool_use"]
    assert rendered["content"][1]["id"].startswith("toolu_bdrk_01")
    assert rendered["content"][1]["input"] == {"city": "Paris"}
    chunks = list(claude.stream(MIXED, prompt, "r"))
    starts = [(c["index"], c["content_block"]["type"]) for c in chunks if c["type"] == "content_block_start"]
    assert starts == [(0, "text"), (1, "tool_use"), (2, "tool_use")]
    partial = "".join(
        c["delta"]["partial_json"] for c in chunks if c["type"] == "content_block_delta" and c["index"] == 2
    )
    assert json.loads(partial) == {"city": "Oslo"}


def test_nova_native_stream_mirrors_converse_stream(prompt):
    assert nova.render(MIXED, prompt, "r")["output"]["message"]["content"] == MIXED.content
    chunks = list(nova.stream(MIXED, prompt, "r"))
    converse_events = [{kind: payload} for kind, payload in converse_stream.stream(MIXED, prompt, "r")][:-1]
    native = chunks[:-1]  # the last chunk carries Nova's metadata and invocation metrics
    assert [json.dumps(c, sort_keys=True) for c in native] == [json.dumps(e, sort_keys=True) for e in converse_events]
