"""Guardrails as two stages of the inference pipeline: on the input after Bedrock's rules, on the
output after the model generates (pipeline.py).

Which input is guarded follows the user guide ("Include a guardrail with the Converse API"): with
guardContent blocks in the messages or the system prompt, only those; otherwise the text of every
message, and never a plain system prompt. A blocked input is never sent to the model: the answer is
the guardrail's blocked-input message, stop reason `guardrail_intervened`, no tokens (as live
responses show: BerriAI/litellm#13321, strands-agents/harness-sdk#2117, read 2026-11-30). Anonymized
input reaches the model masked. A blocked output is replaced by the blocked-outputs message; an
anonymized one is masked; both stop with `guardrail_intervened`. Tool calls are not guarded (the
sensitive-information filter reads text only). ConverseStream in `sync` mode (the default) streams
the guarded answer; in `async` mode the model's answer streams as it comes and the guardrail's
verdict arrives at the end (anonymizing is not applied in async mode).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from . import guardrail_engine
from .generator import Generation, stream_pieces
from .guardrail_engine import INPUT, OUTPUT, Block, Verdict
from .guardrails import MSG_INFERENCE_GUARDRAIL_NOT_FOUND
from .guardrails_ops import action_reason, resolve_version
from .prompt import Prompt

GROUNDING = ("grounding_source", "query")


@dataclass
class Guard:
    """One request's guardrail: which version, how to trace, and its verdicts so far."""

    guardrail_id: str
    version: dict
    trace: str  # enabled, disabled or enabled_full
    mode: str  # sync or async (streams)
    system_blocks: list[dict] = field(default_factory=list)
    context: list[Block] = field(default_factory=list)  # grounding sources and queries, for the output
    input: Verdict | None = None
    output: Verdict | None = None
    model_output: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.trace == "enabled_full"


def start(call, config: dict | None, system_blocks: list[dict] | None = None) -> Guard | None:
    """The guardrail a request names (Bedrock's error when it does not exist), or None."""
    if not config or not config.get("guardrailIdentifier"):
        return None
    named = (config["guardrailIdentifier"], config.get("guardrailVersion"))
    guardrail, version = resolve_version(call, *named, message=MSG_INFERENCE_GUARDRAIL_NOT_FOUND)
    call.authorize("bedrock:ApplyGuardrail", [guardrail.arn])
    trace = config.get("trace") or "disabled"
    return Guard(
        guardrail.guardrail_id, version, trace, config.get("streamProcessingMode") or "sync", system_blocks or []
    )


def _guard_block(block: dict) -> Block:
    text = block["guardContent"]["text"]
    return Block(text["text"], tuple(text.get("qualifiers") or ("guard_content",)))


def _input_blocks(guard: Guard, prompt: Prompt) -> list[tuple[int, int, Block]]:
    """(message index, block index, Block) of what the guardrail reads; -1 marks the system prompt."""
    tagged = [
        (-1, j, _guard_block(b)) for j, b in enumerate(guard.system_blocks) if "text" in b.get("guardContent", {})
    ]
    for i, message in enumerate(prompt.messages):
        for j, block in enumerate(message.get("content") or []):
            if "text" in (block.get("guardContent") or {}):
                tagged.append((i, j, _guard_block(block)))
    if tagged:
        return tagged
    return [
        (i, j, Block(block["text"]))
        for i, message in enumerate(prompt.messages)
        for j, block in enumerate(message.get("content") or [])
        if "text" in block
    ]


def guard_input(guard: Guard, prompt: Prompt) -> Prompt:
    """Assess the input; the prompt the model sees (guarded text as text blocks, masked if anonymized)."""
    found = _input_blocks(guard, prompt)
    guard.context = [b for _, _, b in found if set(b.qualifiers) & set(GROUNDING)]
    guard.input = guardrail_engine.evaluate(guard.version, [b for _, _, b in found], INPUT, guard.full)
    masked = dict(zip([(i, j) for i, j, _ in found], guard.input.outputs))
    messages = []
    for i, message in enumerate(prompt.messages):
        content = []
        for j, block in enumerate(message.get("content") or []):
            if (i, j) in masked:
                content.append({"text": masked[(i, j)]})
            else:
                content.append(block)
        messages.append({**message, "content": content})
    guarded_system = [masked[(-1, j)] for j in range(len(guard.system_blocks)) if (-1, j) in masked]
    return dataclasses.replace(prompt, messages=messages, system=[*prompt.system, *guarded_system])


def blocked_input(guard: Guard) -> Generation:
    text = guard.version["blockedInputMessaging"]
    latency = guard.input.assessment["invocationMetrics"]["guardrailProcessingLatency"]
    return Generation([{"text": text}], [stream_pieces({"text": text})], "guardrail_intervened", 0, 0, latency, latency)


def guard_output(guard: Guard, generation: Generation) -> Generation:
    """Assess the model's text; the answer the caller receives."""
    said = [(index, block) for index, block in enumerate(generation.content) if "text" in block]
    blocks = [Block(block["text"]) for _, block in said] + guard.context
    guard.output = guardrail_engine.evaluate(guard.version, blocks, OUTPUT, guard.full)
    if not guard.output.intervened:
        return generation
    guard.model_output = [block["text"] for _, block in said]
    if guard.output.blocked:
        content = [{"text": guard.version["blockedOutputsMessaging"]}]
    elif guard.mode == "async":
        content = generation.content
    else:
        masked = dict(zip([i for i, _ in said], guard.output.outputs))
        content = [{"text": masked[i]} if i in masked else block for i, block in enumerate(generation.content)]
    if guard.mode == "async":  # already streamed as generated: only the verdict changes
        return dataclasses.replace(generation, stop_reason="guardrail_intervened", stop_sequence=None)
    pieces = [stream_pieces(block) for block in content]
    return dataclasses.replace(
        generation, content=content, pieces=pieces, stop_reason="guardrail_intervened", stop_sequence=None
    )


def intervened(guard: Guard) -> bool:
    return any(v is not None and v.intervened for v in (guard.input, guard.output))


def trace(guard: Guard) -> dict | None:
    """`trace.guardrail` in the service model's GuardrailTraceAssessment shape; None when disabled."""
    if guard.trace == "disabled":
        return None
    found: dict = {}
    if guard.input is not None:
        found["inputAssessment"] = {guard.guardrail_id: guard.input.assessment}
    if guard.output is not None:
        found["outputAssessments"] = {guard.guardrail_id: [guard.output.assessment]}
    if guard.model_output and guard.full:
        found["modelOutput"] = guard.model_output
    verdicts = [v for v in (guard.input, guard.output) if v is not None and v.intervened]
    found["actionReason"] = action_reason(verdicts[0]) if verdicts else "No action."
    return {"guardrail": found}


def run(call, guard: Guard, prompt: Prompt, generate) -> Generation:
    """Input guard, the model, output guard: the Generation a guarded request answers with (the
    pipeline calls the model directly when no guardrail is named)."""
    prompt = guard_input(guard, prompt)
    generation = blocked_input(guard) if guard.input.blocked else guard_output(guard, generate(prompt))
    return dataclasses.replace(
        generation,
        trace=trace(guard),
        guardrail_action="INTERVENED" if intervened(guard) else "NONE",
    )
