"""The workbook's exercises: what each asks for, how it is checked, and its hints.

A check looks only at the structure the learner built (a request dict, a message list, a content
block, a parsed stream), never at a model's wording, so it gives the same verdict offline and live.
Each check raises `NotYet` with one precise sentence about the first thing that is wrong.
"""

from __future__ import annotations

import configparser
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import formats
from ..formats import DOCUMENT_FORMATS, IMAGE_FORMATS, VIDEO_FORMATS
from ..vocabulary import ANTHROPIC_VERSION, INVOKE_ACTION, STREAM_ACTION


class NotYet(Exception):
    """The value is not right yet; the message says exactly what to change."""


@dataclass(frozen=True)
class Exercise:
    id: str
    notebook: str
    task: str
    check: Callable[[object], None]
    hints: tuple[str, ...]
    done: str


def need(condition, message: str) -> None:
    if not condition:
        raise NotYet(message)


def _dict(value, what: str) -> dict:
    need(isinstance(value, dict), f"{what} must be a dict, not {type(value).__name__}.")
    return value


def _list(value, what: str, min_items: int = 1) -> list:
    need(isinstance(value, list), f"{what} must be a list, not {type(value).__name__}.")
    need(len(value) >= min_items, f"{what} is empty: it needs at least {min_items} item(s).")
    return value


def _one_key(block, what: str) -> str:
    _dict(block, what)
    need(len(block) == 1, f"{what} must have exactly one key (text, image, document, ...), not {sorted(block)}.")
    return next(iter(block))


def _text_block(block, what: str) -> None:
    kind = _one_key(block, what)
    need(kind == "text", f"{what} should be a text block {{'text': ...}}, not a {kind!r} block.")
    need(isinstance(block["text"], str) and block["text"].strip(), f"{what}['text'] must be a non-empty string.")


def _message(message, what: str, role: str) -> list:
    _dict(message, what)
    need("role" in message, f"{what} has no 'role': add 'role': '{role}'.")
    need(message["role"] == role, f"{what}['role'] must be '{role}', not {message['role']!r}.")
    need("content" in message, f"{what} has no 'content': add a list of content blocks.")
    content = message["content"]
    need(
        not isinstance(content, str),
        f"{what}['content'] must be a list of content blocks, e.g. [{{'text': ...}}], not a plain string.",
    )
    return _list(content, f"{what}['content']")


def _blocks_of(content: list, what: str) -> dict[str, list]:
    kinds: dict[str, list] = {}
    for index, block in enumerate(content):
        kinds.setdefault(_one_key(block, f"{what}[{index}]"), []).append(block)
    return kinds


def _parse(value, what: str):
    """Accept a JSON string as well as a dict (Invoke bodies are often built with json.dumps)."""
    if isinstance(value, (str, bytes)):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise NotYet(f"{what} is not valid JSON: {error.msg} at position {error.pos}.") from None
    return value


# ---- 01 IAM and credentials ------------------------------------------------------------------------

# The first call to a third-party model subscribes the account through AWS Marketplace; these actions
# take no resource ARN, so their statement may (must) name Resource "*" (data/bedrock-runtime-policy.json).
MARKETPLACE_ACTIONS = {"aws-marketplace:viewsubscriptions", "aws-marketplace:subscribe"}
NOT_IAM_ACTIONS = {"bedrock:converse": INVOKE_ACTION, "bedrock:conversestream": STREAM_ACTION}


def check_policy(value) -> None:
    policy = _dict(_parse(value, "The policy"), "The policy")
    need(
        policy.get("Version") == "2012-10-17",
        f"'Version' must be '2012-10-17' (the current policy language), not {policy.get('Version')!r}.",
    )
    statements = policy.get("Statement")
    statements = [statements] if isinstance(statements, dict) else _list(statements, "'Statement'")
    actions, resources = set(), set()
    for index, statement in enumerate(statements):
        _dict(statement, f"Statement[{index}]")
        need(
            statement.get("Effect") == "Allow",
            f"Statement[{index}]['Effect'] must be 'Allow' (with a capital A), not {statement.get('Effect')!r}.",
        )
        listed = statement.get("Action", [])
        listed = [listed] if isinstance(listed, str) else listed
        for action in listed:
            need(
                action not in ("*", "bedrock:*"),
                f"{action!r} allows every Bedrock action; least privilege lists only "
                f"{INVOKE_ACTION} and {STREAM_ACTION}.",
            )
            need(
                action.lower() not in NOT_IAM_ACTIONS,
                f"{action!r} is not an IAM action: Converse is authorized by {INVOKE_ACTION} and "
                f"ConverseStream by {STREAM_ACTION}.",
            )
        need(
            not any(a.lower().startswith("aws-marketplace:") and "*" in a for a in listed),
            "Name the two Marketplace actions a first call needs (aws-marketplace:ViewSubscriptions, "
            "aws-marketplace:Subscribe) instead of a wildcard.",
        )
        actions.update(listed)
        targets = statement.get("Resource", [])
        if listed and all(a.lower() in MARKETPLACE_ACTIONS for a in listed):
            continue  # Marketplace actions have no resource ARNs: "*" is their only Resource
        resources.update([targets] if isinstance(targets, str) else targets)
    need(INVOKE_ACTION in actions, f"No statement allows {INVOKE_ACTION} (needed by Converse).")
    need(STREAM_ACTION in actions, f"No statement allows {STREAM_ACTION} (needed by ConverseStream).")
    need(
        "*" not in resources,
        "Resource '*' covers every resource in the account; use the foundation-model "
        "ARN 'arn:aws:bedrock:*::foundation-model/*'.",
    )
    need(
        any(r.startswith("arn:aws:bedrock:") and ":foundation-model/" in r for r in resources),
        "No Resource names a foundation model: add 'arn:aws:bedrock:*::foundation-model/*'.",
    )
    for resource in resources:
        account = resource.split(":")[4] if resource.count(":") >= 5 else ""
        need(
            ":foundation-model/" not in resource or account in ("", "*"),
            f"{resource!r} carries an account id, but foundation models belong to no account: their ARNs "
            "have an empty account field, so this grants nothing. Use 'arn:aws:bedrock:*::foundation-model/*'.",
        )


def check_config(value) -> None:
    need(isinstance(value, str), f"Write the config file as a string, not {type(value).__name__}.")
    parser = configparser.ConfigParser()
    try:
        parser.read_string(value)
    except configparser.Error as error:
        raise NotYet(f"This is not an INI file boto3 can read: {error.message.splitlines()[0]}") from None
    need(
        parser.has_section("profile bedrock-learner") or not parser.has_section("bedrock-learner"),
        "In ~/.aws/config a named profile's section is [profile bedrock-learner]; the bare "
        "[bedrock-learner] form belongs in ~/.aws/credentials.",
    )
    need(parser.has_section("profile bedrock-learner"), "Add a section [profile bedrock-learner].")
    section = parser["profile bedrock-learner"]
    secrets = [key for key in ("aws_access_key_id", "aws_secret_access_key") if key in section]
    need(not secrets, f"Keep {', '.join(secrets)} out of ~/.aws/config: keys belong in ~/.aws/credentials.")
    region = section.get("region")
    need(region is not None, "The profile has no region: add 'region = us-west-2'.")
    need(
        not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d[a-z]", region),
        f"{region!r} is an Availability Zone; the region is {region[:-1]!r}.",
    )
    need(region == "us-west-2", f"The region should be 'us-west-2', not {region!r}.")


# ---- 02 listing models -----------------------------------------------------------------------------

LIST_PARAMETERS = {"byProvider", "byCustomizationType", "byOutputModality", "byInferenceType"}


def check_filter(value) -> None:
    kwargs = _dict(value, "The arguments of list_foundation_models")
    unknown = sorted(set(kwargs) - LIST_PARAMETERS)
    if unknown:
        raise NotYet(
            f"list_foundation_models has no parameter {unknown[0]!r}; it takes {', '.join(sorted(LIST_PARAMETERS))}."
        )
    need(str(kwargs.get("byProvider", "")).casefold() == "anthropic", "Filter by provider: byProvider='Anthropic'.")
    modality = kwargs.get("byOutputModality")
    need(modality is not None, "Add byOutputModality='TEXT' to keep only text models.")
    need(modality == "TEXT", f"byOutputModality takes the API's enum in capitals: 'TEXT', not {modality!r}.")
    inference = kwargs.get("byInferenceType")
    need(inference is not None, "Add byInferenceType='ON_DEMAND' to keep models you can call without a profile.")
    need(inference == "ON_DEMAND", f"byInferenceType should be 'ON_DEMAND', not {inference!r}.")


SONNET = "anthropic.claude-sonnet-4-6"


def check_profile_id(value) -> None:
    need(isinstance(value, str), f"The model id is a string, not {type(value).__name__}.")
    identifier = value.rsplit("/", 1)[-1] if value.startswith("arn:") else value
    need(
        identifier != SONNET,
        "The base id only allows profile calls: Claude Sonnet 4.6 needs its inference "
        "profile id (a geography prefix before the model id).",
    )
    prefix, _, model = identifier.partition(".")
    need(model == SONNET, f"The id should end with the model id {SONNET!r}, not {model or identifier!r}.")
    need(prefix == "us", f"From us-west-2 the profile's geography prefix is 'us.', not {prefix + '.'!r}.")


# ---- 03 text conversation --------------------------------------------------------------------------

CONFIG_KEYS = {"maxTokens", "temperature", "topP", "stopSequences"}
SNAKE = {"max_tokens": "maxTokens", "top_p": "topP", "stop_sequences": "stopSequences", "maxTokenCount": "maxTokens"}


def _inference_config(request: dict, what: str = "inferenceConfig") -> dict:
    for key in ("temperature", "maxTokens", "topP", "max_tokens"):
        need(key not in request, f"{key!r} goes inside inferenceConfig, not at the top level of the request.")
    config = _dict(request.get("inferenceConfig"), what)
    for key in config:
        need(key not in SNAKE, f"inferenceConfig uses camelCase: {SNAKE.get(key)!r}, not {key!r}.")
        need(
            key in CONFIG_KEYS,
            f"inferenceConfig has no {key!r}; model-specific settings such as top_k go in "
            "additionalModelRequestFields.",
        )
    return config


def _system(request: dict) -> None:
    system = request.get("system")
    need(system is not None, "Add the system prompt under 'system'.")
    need(
        not isinstance(system, str),
        "'system' must be a list of blocks, e.g. [{'text': 'You are ...'}], not a plain string.",
    )
    for index, block in enumerate(_list(system, "'system'")):
        _text_block(block, f"system[{index}]")


def _converse_request(value) -> dict:
    request = _dict(value, "The request")
    need(isinstance(request.get("modelId"), str) and request["modelId"], "Add 'modelId' (a model or profile id).")
    messages = _list(request.get("messages"), "'messages'")
    for index, message in enumerate(messages):
        _dict(message, f"messages[{index}]")
        need(
            message.get("role") != "system",
            "The system prompt goes in the request's 'system' field, not in "
            "'messages' (roles there are only 'user' and 'assistant').",
        )
    return request


def check_request(value) -> None:
    request = _converse_request(value)
    _system(request)
    messages = request["messages"]
    need(len(messages) == 1, f"Send one user message, not {len(messages)}.")
    for index, block in enumerate(_message(messages[0], "messages[0]", "user")):
        _text_block(block, f"messages[0]['content'][{index}]")
    config = _inference_config(request)
    need(config.get("temperature") == 0.5, f"Set temperature 0.5, not {config.get('temperature')!r}.")
    need(config.get("maxTokens") == 300, f"Set maxTokens 300, not {config.get('maxTokens')!r}.")


def check_continue(value) -> None:
    messages = _list(value, "The conversation", min_items=1)
    need(
        len(messages) != 1,
        "The conversation still has only the user's message: append response['output']['message'] to it.",
    )
    need(
        len(messages) == 2, f"After one answer the conversation has 2 messages (user, assistant), not {len(messages)}."
    )
    _message(messages[0], "messages[0]", "user")
    last = messages[1]
    need(
        not isinstance(last, str),
        "You appended the answer's text; append the whole message dict response['output']['message'] instead.",
    )
    need(
        not (isinstance(last, dict) and "output" in last),
        "You appended the whole response; append only response['output']['message'].",
    )
    content = _message(last, "messages[1]", "assistant")
    for index, block in enumerate(content):
        _one_key(block, f"messages[1]['content'][{index}]")


# ---- 04 images, 05 documents, 06 video -------------------------------------------------------------


def _image_format_of(data: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return (image.format or "").lower()
    except (UnidentifiedImageError, OSError):
        return None


def _source_bytes(body: dict, what: str) -> bytes:
    source = _dict(body.get("source"), f"{what}['source']")
    need("bytes" in source, f"{what}['source'] needs 'bytes' (or 's3Location').")
    data = source["bytes"]
    need(
        not isinstance(data, str),
        f"{what}['source']['bytes'] must be the raw bytes: boto3 base64-encodes "
        "them for you (read the file with .read_bytes()).",
    )
    need(isinstance(data, (bytes, bytearray)) and data, f"{what}['source']['bytes'] must be non-empty bytes.")
    return bytes(data)


def check_image_block(value) -> None:
    kind = _one_key(value, "The block")
    need(kind == "image", f"The block's key must be 'image', not {kind!r}.")
    image = _dict(value["image"], "block['image']")
    fmt = image.get("format")
    need(fmt != "jpg", "Bedrock calls the .jpg format 'jpeg'.")
    need(fmt in IMAGE_FORMATS, f"'format' must be one of {', '.join(sorted(IMAGE_FORMATS))}, not {fmt!r}.")
    actual = _image_format_of(_source_bytes(image, "block['image']"))
    need(actual is not None, "block['image']['source']['bytes'] is not an image Pillow can read.")
    need(actual == fmt, f"The bytes are a {actual.upper()} image but 'format' says {fmt!r}.")


def _user_message_with(value, kind: str) -> tuple[dict, list]:
    content = _message(value, "The message", "user")
    kinds = _blocks_of(content, "message['content']")
    need(kind in kinds, f"The message has no {kind} block.")
    need("text" in kinds, f"Add a text block with your question next to the {kind}.")
    for block in kinds["text"]:
        _text_block(block, "The text block")
    return kinds, content


def check_image_message(value) -> None:
    kinds, _ = _user_message_with(value, "image")
    for block in kinds["image"]:
        check_image_block(block)


NAME_RULE = (
    "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, "
    "parentheses, and square brackets. The name can't contain more than one consecutive whitespace "
    "character."
)


def check_document_block(value) -> None:
    kind = _one_key(value, "The block")
    need(kind == "document", f"The block's key must be 'document', not {kind!r}.")
    document = _dict(value["document"], "block['document']")
    fmt = document.get("format")
    need(fmt in DOCUMENT_FORMATS, f"'format' must be one of {', '.join(sorted(DOCUMENT_FORMATS))}, not {fmt!r}.")
    name = document.get("name")
    need(isinstance(name, str) and name, "A document block needs a 'name' (1-200 characters).")
    need(len(name) <= 200, f"'name' has {len(name)} characters; at most 200 are allowed.")
    need(formats.is_legal_document_name(name), f"{name!r} is not a legal name. {NAME_RULE}")
    data = _source_bytes(document, "block['document']")
    if fmt == "pdf":
        need(data.startswith(b"%PDF"), "'format' is 'pdf' but the bytes are not a PDF file.")


def check_document_message(value) -> None:
    content = _message(value, "The message", "user")
    kinds = _blocks_of(content, "message['content']")
    need("document" in kinds, "The message has no document block.")
    need("text" in kinds, "Bedrock needs a text block beside a document: add your question as {'text': ...}.")
    for block in kinds["document"]:
        check_document_block(block)
    for block in kinds["text"]:
        _text_block(block, "The text block")


def check_video_block(value) -> None:
    kind = _one_key(value, "The block")
    need(kind == "video", f"The block's key must be 'video', not {kind!r}.")
    video = _dict(value["video"], "block['video']")
    fmt = video.get("format")
    need(fmt in VIDEO_FORMATS, f"'format' must be one of {', '.join(sorted(VIDEO_FORMATS))}, not {fmt!r}.")
    source = _dict(video.get("source"), "block['video']['source']")
    need(
        "s3location" not in {k.lower() for k in source} or "s3Location" in source,
        "The key is spelled 's3Location' (capital L).",
    )
    need(len(source) == 1, "'source' takes exactly one of 'bytes' or 's3Location', not both.")
    location = _dict(source.get("s3Location"), "source['s3Location']")
    uri = location.get("uri")
    need(
        isinstance(uri, str) and uri.startswith("s3://"),
        f"'uri' must be an s3:// URI such as 's3://my-bucket/clip.mp4', not {uri!r}.",
    )
    need(len(uri) > len("s3://") and "/" in uri[5:], "The uri needs a bucket and an object key: s3://bucket/key.")
    owner = location.get("bucketOwner")
    need(
        owner is None or (isinstance(owner, str) and re.fullmatch(r"\d{12}", owner)),
        f"'bucketOwner' is the bucket owner's 12-digit account id, not {owner!r}.",
    )


def check_video_model(value) -> None:
    from .. import models, usage

    need(isinstance(value, str) and value, f"The model id is a non-empty string, not {value!r}.")
    features = models.feature_table().get(usage.base_model_id(value))
    need(features is not None, f"{value!r} is not a model id of the catalog.")
    need(features.get("video"), f"{value!r} cannot take video in Converse; Amazon Nova Lite, Pro and Premier can.")


# ---- 07 streaming ----------------------------------------------------------------------------------


def stream_sample() -> list[dict]:
    """A ConverseStream's events as botocore yields them (the answer was cut by maxTokens)."""
    pieces = ["Here", " are", " three", " pop", " songs", ":\n\n1.", ' "Blinding', ' Lights"']
    return [
        {"messageStart": {"role": "assistant"}},
        *({"contentBlockDelta": {"delta": {"text": piece}, "contentBlockIndex": 0}} for piece in pieces),
        {"contentBlockStop": {"contentBlockIndex": 0}},
        {"messageStop": {"stopReason": "max_tokens"}},
        {
            "metadata": {
                "usage": {"inputTokens": 14, "outputTokens": 12, "totalTokens": 26},
                "metrics": {"latencyMs": 310},
            }
        },
    ]


def _sample_text() -> str:
    return "".join(e["contentBlockDelta"]["delta"]["text"] for e in stream_sample() if "contentBlockDelta" in e)


def check_collect(value) -> None:
    content = _message(value, "The message", "assistant")
    need(
        len(content) == 1,
        f"The stream had one content block (index 0), so the message has 1 block, not {len(content)}.",
    )
    _text_block(content[0], "message['content'][0]")
    text, expected = content[0]["text"], _sample_text()
    need(
        text != stream_sample()[-4]["contentBlockDelta"]["delta"]["text"],
        "That is only the last delta: join the delta.text of every contentBlockDelta, in order.",
    )
    need(
        len(text) == len(expected),
        f"The text has {len(text)} characters but the deltas carry {len(expected)}: "
        "join every delta's text, in order, adding nothing between them.",
    )
    need(text == expected, "The text has the right length but not the right order: keep the events' order.")


def check_stop_reason(value) -> None:
    need(not isinstance(value, dict), "Return just the stopReason string from the messageStop event, not a dict.")
    need(isinstance(value, str), f"The stop reason is a string, not {type(value).__name__}.")
    need(
        value == "max_tokens",
        f"The messageStop event says something else than {value!r}: find the event whose "
        "key is 'messageStop' and read its 'stopReason'.",
    )


# ---- 08 Invoke API bodies --------------------------------------------------------------------------


def check_nova_body(value) -> None:
    body = _dict(_parse(value, "The body"), "The body")
    need(
        body.get("schemaVersion") == "messages-v1",
        f"A Nova body starts with 'schemaVersion': 'messages-v1', not {body.get('schemaVersion')!r}.",
    )
    need(
        "max_tokens" not in body and "anthropic_version" not in body,
        "This is Claude's spelling; Nova takes its settings in inferenceConfig (maxTokens, temperature, ...).",
    )
    system = body.get("system")
    need(system is not None, "Add the system prompt: 'system': [{'text': ...}].")
    need(not isinstance(system, str), "Nova's 'system' is a list of blocks [{'text': ...}], not a plain string.")
    for index, block in enumerate(_list(system, "'system'")):
        _text_block(block, f"system[{index}]")
    messages = _list(body.get("messages"), "'messages'")
    for index, block in enumerate(_message(messages[0], "messages[0]", "user")):
        need(
            not (isinstance(block, dict) and block.get("type") == "text"),
            "Nova blocks are {'text': ...} without a 'type' key (that is Claude's format).",
        )
        _text_block(block, f"messages[0]['content'][{index}]")
    config = _dict(body.get("inferenceConfig"), "'inferenceConfig'")
    for key in config:
        need(key not in SNAKE, f"Nova's inferenceConfig uses {SNAKE.get(key)!r}, not {key!r}.")
    need(config.get("maxTokens") == 500, f"Set maxTokens 500 in inferenceConfig, not {config.get('maxTokens')!r}.")


def check_claude_body(value) -> None:
    body = _dict(_parse(value, "The body"), "The body")
    version = body.get("anthropic_version")
    need(version is not None, f"Claude bodies need 'anthropic_version': '{ANTHROPIC_VERSION}'.")
    need(version == ANTHROPIC_VERSION, f"On Bedrock anthropic_version is '{ANTHROPIC_VERSION}', not {version!r}.")
    need(
        "schemaVersion" not in body and "inferenceConfig" not in body,
        "schemaVersion and inferenceConfig are Nova's; Claude takes max_tokens, temperature, ... at the top level.",
    )
    need("max_tokens" in body, "'max_tokens' is required in a Claude body.")
    need(body["max_tokens"] == 500, f"Set max_tokens 500, not {body['max_tokens']!r}.")
    _claude_system(body.get("system"))
    messages = _list(body.get("messages"), "'messages'")
    _dict(messages[0], "messages[0]")
    need(messages[0].get("role") == "user", f"messages[0]['role'] must be 'user', not {messages[0].get('role')!r}.")
    content = messages[0].get("content")
    if isinstance(content, str):
        need(content.strip(), "messages[0]['content'] is an empty string: write the question.")
        return
    for index, block in enumerate(_list(content, "messages[0]['content']")):
        _claude_text_block(block, f"messages[0]['content'][{index}]")


def _claude_text_block(block, what: str) -> None:
    _dict(block, what)
    need(
        block.get("type") == "text",
        f"{what} is a Claude content block, which carries its kind: {{'type': 'text', 'text': ...}} "
        "(Converse and Nova write {'text': ...} without 'type').",
    )
    need(isinstance(block.get("text"), str) and block["text"].strip(), f"{what}['text'] is empty.")


def _claude_system(system) -> None:
    """Claude's `system` is a string or a list of {'type': 'text', 'text': ...} blocks."""
    need(system is not None, "Add the system prompt: 'system': 'You are ...' (a string, or a list of text blocks).")
    if isinstance(system, str):
        need(system.strip(), "'system' is an empty string.")
        return
    for index, block in enumerate(_list(system, "'system'")):
        _claude_text_block(block, f"system[{index}]")


# ---- 09 playground ---------------------------------------------------------------------------------

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"


def check_playground_request(value) -> None:
    request = _converse_request(value)
    need(request["modelId"] == HAIKU, f"Use Claude Haiku 4.5 ({HAIKU!r}), not {request['modelId']!r}.")
    config = request.get("inferenceConfig") or {}
    need(
        "top_k" not in config and "topK" not in config,
        "top_k is Claude-specific: it goes in additionalModelRequestFields, not inferenceConfig.",
    )
    config = _inference_config(request)
    need(config.get("temperature") == 0, f"Set temperature 0, not {config.get('temperature')!r}.")
    stops = config.get("stopSequences")
    need(not isinstance(stops, str), "stopSequences is a list of strings: ['5.'], not a single string.")
    need(stops == ["5."], f"Set stopSequences ['5.'], not {stops!r}.")
    need(config.get("maxTokens") == 50, f"Set maxTokens 50, not {config.get('maxTokens')!r}.")
    extra = _dict(request.get("additionalModelRequestFields"), "'additionalModelRequestFields'")
    need(extra == {"top_k": 50}, f"additionalModelRequestFields should be {{'top_k': 50}}, not {extra!r}.")


def check_compare(value) -> None:
    requests = _list(value, "The list of requests", min_items=1)
    need(2 <= len(requests) <= 3, f"Compare two or three models, not {len(requests)}.")
    for request in requests:
        _converse_request(request)
    ids = [r["modelId"] for r in requests]
    need(len(set(ids)) == len(ids), f"Each request should use a different model; {ids} repeats one.")
    first = {k: v for k, v in requests[0].items() if k != "modelId"}
    for index, request in enumerate(requests[1:], start=1):
        rest = {k: v for k, v in request.items() if k != "modelId"}
        differs = sorted(k for k in set(first) | set(rest) if first.get(k) != rest.get(k))
        need(not differs, f"requests[{index}] differs from requests[0] in {differs}: only modelId may change.")
    need(
        any("anthropic." in i for i in ids) and any("amazon.nova" in i for i in ids),
        "Include at least one Claude model and one Nova model.",
    )


EXERCISES = [
    Exercise(
        "01-policy",
        "01",
        "Write the least-privilege IAM policy that allows Converse and ConverseStream on foundation models.",
        check_policy,
        (
            "Converse is authorized by bedrock:InvokeModel, ConverseStream by bedrock:InvokeModelWithResponseStream.",
            "Foundation-model ARNs have no account id: arn:aws:bedrock:*::foundation-model/*.",
        ),
        "the policy allows exactly the two runtime actions on foundation models.",
    ),
    Exercise(
        "01-config",
        "01",
        "Write ~/.aws/config for a profile named bedrock-learner in region us-west-2.",
        check_config,
        (
            "In the config file a profile section is named [profile NAME].",
            "Access keys go in ~/.aws/credentials, never in ~/.aws/config.",
        ),
        "boto3.Session(profile_name='bedrock-learner') would use us-west-2.",
    ),
    Exercise(
        "02-filter",
        "02",
        "Give the arguments of list_foundation_models that list Anthropic's text models callable on demand.",
        check_filter,
        (
            "The parameters all start with 'by': byProvider, byOutputModality, byInferenceType.",
            "Enum values are in capitals: TEXT, ON_DEMAND.",
        ),
        "client.list_foundation_models(**kwargs) returns exactly those models.",
    ),
    Exercise(
        "02-profile-id",
        "02",
        "Give the modelId that calls Claude Sonnet 4.6 from us-west-2 through its US geography profile.",
        check_profile_id,
        (
            "This model has no on-demand throughput: call it through a cross-region inference profile.",
            "helpers.models.profile_id(model_id, region) builds the id.",
        ),
        "Converse accepts this id from us-west-2.",
    ),
    Exercise(
        "03-request",
        "03",
        "Build the Converse request: a system prompt, one user message, temperature 0.5 and maxTokens 300.",
        check_request,
        (
            "'system' is a list of {'text': ...} blocks; settings go in 'inferenceConfig'.",
            "inferenceConfig keys are camelCase: maxTokens, temperature, topP, stopSequences.",
        ),
        "client.converse(**request) sends it as it is.",
    ),
    Exercise(
        "03-continue",
        "03",
        "Append the assistant's answer to the conversation so it can continue.",
        check_continue,
        ("Append response['output']['message'] itself: it already has the role and the content list.",),
        "the next user message can follow.",
    ),
    Exercise(
        "04-image-block",
        "04",
        "Build an image content block from the bytes of data/samples/shapes.jpg.",
        check_image_block,
        ("A .jpg file's format is 'jpeg'.", "Pass the raw bytes: boto3 base64-encodes them."),
        "this block can go in a user message.",
    ),
    Exercise(
        "04-image-message",
        "04",
        "Build a user message with the image and a question about it.",
        check_image_message,
        ("content is a list: [image_block, {'text': 'What is in this picture?'}].",),
        "client.converse(modelId=..., messages=[message]) would send it.",
    ),
    Exercise(
        "05-document-block",
        "05",
        "Build a document block for data/samples/Q2_2025_earnings.v1.pdf.",
        check_document_block,
        (
            "The name may only contain letters, digits, single spaces, hyphens, parentheses and square brackets.",
            "Drop the extension and replace '_' and '.' with spaces.",
        ),
        "Bedrock accepts the name and the format.",
    ),
    Exercise(
        "05-document-message",
        "05",
        "Build the user message that asks a question about the document.",
        check_document_message,
        ("A document block needs a text block beside it in the same message.",),
        "the message is ready for Converse.",
    ),
    Exercise(
        "06-video-s3",
        "06",
        "Build a video block for s3://my-video-bucket/clips/clip.mp4.",
        check_video_block,
        ("source takes {'s3Location': {'uri': 's3://bucket/key'}}; bucketOwner is optional.",),
        "Nova can read the video from S3 (up to 1 GB).",
    ),
    Exercise(
        "06-video-model",
        "06",
        "Pick a model id that can take video in Converse.",
        check_video_model,
        ("helpers.models.choose_model(video=True) finds one.",),
        "that model accepts video blocks.",
    ),
    Exercise(
        "07-collect",
        "07",
        "Collect the streamed events into the message Converse would have returned.",
        check_collect,
        (
            "Join payload['delta']['text'] of every contentBlockDelta event, in order.",
            "The message is {'role': 'assistant', 'content': [{'text': joined}]}.",
        ),
        "messages.append(message) continues the conversation.",
    ),
    Exercise(
        "07-stop-reason",
        "07",
        "Find the stop reason in the streamed events.",
        check_stop_reason,
        ("It is in the messageStop event: event['messageStop']['stopReason'].",),
        "this answer was cut by maxTokens.",
    ),
    Exercise(
        "08-nova-body",
        "08",
        "Write the InvokeModel body for Nova: a system prompt, one user message, maxTokens 500.",
        check_nova_body,
        ("Nova bodies have 'schemaVersion': 'messages-v1' and settings in 'inferenceConfig'.",),
        "json.dumps(body) is a valid Nova request.",
    ),
    Exercise(
        "08-claude-body",
        "08",
        "Write the InvokeModel body for Claude: a system prompt, one user message, max_tokens 500.",
        check_claude_body,
        (
            "Claude bodies need anthropic_version 'bedrock-2023-05-31' and max_tokens.",
            "Claude's content blocks carry 'type': 'text'.",
        ),
        "json.dumps(body) is a valid Claude request.",
    ),
    Exercise(
        "13-request",
        "13",
        "Build the playground request: Claude Haiku 4.5, temperature 0, stop at '5.', maxTokens 50, top_k 50.",
        check_playground_request,
        ("top_k is not a Converse setting: additionalModelRequestFields={'top_k': 50}.", "stopSequences is a list."),
        "the playground would send exactly this.",
    ),
    Exercise(
        "13-compare",
        "13",
        "Build the requests that compare one prompt on a Claude and a Nova model.",
        check_compare,
        ("Copy the first request and change only modelId.",),
        "the answers differ only because the models do.",
    ),
]
