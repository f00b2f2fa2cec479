"""Every exercise check accepts its reference solution and rejects typical mistakes with a precise message."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path

import pytest

from helpers import exercises
from helpers.exercises import cells, solutions
from helpers.paths import DATA

PNG = (DATA / "samples" / "landscape.png").read_bytes()


def changed(exercise_id, edit):
    """The reference solution with one mistake made by `edit` (which changes it in place or returns a value)."""
    value = copy.deepcopy(solutions.solution(exercise_id))
    result = edit(value)
    return value if result is None else result


def _set(path, new):
    def edit(value):
        target = value
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = new

    return edit


def _drop(path):
    def edit(value):
        target = value
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


MISTAKES = [
    # ---- wrong answers learners write, one per class of mistake -------------------------------------
    (
        "01-policy",
        _set(["Statement", 0, "Resource"], "arn:aws:bedrock:us-east-1:123456789012:foundation-model/*"),
        "'arn:aws:bedrock:us-east-1:123456789012:foundation-model/*' carries an account id, but foundation models "
        "belong to no account: their ARNs have an empty account field, so this grants nothing. Use "
        "'arn:aws:bedrock:*::foundation-model/*'.",
    ),
    (
        "01-denied",
        _set(["Action"], "bedrock:ConverseStream"),
        "bedrock:ConverseStream is not an IAM action: the error names the one to allow.",
    ),
    (
        "01-denied",
        _set(["Action"], "bedrock:InvokeModel"),
        "The error says which action was refused: bedrock:InvokeModelWithResponseStream; allow that one.",
    ),
    (
        "01-denied",
        _set(["Resource"], "arn:aws:bedrock:us-east-1:123456789012:foundation-model/amazon.nova-lite-v1:0"),
        "'arn:aws:bedrock:us-east-1:123456789012:foundation-model/amazon.nova-lite-v1:0' carries an account id, but "
        "foundation models belong to no account: their ARNs have an empty account field, so this grants nothing. "
        "Use 'arn:aws:bedrock:*::foundation-model/*'.",
    ),
    (
        "01-denied",
        _set(["Resource"], "*"),
        "Resource '*' covers every resource in the account; use the foundation-model ARN "
        "'arn:aws:bedrock:*::foundation-model/*'.",
    ),
    (
        "02-choose-model",
        lambda v: "amazon.nova-micro-v1:0",
        "'amazon.nova-micro-v1:0' cannot read documents in Converse: its documents column is False.",
    ),
    (
        "02-choose-model",
        lambda v: "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        "'global.anthropic.claude-haiku-4-5-20251001-v1:0' can read PDFs, but another model that can costs less per token: "
        "compare the prices.",
    ),
    (
        "03-retry",
        lambda v: v | {"ValidationException"},
        "Not ValidationException: the same request fails the same way every time: fix the request instead.",
    ),
    (
        "03-retry",
        lambda v: v | {"AccessDeniedException"},
        "Not AccessDeniedException: a missing permission or model access does not come back by waiting.",
    ),
    (
        "03-retry",
        lambda v: v - {"ModelNotReadyException"},
        "Add ModelNotReadyException: the model is being loaded: botocore itself retries it.",
    ),
    (
        "04-downscale",
        lambda v: v | {"d.png"},
        "d.png fits: 8000 px is at most 8000, and 3,900,000 bytes is under 3.75 MB = 3,932,160 bytes (a MB here "
        "is 1,048,576 bytes).",
    ),
    (
        "04-downscale",
        lambda v: {"b.png"},
        "c.jpg must be made smaller: 4,500,000 bytes is over 3.75 MB (Bedrock's 5 MB applies to the base64 text, "
        "4/3 larger).",
    ),
    ("05-valid-request", lambda v: "A", "Not A: a document block needs a text block beside it in the same message."),
    ("05-valid-request", lambda v: "B", "Not B: documents (and images) may only appear in user messages."),
    (
        "05-valid-request",
        lambda v: "D",
        "Not D: two documents with the same name in one request are refused: name them apart.",
    ),
    (
        "06-video-route",
        _set(["lecture.mp4"], "bytes"),
        "lecture.mp4 (300 MB): over 25 MB inline is refused; from S3 a video may be up to 1 GB.",
    ),
    (
        "06-video-route",
        _set(["webinar.mp4"], "s3"),
        "webinar.mp4 (3,072 MB): even from S3 a video may be at most 1 GB: cut it into parts.",
    ),
    (
        "06-video-route",
        _set(["intro.mp4"], "s3"),
        "intro.mp4 (8 MB): under 25 MB fits inline as bytes (no bucket needed).",
    ),
    ("07-cost", lambda v: v * 1000, "Prices are per 1,000,000 tokens, not per 1,000."),
    (
        "07-cost",
        lambda v: (1200 * 0.24 + 800 * 0.06) / 1e6,
        "Input and output are swapped: output tokens cost the output price.",
    ),
    ("07-cost", lambda v: 1200 * 0.06 / 1e6, "That is only the input: output tokens are billed too."),
    (
        "07-cost",
        lambda v: 2000 * 0.06 / 1e6,
        "Input and output have different prices: price each count separately.",
    ),
    (
        "08-long-config",
        lambda v: "B",
        "Not B: the timeout is long enough, but botocore's adaptive retries treat a read timeout as transient and "
        "send the generation again (billed again) after a network hiccup.",
    ),
    (
        "08-long-config",
        lambda v: "D",
        "Not D: its 300 s read timeout ends a 20-minute call; nothing is sent twice, but every long call fails.",
    ),
    (
        "08-claude-body",
        _set(["system"], [{"text": "You are a helpful assistant."}]),
        "system[0] is a Claude content block, which carries its kind: {'type': 'text', 'text': ...} (Converse and "
        "Nova write {'text': ...} without 'type').",
    ),
    (
        "13-pick-run",
        lambda v: "amazon.nova-micro-v1:0",
        "amazon.nova-micro-v1:0 stopped with max_tokens: its answer was cut off.",
    ),
    (
        "13-pick-run",
        lambda v: "amazon.nova-pro-v1:0",
        "amazon.nova-pro-v1:0 took 2600 ms, over the 2000 ms budget.",
    ),
    (
        "13-pick-run",
        lambda v: "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        "global.anthropic.claude-haiku-4-5-20251001-v1:0 fits, but another complete answer within budget cost less "
        "($0.001550 here): compute each run's cost.",
    ),
    (
        "01-policy",
        _set(["Statement", 0, "Action"], ["bedrock:Converse", "bedrock:ConverseStream"]),
        "'bedrock:Converse' is not an IAM action: Converse is authorized by bedrock:InvokeModel and ConverseStream by "
        "bedrock:InvokeModelWithResponseStream.",
    ),
    (
        "01-policy",
        _set(["Statement", 0, "Action"], ["bedrock:InvokeModel"]),
        "No statement allows bedrock:InvokeModelWithResponseStream (needed by ConverseStream).",
    ),
    (
        "01-policy",
        _set(["Statement", 0, "Resource"], "*"),
        "Resource '*' covers every resource in the account; use the foundation-model ARN "
        "'arn:aws:bedrock:*::foundation-model/*'.",
    ),
    (
        "01-policy",
        _set(["Statement", 0, "Action"], "bedrock:*"),
        "'bedrock:*' allows every Bedrock action; least privilege lists only bedrock:InvokeModel and "
        "bedrock:InvokeModelWithResponseStream.",
    ),
    (
        "01-policy",
        _set(["Version"], "2008-10-17"),
        "'Version' must be '2012-10-17' (the current policy language), not '2008-10-17'.",
    ),
    (
        "01-config",
        lambda v: v.replace("[profile bedrock-learner]", "[bedrock-learner]"),
        "In ~/.aws/config a named profile's section is [profile bedrock-learner]; the bare [bedrock-learner] form "
        "belongs in ~/.aws/credentials.",
    ),
    (
        "01-config",
        lambda v: v + "aws_secret_access_key = wJalrXUtnFEMI\n",
        "Keep aws_secret_access_key out of ~/.aws/config: keys belong in ~/.aws/credentials.",
    ),
    (
        "01-config",
        lambda v: v.replace("us-west-2", "us-west-2a"),
        "'us-west-2a' is an Availability Zone; the region is 'us-west-2'.",
    ),
    (
        "02-filter",
        _set(["byOutputModality"], "text"),
        "byOutputModality takes the API's enum in capitals: 'TEXT', not 'text'.",
    ),
    (
        "02-filter",
        lambda v: {"provider": "Anthropic", **v},
        "list_foundation_models has no parameter 'provider'; it takes byCustomizationType, byInferenceType, "
        "byOutputModality, byProvider.",
    ),
    (
        "02-filter",
        _drop(["byInferenceType"]),
        "Add byInferenceType='ON_DEMAND' to keep models you can call without a profile.",
    ),
    (
        "02-profile-id",
        lambda v: "anthropic.claude-sonnet-4-6",
        "The base id only allows profile calls: Claude Sonnet 4.6 needs its inference profile id "
        "(a geography prefix before the model id).",
    ),
    (
        "02-profile-id",
        lambda v: "eu.anthropic.claude-sonnet-4-6",
        "From us-west-2 the profile's geography prefix is 'us.', not 'eu.'.",
    ),
    (
        "03-request",
        _set(["system"], "You are a travel guide."),
        "'system' must be a list of blocks, e.g. [{'text': 'You are ...'}], not a plain string.",
    ),
    (
        "03-request",
        _set(["inferenceConfig"], {"temperature": 0.5, "max_tokens": 300}),
        "inferenceConfig uses camelCase: 'maxTokens', not 'max_tokens'.",
    ),
    (
        "03-request",
        lambda v: {**{k: x for k, x in v.items() if k != "inferenceConfig"}, "temperature": 0.5},
        "'temperature' goes inside inferenceConfig, not at the top level of the request.",
    ),
    (
        "03-request",
        lambda v: {**v, "messages": [{"role": "system", "content": [{"text": "Be brief."}]}, *v["messages"]]},
        "The system prompt goes in the request's 'system' field, not in 'messages' (roles there are only 'user' "
        "and 'assistant').",
    ),
    (
        "03-continue",
        lambda v: [v[0], v[1]["content"][0]["text"]],
        "You appended the answer's text; append the whole message dict response['output']['message'] instead.",
    ),
    (
        "03-continue",
        lambda v: [v[0], {"output": {"message": v[1]}, "stopReason": "end_turn"}],
        "You appended the whole response; append only response['output']['message'].",
    ),
    ("03-continue", _set([1, "role"], "model"), "messages[1]['role'] must be 'assistant', not 'model'."),
    (
        "03-continue",
        _set([1, "content"], "1. Blinding Lights"),
        "messages[1]['content'] must be a list of content blocks, e.g. [{'text': ...}], not a plain string.",
    ),
    ("04-image-block", _set(["image", "format"], "jpg"), "Bedrock calls the .jpg format 'jpeg'."),
    (
        "04-image-block",
        _set(["image", "source", "bytes"], "aGVsbG8="),
        "block['image']['source']['bytes'] must be the raw bytes: boto3 base64-encodes them for you (read the file "
        "with .read_bytes()).",
    ),
    ("04-image-block", _set(["image", "source", "bytes"], PNG), "The bytes are a PNG image but 'format' says 'jpeg'."),
    (
        "04-image-message",
        _set(["content"], [solutions.solution("04-image-block")]),
        "Add a text block with your question next to the image.",
    ),
    ("04-image-message", _set(["role"], "assistant"), "The message['role'] must be 'user', not 'assistant'."),
    (
        "05-document-block",
        _set(["document", "name"], "Q2_2025_earnings.v1.pdf"),
        "'Q2_2025_earnings.v1.pdf' is not a legal name. The document file name can only contain alphanumeric "
        "characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more "
        "than one consecutive whitespace character.",
    ),
    (
        "05-document-block",
        _set(["document", "format"], "application/pdf"),
        "'format' must be one of csv, doc, docx, html, md, pdf, txt, xls, xlsx, not 'application/pdf'.",
    ),
    ("05-document-block", _drop(["document", "name"]), "A document block needs a 'name' (1-200 characters)."),
    (
        "05-document-message",
        lambda v: {**v, "content": v["content"][:1]},
        "Bedrock needs a text block beside a document: add your question as {'text': ...}.",
    ),
    (
        "05-document-message",
        _set(["content", 0, "document", "name"], "Q2  2025"),
        "'Q2  2025' is not a legal name. The document file name can only contain alphanumeric characters, whitespace "
        "characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive "
        "whitespace character.",
    ),
    (
        "06-video-s3",
        _set(["video", "source", "s3Location", "uri"], "https://my-video-bucket.s3.amazonaws.com/clip.mp4"),
        "'uri' must be an s3:// URI such as 's3://my-bucket/clip.mp4', not "
        "'https://my-video-bucket.s3.amazonaws.com/clip.mp4'.",
    ),
    (
        "06-video-s3",
        _set(["video", "format"], "video/mp4"),
        "'format' must be one of flv, mkv, mov, mp4, mpeg, mpg, three_gp, webm, wmv, not 'video/mp4'.",
    ),
    (
        "06-video-s3",
        lambda v: {"video": {"format": "mp4", "source": {"s3location": {"uri": "s3://b/clip.mp4"}}}},
        "The key is spelled 's3Location' (capital L).",
    ),
    (
        "06-video-s3",
        _set(["video", "source", "bytes"], b"\x00\x00"),
        "'source' takes exactly one of 'bytes' or 's3Location', not both.",
    ),
    (
        "06-video-model",
        lambda v: "global.anthropic.claude-sonnet-4-6",
        "'global.anthropic.claude-sonnet-4-6' cannot take video in Converse; Amazon Nova Lite, Pro and Premier can.",
    ),
    (
        "06-video-model",
        lambda v: "amazon.nova-micro-v1:0",
        "'amazon.nova-micro-v1:0' cannot take video in Converse; Amazon Nova Lite, Pro and Premier can.",
    ),
    (
        "07-collect",
        _set(["content", 0, "text"], ' Lights"'),
        "That is only the last delta: join the delta.text of every contentBlockDelta, in order.",
    ),
    (
        "07-collect",
        lambda v: {"role": "assistant", "content": v["content"][0]["text"]},
        "The message['content'] must be a list of content blocks, e.g. [{'text': ...}], not a plain string.",
    ),
    (
        "07-collect",
        lambda v: {
            "role": "assistant",
            "content": [
                {
                    "text": " ".join(
                        e["contentBlockDelta"]["delta"]["text"]
                        for e in exercises.sample("07-collect")
                        if "contentBlockDelta" in e
                    )
                }
            ],
        },
        "The text has 54 characters but the deltas carry 47: join every delta's text, in order, adding nothing "
        "between them.",
    ),
    (
        "07-stop-reason",
        lambda v: "end_turn",
        "The messageStop event says something else than 'end_turn': find the event whose key is 'messageStop' and "
        "read its 'stopReason'.",
    ),
    (
        "07-stop-reason",
        lambda v: {"stopReason": v},
        "Return just the stopReason string from the messageStop event, not a dict.",
    ),
    ("08-nova-body", _drop(["schemaVersion"]), "A Nova body starts with 'schemaVersion': 'messages-v1', not None."),
    (
        "08-nova-body",
        _set(["inferenceConfig"], {"max_tokens": 500}),
        "Nova's inferenceConfig uses 'maxTokens', not 'max_tokens'.",
    ),
    (
        "08-nova-body",
        _set(["system"], "Act as a creative writing assistant."),
        "Nova's 'system' is a list of blocks [{'text': ...}], not a plain string.",
    ),
    (
        "08-nova-body",
        _set(["messages", 0, "content", 0], {"type": "text", "text": "A camping trip"}),
        "Nova blocks are {'text': ...} without a 'type' key (that is Claude's format).",
    ),
    ("08-claude-body", _drop(["max_tokens"]), "'max_tokens' is required in a Claude body."),
    (
        "08-claude-body",
        _set(["anthropic_version"], "2023-06-01"),
        "On Bedrock anthropic_version is 'bedrock-2023-05-31', not '2023-06-01'.",
    ),
    (
        "08-claude-body",
        _set(["messages", 0, "content", 0], {"text": "Create a list of 3 pop songs."}),
        "messages[0]['content'][0] is a Claude content block, which carries its kind: {'type': 'text', 'text': ...} "
        "(Converse and Nova write {'text': ...} without 'type').",
    ),
    (
        "13-request",
        lambda v: {**v, "inferenceConfig": {**v["inferenceConfig"], "top_k": 50}},
        "top_k is Claude-specific: it goes in additionalModelRequestFields, not inferenceConfig.",
    ),
    (
        "13-request",
        _set(["inferenceConfig", "stopSequences"], "5."),
        "stopSequences is a list of strings: ['5.'], not a single string.",
    ),
    ("13-request", _set(["inferenceConfig", "temperature"], 1), "Set temperature 0, not 1."),
    (
        "13-compare",
        lambda v: [v[0], {**v[0]}],
        "Each request should use a different model; "
        "['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'global.anthropic.claude-haiku-4-5-20251001-v1:0'] repeats one.",
    ),
    (
        "13-compare",
        _set([1, "inferenceConfig"], {"temperature": 1, "maxTokens": 300}),
        "requests[1] differs from requests[0] in ['inferenceConfig']: only modelId may change.",
    ),
    ("13-compare", lambda v: v[:1], "Compare two or three models, not 1."),
    # ---- 09: tool use ----------------------------------------------------------------------------------
    (
        "09-tool-spec",
        lambda v: v["toolSpec"],
        "A tool is wrapped: {'toolSpec': {'name': ..., 'description': ..., 'inputSchema': ...}}.",
    ),
    (
        "09-tool-spec",
        _set(["toolSpec", "name"], "convert currency"),
        "The name may hold only letters, digits, '_' and '-' (1-64 characters): "
        "convert_currency, not 'convert currency'.",
    ),
    (
        "09-tool-spec",
        lambda v: {"toolSpec": {**v["toolSpec"], "inputSchema": v["toolSpec"]["inputSchema"]["json"]}},
        "inputSchema holds the JSON schema under 'json': {'json': {'type': 'object', ...}}.",
    ),
    (
        "09-tool-spec",
        _set(["toolSpec", "inputSchema", "json", "properties", "amount", "type"], "float"),
        "'amount' is a JSON Schema number: {'type': 'number'} ('float' is not a JSON Schema type).",
    ),
    (
        "09-tool-spec",
        _set(["toolSpec", "inputSchema", "json", "required"], ["amount"]),
        "List both properties in 'required', or the model may leave them out.",
    ),
    ("09-tool-result", _set(["role"], "tool"), "Tool results go back in a 'user' turn (Converse has no 'tool' role)."),
    (
        "09-tool-result",
        lambda v: {**v, "content": v["content"][:1]},
        "Answer every toolUse of the turn: 2 toolResult blocks, in one turn.",
    ),
    (
        "09-tool-result",
        _set(["content", 1, "toolResult", "toolUseId"], "tooluse_oslo"),
        "Copy each toolUseId exactly from the toolUse it answers.",
    ),
    (
        "09-tool-result",
        _set(["content", 0, "toolResult", "content"], "18 C"),
        "A toolResult's 'content' is a list: [{'json': {...}}] or [{'text': ...}].",
    ),
    (
        "09-tool-result",
        _set(["content", 0, "toolResult", "content"], [{"json": [18]}]),
        "A 'json' block holds an object; wrap lists or numbers: {'json': {'value': ...}}.",
    ),
    (
        "09-stream-input",
        lambda v: '{"amount":250,"to":"JPY"}',
        "Parse the joined pieces with json.loads: the tool gets a dict, not JSON text.",
    ),
    (
        "09-stream-input",
        lambda v: {"amount": 2},
        "Join every toolUse input piece of contentBlockIndex 1, in order, then json.loads the result.",
    ),
    ("09-tool-choice", lambda v: {"auto": {}}, "With 'auto' the model may answer in text: the job forbids that."),
    ("09-tool-choice", lambda v: {"any": {}}, "'any' forces a tool, but may pick lookup_customer: name the one tool."),
    (
        "09-tool-choice",
        lambda v: {"tool": {"name": "lookup_customer"}},
        "Force one tool by name: {'tool': {'name': 'record_ticket'}}.",
    ),
]
# Notebooks whose exercises live in their own module keep their wrong answers beside them:
# tests/mistakes_<topic>.py defines MISTAKES in the same (exercise id, edit, message) form.
for _module in sorted(Path(__file__).parent.glob("mistakes_*.py")):
    MISTAKES += importlib.import_module(f"tests.{_module.stem}").MISTAKES


# Right answers other than the reference solution, which a check must not refuse.
ALSO_RIGHT = [
    ("08-claude-body", _set(["messages", 0, "content"], "Create a list of 3 pop songs.")),
    ("08-claude-body", _set(["system"], [{"type": "text", "text": "You are a helpful assistant."}])),
    ("01-policy", _set(["Statement", 0, "Resource"], "arn:aws:bedrock:*:*:foundation-model/*")),
    ("01-policy", _set(["Statement", 0, "Resource"], "arn:aws:bedrock:us-east-1::foundation-model/*")),
    ("01-denied", _set(["Action"], ["bedrock:InvokeModelWithResponseStream"])),
    ("02-choose-model", lambda v: "us.amazon.nova-lite-v1:0"),
    ("03-retry", lambda v: sorted(v)),
    ("05-document-block", _set(["document", "name"], "Q2_2025_earnings v1")),
]


@pytest.mark.parametrize("exercise_id, edit", ALSO_RIGHT, ids=[f"{a[0]}-{i}" for i, a in enumerate(ALSO_RIGHT)])
def test_other_right_answers_are_accepted(exercise_id, edit):
    assert exercises.problem(exercise_id, changed(exercise_id, edit)) is None


def test_judgement_answers_follow_the_data():
    """The judgement exercises' answers, worked out independently of the checks' own helpers."""
    from helpers.exercises import judgement

    assert judgement.cheapest_with("documents") == "amazon.nova-lite-v1:0"
    assert judgement.best_run()["modelId"] == "amazon.nova-lite-v1:0"
    assert {name: judgement.video_route(size) for name, size in judgement.VIDEOS.items()} == solutions.solution(
        "06-video-route"
    )
    assert solutions.solution("07-cost") == pytest.approx(0.000264)


def numbered_notebooks() -> list[str]:
    """'01', '02', ... for every notebook after the introduction (00 has no exercises)."""
    return sorted(p.name[:2] for p in (DATA.parent / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.name[:2] != "00")


def test_each_notebook_has_a_judgement_exercise():
    from helpers.exercises import catalog

    assert sorted(e.notebook for e in catalog.JUDGEMENTS) == numbered_notebooks()
    for exercise in catalog.JUDGEMENTS:
        assert exercise.id in catalog.SAMPLES or exercise.id == "02-choose-model"


@pytest.mark.parametrize("exercise_id", exercises.ids())
def test_every_check_accepts_its_reference_solution(exercise_id, capsys):
    assert exercises.problem(exercise_id, solutions.solution(exercise_id)) is None
    exercises.check(exercise_id, solutions.solution(exercise_id))
    assert capsys.readouterr().out == f"Correct: {exercises.exercise(exercise_id).done}\n"


@pytest.mark.parametrize("exercise_id, edit, message", MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_typical_mistakes_get_a_precise_message(exercise_id, edit, message, capsys):
    wrong = changed(exercise_id, edit)
    assert exercises.problem(exercise_id, wrong) == message
    exercises.check(exercise_id, wrong)
    assert capsys.readouterr().out == f"Not yet: {message}\n"


def test_every_exercise_has_at_least_two_typical_mistakes_tested():
    counts = dict.fromkeys(exercises.ids(), 0)
    for exercise_id, _, _ in MISTAKES:
        counts[exercise_id] += 1
    assert {i: n for i, n in counts.items() if n < 2} == {}


def test_each_notebook_has_at_least_two_exercises():
    for number in map(int, numbered_notebooks()):
        assert len(exercises.ids(f"{number:02d}")) >= 2, number


@pytest.mark.parametrize("unanswered", [None, ...])
def test_an_unanswered_exercise_says_not_yet_and_does_not_raise(unanswered, capsys):
    exercises.check("03-request", unanswered)
    assert capsys.readouterr().out == (
        "Not yet: replace the ... with your answer. Task: Build the Converse request: "
        "a system prompt, one user message, temperature 0.5 and maxTokens 300.\n"
    )


def test_odd_values_are_not_yet_not_a_traceback(capsys):
    exercises.check("03-request", 42)
    assert capsys.readouterr().out == "Not yet: The request must be a dict, not int.\n"
    assert (
        exercises.problem("07-collect", {"role": "assistant", "content": [{"text": 5}]})
        == "message['content'][0]['text'] must be a non-empty string."
    )


def test_invoke_bodies_may_be_given_as_json_text():
    assert exercises.problem("08-claude-body", json.dumps(solutions.solution("08-claude-body"))) is None
    assert (
        exercises.problem("08-nova-body", "{not json")
        == "The body is not valid JSON: Expecting property name enclosed in double quotes at position 1."
    )


def test_hints_come_one_at_a_time_and_stay_on_the_last(capsys):
    exercise_id = "01-policy"
    exercises._hints_shown.pop(exercise_id, None)
    for _ in range(3):
        exercises.hint(exercise_id)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Hint 1/2", "Hint 2/2", "Hint 2/2"]


def test_unknown_exercise_ids_name_the_real_ones():
    with pytest.raises(ValueError, match=r"No exercise '03-reqest'; the exercises are: 01-policy, 01-config"):
        exercises.check("03-reqest", {})


def test_the_07_solution_agrees_with_a_real_collected_stream(runtime):
    """The helper that collects real streams and the exercise's own notion of 'collected' agree."""
    from helpers import streaming

    response = runtime.converse_stream(
        modelId="amazon.nova-lite-v1:0",
        inferenceConfig={"maxTokens": 12},
        messages=[{"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}],
    )
    collected = streaming.collect(response)
    assert exercises.problem("07-stop-reason", collected["stopReason"]) is None
    assert (
        exercises.problem(
            "03-continue", [{"role": "user", "content": [{"text": "Hi"}]}, collected["output"]["message"]]
        )
        is None
    )


def test_cell_specs_cover_every_exercise_and_start_unsolved():
    specified = [cell_id for notebook in cells.CELLS.values() for cell_id in cells.exercise_ids(notebook)]
    assert sorted(specified) == sorted(exercises.ids())
    for spec in cells.CELLS.values():
        for cell in spec:
            assert cell["cell_type"] in ("markdown", "code")


@pytest.mark.parametrize("notebook", sorted(cells.CELLS))
def test_cell_specs_run_and_show_the_unsolved_state(notebook, runtime, capsys):
    code = [cell for cell in cells.cells_for(notebook) if cell.cell_type == "code"]
    checks = [cell for cell in code if "check(" in cell.source]
    for cell in checks:
        exec(cell.source, {"client": runtime})  # each cell stands alone: a fresh namespace with only `client`
    printed = capsys.readouterr().out
    verdicts = [line for line in printed.splitlines() if line.startswith(("Not yet: ", "Correct: "))]
    assert len(verdicts) == len(checks) >= 2
    assert all(line.startswith("Not yet: ") for line in verdicts), verdicts
    hints = [cell for cell in code if cell.source.startswith("hint(")]
    assert all(cell.metadata == {"jupyter": {"outputs_hidden": True}} for cell in hints)


def test_insert_into_puts_the_cells_before_the_recap_once(tmp_path):
    import nbformat

    path = tmp_path / "03_example.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell("# 03 Example"),
                nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_markdown_cell("## Recap\n\n- done"),
            ]
        ),
        path,
    )
    assert cells.insert_into(path, "03") is True
    book = nbformat.read(path, as_version=4)
    assert book.cells[2].source == cells.EXERCISES_HEADING
    assert book.cells[-1].source.startswith("## Recap")
    assert cells.exercise_ids(book.cells) == ["03-request", "03-continue", "03-retry"]
    assert cells.insert_into(path, "03") is False  # already there: nothing changes
    assert len(nbformat.read(path, as_version=4).cells) == len(book.cells)


def test_insert_into_adds_only_the_missing_exercises_after_the_others(tmp_path):
    import nbformat

    path = tmp_path / "03_example.ipynb"
    existing = [cell for cell in cells.cells_for("03") if "03-retry" not in cell.source]
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell(cells.EXERCISES_HEADING),
                *existing,
                nbformat.v4.new_markdown_cell("## Recap"),
            ]
        ),
        path,
    )
    assert cells.insert_into(path, "03") is True
    book = nbformat.read(path, as_version=4)
    assert cells.exercise_ids(book.cells) == ["03-request", "03-continue", "03-retry"]
    assert [c.source for c in book.cells].count(cells.EXERCISES_HEADING) == 1
    assert book.cells[-1].source == "## Recap"
