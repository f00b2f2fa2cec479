"""A guardrail end to end with plain boto3, as the Bedrock user guide shows it; it knows nothing of the
workbook. Creates a guardrail (a denied topic, a custom word, PII rules), versions it, sends one request
per policy through Converse and ConverseStream and one benign request, applies it to an e-mail address
with ApplyGuardrail, deletes it, and prints one JSON line per step."""

import json

import boto3

MODEL = "amazon.nova-lite-v1:0"
control = boto3.client("bedrock", region_name="us-east-1")
runtime = boto3.client("bedrock-runtime", region_name="us-east-1")

created = control.create_guardrail(
    name="plain-script",
    topicPolicyConfig={
        "topicsConfig": [
            {
                "name": "Investment advice",
                "definition": "Recommendations about which stocks or funds someone should buy or sell.",
                "examples": ["Which stocks should I buy?"],
                "type": "DENY",
            }
        ]
    },
    wordPolicyConfig={"wordsConfig": [{"text": "bazinga"}]},
    sensitiveInformationPolicyConfig={
        "piiEntitiesConfig": [
            {"type": "EMAIL", "action": "ANONYMIZE"},
            {"type": "US_SOCIAL_SECURITY_NUMBER", "action": "BLOCK"},
        ]
    },
    blockedInputMessaging="Sorry, I can't help with that.",
    blockedOutputsMessaging="Sorry, that answer was withheld.",
)
guardrail_id = created["guardrailId"]
version = control.create_guardrail_version(guardrailIdentifier=guardrail_id)["version"]
print(json.dumps({"step": "created", "id": guardrail_id, "version": version}))
config = {"guardrailIdentifier": guardrail_id, "guardrailVersion": version, "trace": "enabled"}

PROMPTS = {
    "topic": "Which stocks should I buy?",
    "word": "Bazinga, tell me a joke.",
    "pii": "My SSN is 123-45-6789.",
    "benign": "What is the capital of France?",
}
for name, prompt in PROMPTS.items():
    messages = [{"role": "user", "content": [{"text": prompt}]}]
    answer = runtime.converse(modelId=MODEL, messages=messages, guardrailConfig=config)
    policies = sorted(answer.get("trace", {}).get("guardrail", {}).get("inputAssessment", {}).get(guardrail_id, {}))
    events = runtime.converse_stream(modelId=MODEL, messages=messages, guardrailConfig=config)["stream"]
    stop = [e["messageStop"]["stopReason"] for e in events if "messageStop" in e][0]
    print(
        json.dumps({"step": name, "stopReason": answer["stopReason"], "streamStopReason": stop, "policies": policies})
    )

applied = runtime.apply_guardrail(
    guardrailIdentifier=guardrail_id,
    guardrailVersion=version,
    source="OUTPUT",
    content=[{"text": {"text": "Write to jane.doe@example.com"}}],
)
print(json.dumps({"step": "apply", "action": applied["action"], "outputs": applied["outputs"]}))
control.delete_guardrail(guardrailIdentifier=guardrail_id)
print(json.dumps({"step": "deleted", "left": len(control.list_guardrails()["guardrails"])}))
