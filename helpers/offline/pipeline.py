"""One pipeline for every inference operation.

Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream (and CountTokens, which stops
before generating) all run the same steps in the same order: read the request off the wire, resolve
the model, authorize the caller, parse the body into a Prompt in the request's dialect, apply
Bedrock's rules, guard the input, generate, guard the output (guardrail_stage.py), then render the
answer or stream it. What differs between the APIs is an `Api` (how the wire delivers the body,
which dialect speaks it, how a rendering is wrapped, where a guardrail is named); what differs
between models is the dialect (see dialects/__init__.py). A new feature (tools, guardrails,
caching) is a step here or a kind of content block, never a path of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType

from ..vocabulary import inference_action
from . import guardrail_stage, prompt_cache, rules
from .generator import Generation, generate
from .prompt import Prompt
from .streams import stream_response
from .wire import ROUTER, Response

MODEL_PATH = r"/model/(?P<modelId>[^/]+)"


@dataclass(frozen=True)
class Api:
    """How one API reaches the pipeline and leaves it."""

    read: Callable[..., object]  # (call, streaming) -> the body, after the checks that precede everything
    parse: Callable[[object], dict]  # the body as a JSON object (after the caller is authorized)
    dialect_for: Callable[[dict, dict, bool], ModuleType]  # (model, body, streaming) -> the dialect speaking it
    respond: Callable[..., Response]  # (call, dialect, generation, prompt) -> the whole answer
    wrap_event: Callable[[object], tuple[str, dict]]  # one dialect stream item -> (event type, payload)
    stream_headers: dict = field(default_factory=dict)
    # (call, body) -> (guardrail configuration or None, system-prompt guardContent blocks)
    guardrail: Callable[..., tuple[dict | None, list]] = lambda call, body: (None, [])
    # (last dialect stream item, generation) -> the item as sent: what an API adds to its final event
    finish: Callable[[object, Generation], object] = lambda item, generation: item


def prompt_of(call, api: Api, body, streaming: bool) -> tuple[ModuleType, Prompt]:
    """Resolve, authorize, parse and check: everything before the model generates."""
    resolved = call.resolve()
    call.authorize_model(inference_action(streaming), resolved)
    parsed = api.parse(body)
    dialect = api.dialect_for(resolved.model, parsed, streaming)
    prompt = dialect.to_prompt(parsed, resolved, call.region, streaming)
    rules.check_prompt(prompt)
    return dialect, prompt


def events(call, api: Api, dialect: ModuleType, generation: Generation, prompt: Prompt) -> Iterator[tuple[str, dict]]:
    items = dialect.stream(generation, prompt, call.request.request_id())
    if generation.guardrail_action is None:  # nothing to add at the end: every item leaves as it comes
        yield from map(api.wrap_event, items)
        return
    previous = next(items, None)
    for item in items:  # one behind, so the API can finish the last item (guardrail fields)
        yield api.wrap_event(previous)
        previous = item
    if previous is not None:
        yield api.wrap_event(api.finish(previous, generation))


def _model(call, prompt: Prompt) -> Generation:
    """The prompt cache, then the model: what runs between the two guards of a guardrail."""
    return generate(prompt, prompt_cache.step(call, prompt))


def infer(call, api: Api, streaming: bool) -> Response:
    body = api.read(call, streaming)
    dialect, prompt = prompt_of(call, api, body, streaming)
    guard = guardrail_stage.start(call, *api.guardrail(call, body))
    if guard is None:
        generation = _model(call, prompt)
    else:
        generation = guardrail_stage.run(call, guard, prompt, functools.partial(_model, call))
    if streaming:
        return stream_response(call, events(call, api, dialect, generation, prompt), headers=api.stream_headers)
    return api.respond(call, dialect, generation, prompt)


def register(operation: str, suffix: str, api: Api, streaming: bool) -> None:
    """Route POST /model/{modelId}/<suffix> to the pipeline."""

    def handler(call):
        return infer(call, api, streaming)

    handler.__name__ = operation
    ROUTER.add(operation, "bedrock-runtime", "POST", MODEL_PATH + suffix)(handler)
