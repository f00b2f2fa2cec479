"""Dialects: the ways a request for one model can be spoken, and its answer rendered.

Every dialect module offers the same three functions, the contract the pipeline relies on:

    to_prompt(body, resolved, region, streaming) -> Prompt     the request, normalised
    render(generation, prompt, request_id) -> dict              the whole answer, in the dialect's JSON
    stream(generation, prompt, request_id) -> Iterator[dict]    the answer cut into the dialect's stream

Converse (`converse`, `converse_stream`) and the Invoke API's model-native bodies (`nova`, `claude`,
`claude_text`) differ only here; resolving, authorizing, checking and generating happen once, in
`pipeline.py`. Each renders any list of content blocks, with each block's own index.
"""

from __future__ import annotations


def invocation_metrics(generation) -> dict:
    """`amazon-bedrock-invocationMetrics`, the summary on the last chunk of every Invoke stream."""
    return {
        "inputTokenCount": generation.input_tokens,
        "outputTokenCount": generation.output_tokens,
        "invocationLatency": generation.latency_ms,
        "firstByteLatency": generation.first_token_ms,
    }
