"""Prompt caching, extended thinking and citations with plain boto3, as the Bedrock user guide shows them;
it knows nothing of the workbook. Prints one line per check for the test to read."""

import json

import boto3

MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
client = boto3.client("bedrock-runtime", region_name="us-east-1")

# 1. A repeated 5,000-token system prompt with a cache checkpoint: written once, then read.
handbook = " ".join(f"Rule {n}: answer travellers politely and check every booking twice." for n in range(400))
system = [{"text": handbook}, {"cachePoint": {"type": "default"}}]
question = [{"role": "user", "content": [{"text": "Which rule comes first?"}]}]
first = client.converse(modelId=MODEL, system=system, messages=question)["usage"]
second = client.converse(modelId=MODEL, system=system, messages=question)["usage"]
print("cache", json.dumps({"first": first, "second": second}))

# 2. Extended thinking: a signed reasoning block that goes back unchanged in the next turn.
thinking = {"thinking": {"type": "enabled", "budget_tokens": 1024}}
ask = {"role": "user", "content": [{"text": "Is 391 a prime number?"}]}
reply = client.converse(
    modelId=MODEL, messages=[ask], additionalModelRequestFields=thinking, inferenceConfig={"maxTokens": 2048}
)
message = reply["output"]["message"]
follow = {"role": "user", "content": [{"text": "And 393?"}]}
again = client.converse(
    modelId=MODEL,
    messages=[ask, message, follow],
    additionalModelRequestFields=thinking,
    inferenceConfig={"maxTokens": 2048},
)
print("thinking", json.dumps({"kinds": [next(iter(b)) for b in message["content"]], "next": again["stopReason"]}))

# 3. Reasoning arrives in the stream as reasoningContent deltas, before the answer's text.
stream = client.converse_stream(
    modelId=MODEL, messages=[ask], additionalModelRequestFields=thinking, inferenceConfig={"maxTokens": 2048}
)
deltas = [next(iter(e["contentBlockDelta"]["delta"])) for e in stream["stream"] if "contentBlockDelta" in e]
print("stream", json.dumps({"reasoning": deltas.count("reasoningContent"), "text": deltas.count("text")}))

# 4. Citations: the quoted text is found in the document at the place the citation gives.
notes = b"Trains to Lyon leave at 7:05 and 9:40. The 9:40 train has a dining car. Tickets are refundable."
document = {
    "document": {"format": "txt", "name": "timetable", "source": {"bytes": notes}, "citations": {"enabled": True}}
}
cited = client.converse(
    modelId=MODEL, messages=[{"role": "user", "content": [document, {"text": "Which train has a dining car?"}]}]
)
checks = []
for block in cited["output"]["message"]["content"]:
    for citation in block.get("citationsContent", {}).get("citations", []):
        where = citation["location"]["documentChar"]
        quoted = citation["sourceContent"][0]["text"]
        checks.append(notes.decode()[where["start"] : where["end"]] == quoted)
print("citations", json.dumps(checks))
