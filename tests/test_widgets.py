"""The playground driven in Python: set values, click, read the Output widgets."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pandas as pd
import pytest

from helpers import models, playground, usage
from helpers.offline import faults
from helpers.widgets import Compare, Playground, output_text

NOVA_LITE = "amazon.nova-lite-v1:0"
NOVA_MICRO = "amazon.nova-micro-v1:0"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"  # the playground offers the geography profile
LLAMA = "meta.llama3-8b-instruct-v1:0"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def frame(control):
    return models.models_frame(control, byOutputModality="TEXT")


@pytest.fixture
def pg(runtime, frame):
    return Playground(runtime, frame=frame, model_id=NOVA_LITE)


# ---- request building without widgets ---------------------------------------------------------------


def test_build_request_has_system_inference_config_and_claude_top_k():
    request = playground.build_request(
        HAIKU, "Hi", system="Be brief.", temperature=0, top_p=0.9, max_tokens=100, stop_sequences=["END", ""], top_k=200
    )
    assert request == {
        "modelId": HAIKU,
        "messages": [{"role": "user", "content": [{"text": "Hi"}]}],
        "system": [{"text": "Be brief."}],
        "inferenceConfig": {"maxTokens": 100, "temperature": 0, "topP": 0.9, "stopSequences": ["END"]},
        "additionalModelRequestFields": {"top_k": 200},
    }


def test_top_k_uses_each_family_spelling_and_is_left_out_elsewhere():
    assert playground.top_k_fields("us.amazon.nova-pro-v1:0", 40) == {"inferenceConfig": {"topK": 40}}
    assert playground.top_k_fields(HAIKU, 40) == {"top_k": 40}
    assert playground.top_k_fields(LLAMA, 40) is None
    assert "additionalModelRequestFields" not in playground.build_request(LLAMA, "Hi", top_k=40)


def test_empty_prompt_is_refused_before_sending():
    with pytest.raises(ValueError, match="The prompt is empty"):
        playground.build_request(NOVA_LITE, "   ")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("photo.JPG", {"image": {"format": "jpeg", "source": {"bytes": b"x"}}}),
        (
            "Q2_2025_earnings.v1.pdf",
            {"document": {"format": "pdf", "name": "Q2_2025_earnings v1", "source": {"bytes": b"x"}}},
        ),
        ("notes  (draft).md", {"document": {"format": "md", "name": "notes (draft)", "source": {"bytes": b"x"}}}),
    ],
)
def test_attachment_block_format_and_a_name_bedrock_accepts(name, expected):
    assert playground.attachment_block(name, b"x") == expected


def test_unsupported_or_empty_attachments_are_refused():
    with pytest.raises(ValueError, match=r"clip.mp4: Converse cannot attach .mp4 files here"):
        playground.attachment_block("clip.mp4", b"x")
    with pytest.raises(ValueError, match="shapes.png is empty"):
        playground.attachment_block("shapes.png", b"")


def test_request_code_shows_how_the_bytes_are_read():
    block = playground.sample_block("shapes.jpg")
    request = playground.build_request(NOVA_LITE, "What is here?", attachment=block)
    source = block["image"]["source"]["bytes"]
    code = playground.request_code(request, {id(source): playground.read_expression(playground.SAMPLES / "shapes.jpg")})
    assert "'bytes': (DATA / 'samples' / 'shapes.jpg').read_bytes()" in code
    assert playground.request_code(request).count(f"b'...'  # {len(source)} bytes") == 1


def test_models_are_filtered_by_what_the_inputs_need(frame):
    def offered(**wanted):
        return {value for _, value in playground.model_choices(frame, "us-east-1", **wanted)}

    everything = offered()
    for_images = offered(**playground.needs("image"))
    assert NOVA_MICRO in everything and NOVA_MICRO not in for_images
    assert LLAMA in everything - for_images  # no vision
    assert "amazon.titan-text-express-v1" not in offered(**playground.needs(None, "Be a pirate."))
    assert "amazon.titan-embed-text-v2:0" not in everything  # not a text model
    assert {NOVA_LITE, HAIKU} <= for_images


# ---- the widget ---------------------------------------------------------------------------------------


def test_stream_button_streams_the_answer_and_reports_usage_cost_latency(pg, runtime):
    pg.prompt.value = "Name three colours."
    pg.temperature.value = 0
    pg.stream_button.click()
    expected = runtime.converse(**pg.request()[0])
    answer_items = pg.answer.outputs
    assert len(answer_items) > 1  # arrived in pieces
    assert output_text(pg.answer) == expected["output"]["message"]["content"][0]["text"]
    info = output_text(pg.info).splitlines()
    assert info[0] == "stop reason: end_turn"
    assert info[1] == usage.describe(NOVA_LITE, expected["usage"])
    assert info[2].startswith(
        f"latency: metrics.latencyMs {expected['metrics']['latencyMs']} ms (simulated offline) | time to first token (measured) "
    )
    code = output_text(pg.request_view)
    assert code.startswith("request = {'modelId': 'amazon.nova-lite-v1:0'")
    assert "'temperature': 0" in code


def test_send_uses_converse_and_settings_reach_the_request(pg):
    pg.model.value = HAIKU
    pg.prompt.value = "Write a haiku about the sea."
    pg.max_tokens.value = 5
    pg.stop.value = "END, ###"
    pg.top_k.value = 200
    pg.send_button.click()
    result = pg.last_result
    assert result["mode"] == "Converse"
    assert result["stop_reason"] == "max_tokens"
    assert result["usage"]["outputTokens"] == 5
    request, _ = pg.request()
    assert request["inferenceConfig"]["stopSequences"] == ["END", "###"]
    assert request["additionalModelRequestFields"] == {"top_k": 200}
    assert output_text(pg.answer) == result["text"]


def test_top_k_is_shown_only_for_models_that_accept_it(pg):
    pg.model.value = HAIKU
    assert (pg.top_k.layout.display, pg.top_k.description) == (None, "top_k")
    pg.model.value = NOVA_LITE
    assert (pg.top_k.layout.display, pg.top_k.description) == (None, "topK")
    pg.model.value = LLAMA
    assert pg.top_k.layout.display == "none"
    pg.top_k.value = 50
    pg.prompt.value = "Hi"
    assert "additionalModelRequestFields" not in pg.request()[0]


def test_attaching_an_image_hides_models_that_cannot_see(pg):
    pg.model.value = NOVA_MICRO
    pg.sample.value = "shapes.jpg"
    ids = [value for _, value in pg.model.options]
    assert NOVA_MICRO not in ids and NOVA_LITE in ids
    assert pg.model.value == ids[0]
    pg.prompt.value = "What shapes do you see?"
    result = pg.stream()
    assert result["error"] is None
    assert "a JPEG image of 480 x 320 pixels" in output_text(pg.answer)
    assert "(DATA / 'samples' / 'shapes.jpg').read_bytes()" in output_text(pg.request_view)
    pg.sample.value = "(none)"
    assert NOVA_MICRO in [value for _, value in pg.model.options]


def test_an_uploaded_file_is_attached_in_place_of_a_sample(pg):
    pg.sample.value = "release_notes.md"
    pg.upload.value = (
        {
            "name": "dot.png",
            "type": "image/png",
            "size": len(PNG),
            "content": memoryview(PNG),
            "last_modified": datetime(2025, 1, 1, tzinfo=timezone.utc),
        },
    )
    block, expression = pg.attachment()
    assert block == {"image": {"format": "png", "source": {"bytes": PNG}}}
    assert expression == "open('dot.png', 'rb').read()"
    assert pg.sample.value == "(none)"  # one attachment at a time
    pg.sample.value = "shapes.jpg"
    assert pg.upload.value == ()
    pg.clear_button.click()
    assert pg.attachment() == (None, None)
    assert NOVA_MICRO in [value for _, value in pg.model.options]


def test_errors_show_the_explanation_never_a_traceback(pg, runtime):
    faults(runtime).fail_next(1, "ThrottlingException")
    pg.prompt.value = "Hi"
    result = pg.send()
    info = output_text(pg.info)
    assert info.startswith("ThrottlingException: Too many requests or tokens per minute")
    assert "Fix: Retry with exponential backoff" in info
    assert "Traceback" not in info and result["error"] == info.rstrip("\n")
    assert output_text(pg.answer) == ""


def test_a_stream_broken_midway_keeps_the_text_and_explains(pg, runtime):
    faults(runtime).fail_stream(after=5)
    pg.prompt.value = "Hi"
    result = pg.stream()
    assert output_text(pg.answer) == result["text"] != ""
    info = output_text(pg.info)
    assert info.startswith("ModelStreamErrorException: The model failed in the middle of a stream.")
    assert f"the {len(result['text'])} characters above arrived before the error" in info


def test_local_input_errors_are_explained_too(pg):
    pg.prompt.value = ""
    pg.send()
    assert output_text(pg.info) == "Invalid input: The prompt is empty: type what you want to ask.\n"
    assert pg.rows == []


def test_continue_sends_earlier_turns_and_reset_forgets_them(pg):
    pg.prompt.value = "Hello"
    pg.send()
    assert pg.turns.value == "conversation: 2 messages"
    pg.continue_chat.value = True
    pg.prompt.value = "And again"
    pg.send()
    roles = [m["role"] for m in pg.messages]
    assert roles == ["user", "assistant", "user", "assistant"]
    assert pg.messages[0]["content"][0]["text"] == "Hello"
    assert "I received 3 messages" in output_text(pg.answer)
    pg.reset_button.click()
    assert pg.messages == [] and pg.turns.value == "conversation: 0 messages"
    assert output_text(pg.answer) == ""
    pg.send()
    assert "I received 1 message " in output_text(pg.answer)


def test_history_is_a_dataframe_saved_to_csv(pg, tmp_path):
    pg.prompt.value = "One"
    pg.send()
    pg.temperature.value = 1
    pg.stream()
    history = pg.history()
    assert list(history["run"]) == [1, 2]
    assert list(history["mode"]) == ["Converse", "ConverseStream"]
    assert list(history["temperature"]) == [0.5, 1.0]
    assert history["input_tokens"].notna().all() and history["cost_usd"].gt(0).all()
    (table,) = pg.history_view.outputs  # the same rows, shown inside the widget
    html = table["data"]["text/html"]
    assert html.count("<tr") == 3 and "<th>prompt</th>" in html and "<td>ConverseStream</td>" in html
    pg.csv_path.value = str(tmp_path / "runs.csv")
    pg.save_button.click()
    assert output_text(pg.saved) == "Saved 2 run(s) to runs.csv\n"
    saved = pd.read_csv(tmp_path / "runs.csv")
    assert list(saved["prompt"]) == ["One", "One"]
    assert list(saved["output_tokens"]) == list(history["output_tokens"])


def test_saving_to_an_impossible_path_is_reported(pg, tmp_path):
    pg.csv_path.value = str(tmp_path / "missing-folder" / "runs.csv")
    pg.save_button.click()
    assert output_text(pg.saved) == "Could not save: the folder 'missing-folder' does not exist.\n"


def test_playground_displays_as_a_stable_line_outside_jupyterlab(pg):
    bundle = pg._repr_mimebundle_()
    assert bundle["text/plain"] == "Playground: interactive controls (open in JupyterLab to use them)"
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ---- compare view -------------------------------------------------------------------------------------


def test_compare_sends_one_prompt_to_each_model_side_by_side(runtime, frame):
    view = Compare(runtime, [NOVA_LITE, HAIKU, NOVA_MICRO], frame=frame)
    view.prompt.value = "Name three colours."
    view.temperature.value = 0
    view.send_button.click()
    for model_id, answer, info in zip([NOVA_LITE, HAIKU, NOVA_MICRO], view.answers, view.infos):
        expected = runtime.converse(
            **playground.build_request(model_id, "Name three colours.", temperature=0, max_tokens=512)
        )
        assert output_text(answer) == expected["output"]["message"]["content"][0]["text"]
        assert output_text(info).splitlines()[1] == usage.describe(model_id, expected["usage"])


def test_compare_third_column_is_optional_and_bad_ids_are_refused(runtime, frame):
    view = Compare(runtime, [NOVA_LITE, HAIKU], frame=frame)
    assert view.pickers[2].value is None
    view.prompt.value = "Hi"
    assert [r["model"] for r in view.send()] == [NOVA_LITE, HAIKU]
    assert output_text(view.answers[2]) == ""
    with pytest.raises(ValueError, match="Not a text model in us-east-1: \\['amazon.titan-embed-text-v2:0'\\]"):
        Compare(runtime, [NOVA_LITE, "amazon.titan-embed-text-v2:0"], frame=frame)
    with pytest.raises(ValueError, match="Compare two or three models."):
        Compare(runtime, [NOVA_LITE], frame=frame)


def test_a_sample_tool_offers_only_models_with_tool_use_and_reports_the_call(pg):
    ids_before = [value for _, value in pg.model.options]
    assert LLAMA in ids_before  # Llama 3 8B answers text but has no tool use
    pg.tool.value = "get_weather"
    ids = [value for _, value in pg.model.options]
    assert LLAMA not in ids and NOVA_LITE in ids
    pg.model.value = NOVA_LITE
    pg.prompt.value = "What's the weather in Paris?"
    pg.send_button.click()
    request, _ = pg.request()
    assert request["toolConfig"] == {"tools": [playground.SAMPLE_TOOLS["get_weather"]]}
    assert pg.last_result["stop_reason"] == "tool_use"
    assert 'tool call: get_weather {"city": "Paris"}' in output_text(pg.info)
    pg.tool.value = playground.NO_TOOL
    assert "toolConfig" not in pg.request()[0]


# ---- sample guardrails --------------------------------------------------------------------------------

DENY = "deny investment advice"
MASK = "mask e-mail and phone"


def names_in(control) -> list[str]:
    return [g["name"] for g in control.list_guardrails()["guardrails"]]


def test_build_request_puts_the_guardrail_in_guardrail_config_with_its_trace():
    guardrail = {"guardrailIdentifier": "abc123def456", "guardrailVersion": "DRAFT"}
    request = playground.build_request(NOVA_LITE, "Hi", guardrail=guardrail)
    assert request["guardrailConfig"] == {
        "guardrailIdentifier": "abc123def456",
        "guardrailVersion": "DRAFT",
        "trace": "enabled",
    }
    assert "guardrailConfig" not in playground.build_request(NOVA_LITE, "Hi")
    with pytest.raises(ValueError, match="The guardrail needs guardrailVersion: give its id and a version"):
        playground.build_request(NOVA_LITE, "Hi", guardrail={"guardrailIdentifier": "abc123def456"})


def test_a_sample_guardrail_is_created_once_and_found_again_by_name(control):
    first = playground.sample_guardrail(control, DENY)
    again = playground.sample_guardrail(control, DENY)
    assert first == again and first["guardrailVersion"] == "DRAFT"
    assert names_in(control) == [playground.SAMPLE_GUARDRAILS[DENY]["name"]]
    stored = control.get_guardrail(guardrailIdentifier=first["guardrailIdentifier"])
    assert stored["topicPolicy"]["topics"][0]["name"] == "Investment advice"
    control.delete_guardrail(guardrailIdentifier=first["guardrailIdentifier"])
    assert playground.sample_guardrail(control, DENY) != first  # gone from the account: made anew
    with pytest.raises(ValueError, match=r"No sample guardrail named 'nope'; choose one of \['deny investment"):
        playground.sample_guardrail(control, "nope")


def test_a_new_guardrail_is_waited_for_until_ready(monkeypatch):
    from botocore.stub import Stubber

    from helpers import clients, guardrails

    control = clients.control_client(region="us-east-1")
    config = playground.SAMPLE_GUARDRAILS[MASK]
    arn = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def456"
    ids = {"guardrailIdentifier": "abc123def456", "guardrailVersion": "DRAFT"}

    def state(status):
        return {
            **{k: config[k] for k in ("name", "blockedInputMessaging", "blockedOutputsMessaging")},
            "guardrailId": "abc123def456",
            "guardrailArn": arn,
            "version": "DRAFT",
            "status": status,
            "createdAt": datetime(2026, 11, 30, tzinfo=timezone.utc),
            "updatedAt": datetime(2026, 11, 30, tzinfo=timezone.utc),
        }

    naps = []
    monkeypatch.setattr(guardrails.time, "sleep", naps.append)
    with Stubber(control) as stub:
        stub.add_response("list_guardrails", {"guardrails": []})
        created = {"guardrailId": "abc123def456", "guardrailArn": arn, "version": "DRAFT", "createdAt": datetime.now()}
        stub.add_response("create_guardrail", created, config)
        stub.add_response("get_guardrail", state("CREATING"), ids)
        stub.add_response("get_guardrail", state("READY"), ids)
        assert playground.sample_guardrail(control, MASK) == ids
        stub.assert_no_pending_responses()
    assert naps == [0.5]
    with Stubber(control) as stub:
        stub.add_response("get_guardrail", {**state("FAILED"), "statusReasons": ["KMS key disabled"]}, ids)
        with pytest.raises(guardrails.GuardrailNotReady, match=r"abc123def456 version DRAFT is FAILED \(KMS key"):
            guardrails.wait_until_ready(control, "abc123def456")


@pytest.mark.parametrize("stream", [False, True])
def test_a_blocked_request_reports_the_intervention(runtime, control, stream):
    guardrail = playground.sample_guardrail(control, DENY)
    request = playground.build_request(NOVA_LITE, "Which stocks should I buy this month?", guardrail=guardrail)
    result = playground.run(runtime, request, stream=stream)
    assert result["text"] == playground.SAMPLE_GUARDRAILS[DENY]["blockedInputMessaging"]
    lines = playground.report(result, measured=False).splitlines()
    assert lines[0] == "stop reason: guardrail_intervened"
    assert lines[2] == 'guardrail on the input: BLOCKED denied topic "Investment advice"'
    assert result["usage"]["inputTokens"] == 0  # blocked before any model saw it


def test_a_masked_prompt_reports_each_mask_and_the_model_never_sees_the_address(runtime, control):
    guardrail = playground.sample_guardrail(control, MASK)
    prompt = "Write to jane.doe@example.com or call 206-555-0100 about the order."
    result = playground.run(runtime, playground.build_request(NOVA_LITE, prompt, guardrail=guardrail), stream=True)
    assert "jane.doe@example.com" not in result["text"] and "{EMAIL}" in result["text"]  # offline: the prompt echoed
    report = playground.report(result, measured=False)
    assert 'guardrail on the input: ANONYMIZED sensitive information EMAIL "jane.doe@example.com"' in report
    assert 'guardrail on the input: ANONYMIZED sensitive information PHONE "206-555-0100"' in report
    unguarded = playground.run(runtime, playground.build_request(NOVA_LITE, prompt))
    assert "guardrail" not in playground.report(unguarded, measured=False)


def test_an_intervention_without_a_trace_still_says_so():
    lines = playground.guardrail_lines({"stop_reason": "guardrail_intervened", "trace": None})
    assert lines == ["guardrail intervened (the response carries no trace: send trace 'enabled' to see why)"]
    assert playground.guardrail_lines({"stop_reason": "end_turn", "trace": None}) == []


def test_the_guardrail_dropdown_guards_the_request_and_keeps_every_model(runtime, control, frame):
    pg = Playground(runtime, frame=frame, model_id=NOVA_LITE, control=control)
    assert list(pg.guardrail.options) == [playground.NO_GUARDRAIL, DENY, MASK]
    ids_before = [value for _, value in pg.model.options]
    pg.prompt.value = "Which stocks should I buy this month?"
    assert "guardrailConfig" not in pg.request()[0]
    pg.guardrail.value = DENY
    assert [value for _, value in pg.model.options] == ids_before  # any text model takes a guardrail
    pg.model.value = LLAMA
    pg.send_button.click()
    pg.stream_button.click()
    request, _ = pg.request()
    config = request["guardrailConfig"]
    assert config == {**playground.sample_guardrail(control, DENY), "trace": "enabled"}
    assert names_in(control) == [playground.SAMPLE_GUARDRAILS[DENY]["name"]]  # two runs, one guardrail
    assert pg.last_result["stop_reason"] == "guardrail_intervened"
    assert output_text(pg.answer) == "Sorry, I can't give investment advice."
    assert 'guardrail on the input: BLOCKED denied topic "Investment advice"' in output_text(pg.info)
    assert "'guardrailConfig': {'guardrailIdentifier'" in output_text(pg.request_view)
    pg.guardrail.value = MASK
    assert pg.request()[0]["guardrailConfig"]["guardrailIdentifier"] != config["guardrailIdentifier"]
    pg.guardrail.value = playground.NO_GUARDRAIL
    assert "guardrailConfig" not in pg.request()[0]


def test_a_guardrail_the_control_plane_refuses_is_explained_in_the_widget(runtime, control, frame):
    from botocore.stub import Stubber

    pg = Playground(runtime, frame=frame, model_id=NOVA_LITE, control=control)
    pg.guardrail.value = MASK
    pg.prompt.value = "Hi"
    with Stubber(control) as stub:  # the emulator's fault plan covers runtime operations only
        stub.add_client_error("list_guardrails", "AccessDeniedException", "not authorized", 403)
        result = pg.send()
    info = output_text(pg.info)
    assert info.startswith("AccessDeniedException:") and "Traceback" not in info
    assert result["error"] and pg.rows == []
