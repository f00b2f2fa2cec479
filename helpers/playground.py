"""The prompt playground without the UI: build a Converse request from settings, run it (Converse or
ConverseStream), and report what came back. `helpers.widgets` puts controls on top of this; the
notebooks call it directly so every experiment also runs, and prints the same lines, without widgets.

    request = build_request("amazon.nova-lite-v1:0", "Name three colours.", temperature=0)
    result = run(client, request, stream=True, on_text=lambda t: print(t, end=""))
    print(report(result))
"""

from __future__ import annotations

import json
import pprint
from collections.abc import Callable
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from . import content, conversation, formats, guardrails, streaming, troubleshoot, usage
from .paths import DATA

SAMPLES = DATA / "samples"
# File extensions the playground attaches (images and documents), from helpers.formats' one table.
ATTACHABLE = {ext: formats.kind_of(fmt) for ext, fmt in formats.EXTENSIONS.items() if formats.kind_of(fmt) != "video"}
NO_TOOL = "(no tool)"
# Tools a learner can offer the model from the playground (toolSpec dicts, as notebook 09 writes them).
SAMPLE_TOOLS = {
    "get_weather": {
        "toolSpec": {
            "name": "get_weather",
            "description": "Get the current weather for a city.",
            "inputSchema": {
                "json": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string", "description": "The city, e.g. Paris"},
                        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                    },
                    "required": ["city"],
                }
            },
        }
    },
    "convert_currency": {
        "toolSpec": {
            "name": "convert_currency",
            "description": "Convert an amount of US dollars into another currency.",
            "inputSchema": {
                "json": {
                    "type": "object",
                    "properties": {
                        "amount": {"type": "number"},
                        "to": {"type": "string", "enum": ["EUR", "USD", "JPY"]},
                    },
                    "required": ["amount", "to"],
                }
            },
        }
    },
}
NO_GUARDRAIL = "(no guardrail)"
# Guardrails a learner can put on a request from the playground: CreateGuardrail's arguments, as notebook 10
# writes them. sample_guardrail() creates each once per account and Region, under its name, and finds it
# again by that name. Any text model takes a guardrail offline; live, AWS's "Supported models and model
# features" page lists the few Converse models without one (e.g. AI21 Jamba-Instruct; read 2026-11-30).
SAMPLE_GUARDRAILS = {
    "deny investment advice": {
        "name": "workbook-playground-no-investment-advice",
        "description": "Notebook 13's playground: refuses requests for investment advice.",
        "topicPolicyConfig": {
            "topicsConfig": [
                {
                    "name": "Investment advice",
                    "definition": (
                        "Recommendations about which stocks, funds or crypto assets someone should buy or sell."
                    ),
                    "examples": ["Which stocks should I buy?", "Is bitcoin a good investment right now?"],
                    "type": "DENY",
                }
            ]
        },
        "blockedInputMessaging": "Sorry, I can't give investment advice.",
        "blockedOutputsMessaging": "Sorry, I can't share an answer that gives investment advice.",
    },
    "mask e-mail and phone": {
        "name": "workbook-playground-mask-contact-details",
        "description": "Notebook 13's playground: masks e-mail addresses and phone numbers, refuses card numbers.",
        "sensitiveInformationPolicyConfig": {
            "piiEntitiesConfig": [
                {"type": "EMAIL", "action": "ANONYMIZE"},
                {"type": "PHONE", "action": "ANONYMIZE"},
                {"type": "CREDIT_DEBIT_CARD_NUMBER", "action": "BLOCK"},
            ]
        },
        "blockedInputMessaging": "Sorry, I can't take card numbers here.",
        "blockedOutputsMessaging": "Sorry, I can't share an answer that holds a card number.",
    },
}
# Which attachment kind needs which model feature (helpers.models feature names).
FEATURE_FOR = {"image": "images", "document": "documents"}


# ---- what the inputs need, and which models offer it -------------------------------------------------


def attachment_kind(filename: str | None) -> str | None:
    """'image', 'document' or None, from a file name's extension."""
    return ATTACHABLE.get(Path(filename or "").suffix.lower().lstrip("."))


def needs(attachment: str | None = None, system: str = "", stream: bool = False, tool: bool = False) -> dict[str, bool]:
    """The model features a request needs, e.g. needs("image", "Be brief.") -> {'images': True,
    'system': True}; `attachment` is the kind ('image', 'document') or None; `tool` a sample tool offered."""
    wanted = {"tools": True} if tool else {}
    if attachment:
        wanted[FEATURE_FOR[attachment]] = True
    if system.strip():
        wanted["system"] = True
    if stream:
        wanted["streaming"] = True
    return wanted


def model_choices(frame, region: str, **features: bool) -> list[tuple[str, str]]:
    """(label, id to call) for every text model in `frame` (helpers.models.models_frame) with the
    features asked for; LEGACY models are labelled as such."""
    from . import models

    rows = models.where(frame, text_output=True, **features)
    choices = []
    for _, row in rows.iterrows():
        label = f"{row['name']} ({row['provider']})" + (" - legacy" if row["lifecycle"] == "LEGACY" else "")
        choices.append((label, models.invocable_id(row, region)))
    return choices


def top_k_fields(model_id: str, top_k: int | None) -> dict | None:
    """`additionalModelRequestFields` carrying top-k in the model family's own spelling, or None
    when top_k is unset or the model has no such knob in Converse."""
    if top_k is None:
        return None
    base = usage.base_model_id(model_id)
    if base.startswith("anthropic."):
        return {"top_k": top_k}
    if base.startswith("amazon.nova"):
        return {"inferenceConfig": {"topK": top_k}}
    return None


def accepts_top_k(model_id: str) -> bool:
    return top_k_fields(model_id, 1) is not None


# ---- attachments ---------------------------------------------------------------------------------------


def sample_files() -> list[str]:
    """Names of the sample images and documents in data/samples/ a learner can attach."""
    return sorted(p.name for p in SAMPLES.iterdir() if attachment_kind(p.name))


def attachment_block(filename: str, data: bytes) -> dict:
    """An image or document content block for a file's bytes (helpers.content builds and checks it)."""
    extension = Path(filename).suffix.lower().lstrip(".")
    if not data:
        raise ValueError(f"{filename} is empty: attach a file with content.")
    kind = attachment_kind(filename)
    if kind == "image":
        return content.image(data, filename=filename)
    if kind == "document":
        return content.document(data, filename=filename)
    supported = ", ".join(sorted(ATTACHABLE))
    raise ValueError(f"{filename}: Converse cannot attach .{extension} files here; use one of: {supported}.")


def sample_block(name: str) -> dict:
    """The content block for a file of data/samples/, e.g. sample_block('shapes.jpg')."""
    path = SAMPLES / name
    if not path.is_file():
        raise ValueError(f"No sample named {name!r}; choose one of {sample_files()}.")
    return attachment_block(name, path.read_bytes())


# ---- guardrails ----------------------------------------------------------------------------------------


def sample_guardrail(control, choice: str) -> dict:
    """{guardrailIdentifier, guardrailVersion} of the sample guardrail `choice` (SAMPLE_GUARDRAILS) in the
    account and Region of `control` (a `bedrock` client): found by name (ListGuardrails), or created on
    first use and waited for until READY. Its working copy, DRAFT, is the version used, as for testing."""
    if choice not in SAMPLE_GUARDRAILS:
        raise ValueError(f"No sample guardrail named {choice!r}; choose one of {list(SAMPLE_GUARDRAILS)}.")
    config = SAMPLE_GUARDRAILS[choice]
    found = guardrails.find_guardrail(control, config["name"])
    if found is None:
        identifier = control.create_guardrail(**config)["guardrailId"]
        guardrails.wait_until_ready(control, identifier)
    else:
        identifier = found["id"]
    return {"guardrailIdentifier": identifier, "guardrailVersion": "DRAFT"}


def guardrail_config(guardrail: dict) -> dict:
    """Converse's `guardrailConfig` with the guardrail's trace turned on. ConverseStream takes it as it is:
    its streamProcessingMode is optional and defaults to sync, which masks before a piece leaves (AWS user
    guide, "Configure streaming response behavior to filter content", read 2026-11-30)."""
    missing = [key for key in ("guardrailIdentifier", "guardrailVersion") if not guardrail.get(key)]
    if missing:
        raise ValueError(
            f"The guardrail needs {' and '.join(missing)}: give its id and a version ('DRAFT' or a number), "
            "e.g. sample_guardrail(control, 'deny investment advice')."
        )
    return {
        "guardrailIdentifier": guardrail["guardrailIdentifier"],
        "guardrailVersion": guardrail["guardrailVersion"],
        "trace": "enabled",
    }


def guardrail_lines(result: dict) -> list[str]:
    """What the guardrail did, one line per finding of its trace (helpers.guardrails.summarize), e.g.
    'guardrail on the input: ANONYMIZED sensitive information EMAIL "jane@example.com"'."""
    lines = []
    for row in guardrails.summarize(result.get("trace") or {}):
        kind = "" if row["kind"] in ("", "DENY", row["match"]) else f" {row['kind']}"
        lines.append(
            f"guardrail on the {row['where']}: {row['action']} {row['policy']}{kind} {json.dumps(row['match'])}"
        )
    if not lines and result.get("stop_reason") == "guardrail_intervened":
        lines.append("guardrail intervened (the response carries no trace: send trace 'enabled' to see why)")
    return lines


# ---- the request ---------------------------------------------------------------------------------------


def inference_config(temperature=None, top_p=None, max_tokens=None, stop_sequences=()) -> dict:
    """Converse's `inferenceConfig`, leaving out what is not set."""
    config = {}
    if max_tokens is not None:
        config["maxTokens"] = max_tokens
    if temperature is not None:
        config["temperature"] = temperature
    if top_p is not None:
        config["topP"] = top_p
    stops = [s for s in stop_sequences if s]
    if stops:
        config["stopSequences"] = stops
    return config


def build_request(
    model_id: str,
    prompt: str,
    *,
    system: str = "",
    temperature=None,
    top_p=None,
    max_tokens=None,
    stop_sequences=(),
    top_k=None,
    attachment: dict | None = None,
    history: list[dict] = (),
    tool: str | None = None,
    guardrail: dict | None = None,
) -> dict:
    """The kwargs of `client.converse(**...)` for the playground's settings: earlier turns
    (`history`), then a user turn with the prompt and the attachment, if any; `tool` names a sample
    tool (SAMPLE_TOOLS) to offer the model; `guardrail` ({guardrailIdentifier, guardrailVersion}, as
    sample_guardrail returns) guards the request, with its trace on."""
    if not prompt.strip():
        raise ValueError("The prompt is empty: type what you want to ask.")
    blocks = [attachment] if attachment else []
    messages = [*history, conversation.user_message(prompt, *blocks)]
    config = inference_config(temperature, top_p, max_tokens, stop_sequences)
    request = conversation.converse_request(
        model_id, messages, system.strip() or None, config, top_k_fields(model_id, top_k)
    )
    if tool:
        request["toolConfig"] = {"tools": [SAMPLE_TOOLS[tool]]}
    if guardrail:
        request["guardrailConfig"] = guardrail_config(guardrail)
    return request


class _Code:
    """Prints as the given source text inside pprint's output."""

    def __init__(self, source: str):
        self.source = source

    def __repr__(self) -> str:
        return self.source


def request_code(request: dict, sources: dict[int, str] | None = None) -> str:
    """The request as Python source to paste into `client.converse(**request)`. Bytes are shown as
    the expression that reads them (`sources` maps id(bytes) -> expression), or as a placeholder."""
    sources = sources or {}

    def swap(value):
        if isinstance(value, (bytes, bytearray)):
            return _Code(sources.get(id(value), f"b'...'  # {len(value)} bytes"))
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    return "request = " + pprint.pformat(swap(request), sort_dicts=False, width=100)


def read_expression(path: Path) -> str:
    """`(DATA / 'samples' / 'shapes.jpg').read_bytes()` for a file under data/."""
    try:
        parts = Path(path).resolve().relative_to(DATA).parts
        return "(DATA / " + " / ".join(repr(p) for p in parts) + ").read_bytes()"
    except ValueError:
        return f"open({Path(path).name!r}, 'rb').read()"


# ---- running it ----------------------------------------------------------------------------------------


def explain_error(error: Exception) -> str:
    """What went wrong and the fix, never a traceback: botocore errors through helpers.troubleshoot,
    our own input checks (ValueError) as their message."""
    cause = error.__cause__ if isinstance(error, streaming.StreamInterrupted) else error
    if isinstance(cause, (ClientError, BotoCoreError)):
        text = str(troubleshoot.explain(cause))
        if isinstance(error, streaming.StreamInterrupted):
            text += f"\n(The stream stopped early: the {len(error.text)} characters above arrived before the error.)"
        return text
    if isinstance(error, ValueError):
        return f"Invalid input: {error}"
    return f"{type(error).__name__}: {error}"


def run(client, request: dict, *, stream: bool = False, on_text: Callable[[str], None] | None = None) -> dict:
    """Send the request (Converse, or ConverseStream with `on_text` called per piece) and return a
    plain result: text, stop reason, usage, estimated cost, server latency, measured timings,
    the assistant message, and `error` (an explanation) instead of raising."""
    timer = streaming.StreamTimer()
    result = {
        "model": request.get("modelId"),
        "mode": "ConverseStream" if stream else "Converse",
        "text": "",
        "stop_reason": None,
        "usage": None,
        "cost_usd": None,
        "latency_ms": None,
        "message": None,
        "trace": None,
        "error": None,
    }
    try:
        if stream:
            response = streaming.collect(client.converse_stream(**request), on_text=on_text, timer=timer)
        else:
            response = client.converse(**request)
            timer.token()
            timer.stop()
    except (ClientError, BotoCoreError, streaming.StreamInterrupted, ValueError, TypeError) as error:
        timer.stop()
        result["error"] = explain_error(error)
        result["text"] = getattr(error, "text", "")
        result["first_token_ms"], result["total_ms"] = timer.first_token_ms, timer.total_ms
        return result
    message = response["output"]["message"]
    result.update(
        text=conversation.assistant_text(response),
        stop_reason=response.get("stopReason"),
        usage=response.get("usage"),
        cost_usd=usage.cost(request["modelId"], response.get("usage") or {}),
        latency_ms=(response.get("metrics") or {}).get("latencyMs"),
        message=message,
        trace=response.get("trace"),
        first_token_ms=timer.first_token_ms,
        total_ms=timer.total_ms,
    )
    return result


def report(result: dict, measured: bool = True) -> str:
    """The lines shown after a run: stop reason, tokens and cost, latency (metrics.latencyMs, labelled
    simulated offline or reported by Bedrock live, plus the client-measured times unless
    `measured=False`, which keeps printed output identical run to run), and what a guardrail did."""
    if result["error"]:
        return result["error"]
    lines = [f"stop reason: {result['stop_reason']}", usage.describe(result["model"], result["usage"] or {})]
    for block in (result.get("message") or {}).get("content", []):
        if "toolUse" in block:  # the model asks for a tool: a program would run it and send a toolResult
            use = block["toolUse"]
            lines.append(
                f"tool call: {use['name']} {json.dumps(use['input'])} (answer it with a toolResult: notebook 09)"
            )
    lines += guardrail_lines(result)
    latency = f"latency: {streaming.reported('metrics.latencyMs', result['latency_ms'])}"
    if measured:
        first = "time to first token " if result["mode"] == "ConverseStream" else "response "
        latency += f" | {first}{streaming.measured(result['first_token_ms'])}"
    lines.append(latency)
    return "\n".join(lines)


def history_row(number: int, request: dict, result: dict) -> dict:
    """One row of the run history (plain values, ready for a DataFrame or CSV)."""
    config = request.get("inferenceConfig", {})
    used = result["usage"] or {}
    prompt = request["messages"][-1]["content"][0].get("text", "")
    return {
        "run": number,
        "mode": result["mode"],
        "model": result["model"],
        "temperature": config.get("temperature"),
        "topP": config.get("topP"),
        "maxTokens": config.get("maxTokens"),
        "stopSequences": "|".join(config.get("stopSequences", [])),
        "turns": len(request["messages"]),
        "prompt": prompt,
        "stop_reason": result["stop_reason"],
        "input_tokens": used.get("inputTokens"),
        "output_tokens": used.get("outputTokens"),
        "cost_usd": result["cost_usd"],
        "latency_ms": result["latency_ms"],
        "latency_source": streaming.reported_source() if result["latency_ms"] is not None else None,
        "answer": result["text"],
        "error": (result["error"] or "").split("\n", 1)[0] or None,
        "measured_first_token_ms": result.get("first_token_ms"),
    }
