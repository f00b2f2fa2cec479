"""Exercises of the guardrails notebook: write a sensitive-information policy, write Converse's
guardrailConfig, and read a trace to say what blocked a request. Each check names the mistake
learners make: the trace's past tense (BLOCKED) where a policy wants BLOCK, GetGuardrail's member names
where CreateGuardrail wants `...Config`, InvokeModel's capitals where Converse wants lower case."""

from __future__ import annotations

from ..guardrails import pii_types
from .checks import Exercise, NotYet, _dict, need

# What create_guardrail answered, for 10-converse-config (the emulator's placeholder account).
CREATED = {
    "guardrailId": "9nklrtokplgb",
    "guardrailArn": "arn:aws:bedrock:us-east-1:123456789012:guardrail/9nklrtokplgb",
    "version": "DRAFT",
    "published": ["1"],
}
# The input assessment of a blocked Converse call (trace.guardrail.inputAssessment[guardrail id], trace
# "enabled_full"), for 10-read-trace: one finding per kind of action.
ASSESSMENT = {
    "wordPolicy": {
        "customWords": [{"match": "project bluebird", "action": "BLOCKED", "detected": True}],
        "managedWordLists": [],
    },
    "sensitiveInformationPolicy": {
        "piiEntities": [
            {"match": "jane.doe@example.com", "type": "EMAIL", "action": "ANONYMIZED", "detected": True},
            {"match": "4111 1111 1111 1111", "type": "CREDIT_DEBIT_CARD_NUMBER", "action": "BLOCKED", "detected": True},
        ],
        "regexes": [],
    },
    "contentPolicy": {
        "filters": [
            {"type": "INSULTS", "confidence": "LOW", "filterStrength": "MEDIUM", "action": "NONE", "detected": False}
        ]
    },
}
BLOCKERS = {"project bluebird", "4111 1111 1111 1111"}

ACTIONS = ("BLOCK", "ANONYMIZE", "NONE")
PAST_TENSE = {"BLOCKED": "BLOCK", "ANONYMIZED": "ANONYMIZE"}
WANTED = {"EMAIL": "ANONYMIZE", "CREDIT_DEBIT_CARD_NUMBER": "BLOCK"}
WHY_WANTED = {
    "EMAIL": "the task is to mask addresses, and BLOCK would refuse every message that has one: use 'ANONYMIZE'.",
    "CREDIT_DEBIT_CARD_NUMBER": "a card number is to be refused, not masked: use 'BLOCK'.",
}
ENTRY_KEYS = {"type", "action", "inputAction", "outputAction", "inputEnabled", "outputEnabled"}
CONFIG_KEYS = ("guardrailIdentifier", "guardrailVersion", "trace")


# ---- 10-pii-policy ---------------------------------------------------------------------------------------
def check_pii_policy(value) -> None:
    need(not isinstance(value, list), "Wrap the entries: {'piiEntitiesConfig': [{'type': ..., 'action': ...}, ...]}.")
    policy = _dict(value, "Your policy")
    need(
        "piiEntities" not in policy,
        "'piiEntities' is how get_guardrail reads the policy back; create_guardrail takes 'piiEntitiesConfig'.",
    )
    for key in policy:
        need(
            key in ("piiEntitiesConfig", "regexesConfig"),
            f"sensitiveInformationPolicyConfig has no member {key!r}; it takes piiEntitiesConfig and regexesConfig.",
        )
    entries = policy.get("piiEntitiesConfig")
    need(
        isinstance(entries, list) and entries, "List the types in 'piiEntitiesConfig': [{'type': ..., 'action': ...}]."
    )
    seen = {}
    for entry in entries:
        _pii_entry(_dict(entry, "Each piiEntitiesConfig entry"), seen)
    for kind in WANTED:
        need(kind in seen, f"Add {{'type': '{kind}', 'action': '{WANTED[kind]}'}}.")


def _pii_entry(entry: dict, seen: dict) -> None:
    for key in entry:
        need(key in ENTRY_KEYS, f"A PII entry has no member {key!r}; it takes 'type' and 'action'.")
    kind, action = entry.get("type"), entry.get("action")
    need(
        kind in pii_types(),
        f"{kind!r} is not a Bedrock PII type: e-mail is 'EMAIL', a card number 'CREDIT_DEBIT_CARD_NUMBER' "
        "(helpers.guardrails.pii_types() lists them all).",
    )
    need(kind not in seen, f"{kind} is listed twice: Bedrock refuses a PII type given more than once.")
    need(kind in WANTED, f"Leave out {kind}: the task names only EMAIL and CREDIT_DEBIT_CARD_NUMBER.")
    if action in PAST_TENSE:
        raise NotYet(f"{action!r} is how a trace reports what happened; the policy's action is {PAST_TENSE[action]!r}.")
    if action in ("MASK", "REDACT"):
        raise NotYet(f"Bedrock has no action {action!r}: masking is 'ANONYMIZE' (it writes {{EMAIL}} in place).")
    need(action in ACTIONS, f"{action!r} is not an action: use 'BLOCK', 'ANONYMIZE' or 'NONE' (report only).")
    need(action == WANTED[kind], f"{kind} with {action}: {WHY_WANTED[kind]}")
    need(
        entry.get("inputEnabled", True) and entry.get("outputEnabled", True),
        "Leave inputEnabled and outputEnabled on (the default): the rule guards prompts and answers.",
    )
    seen[kind] = action


# ---- 10-converse-config ----------------------------------------------------------------------------------
def check_converse_config(value) -> None:
    config = _dict(value, "Your guardrailConfig")
    need(
        "guardrailId" not in config,
        "The key is 'guardrailIdentifier': create_guardrail answers with 'guardrailId', Converse asks for "
        "'guardrailIdentifier'.",
    )
    need(
        "streamProcessingMode" not in config,
        "streamProcessingMode belongs to converse_stream's guardrailConfig; converse refuses it as an unknown "
        "parameter.",
    )
    for key in config:
        need(key in CONFIG_KEYS, f"guardrailConfig has no member {key!r}; it takes {', '.join(CONFIG_KEYS)}.")
    identifier = config.get("guardrailIdentifier")
    need(
        identifier in (CREATED["guardrailId"], CREATED["guardrailArn"]),
        f"guardrailIdentifier is the sample's guardrailId ({CREATED['guardrailId']!r}) or its guardrailArn.",
    )
    version = config.get("guardrailVersion")
    need(version is not None, "Name the version: 'guardrailVersion': '1' (inference refuses a guardrail without one).")
    need(isinstance(version, str), f"guardrailVersion is a string: '1', not {version!r}.")
    need(version != "DRAFT", "DRAFT changes with every update_guardrail; name the published version, '1'.")
    need(version == "1", f"Version {version!r} was never published: the sample's only version is '1'.")
    trace = config.get("trace")
    need(trace is not None, "Add 'trace': 'enabled' to get trace.guardrail in the response.")
    need(isinstance(trace, str), f"trace takes 'enabled', 'enabled_full' or 'disabled', not {trace!r}.")
    need(
        trace not in ("ENABLED", "ENABLED_FULL"),
        f"Converse writes trace in lower case: {trace.lower()!r} ({trace!r} is InvokeModel's header value).",
    )
    need(trace != "disabled", "'disabled' returns no trace: use 'enabled'.")
    need(trace in ("enabled", "enabled_full"), f"trace takes 'enabled', 'enabled_full' or 'disabled', not {trace!r}.")


# ---- 10-read-trace (judgement) ---------------------------------------------------------------------------
def check_read_trace(value) -> None:
    need(
        isinstance(value, (set, list, tuple, frozenset)),
        f"Give a set of the findings' match values, not {type(value).__name__}.",
    )
    chosen = set(value)
    need(
        "jane.doe@example.com" not in chosen,
        "Not jane.doe@example.com: its action is ANONYMIZED: masked and passed on, which lets a request through.",
    )
    need(
        not chosen & {"INSULTS", "stupid"},
        "Not the INSULTS filter: its action is NONE and detected is False: LOW confidence is below its MEDIUM "
        "strength, so it did nothing.",
    )
    for match in sorted(chosen - BLOCKERS):
        raise NotYet(f"{match!r} is not a match in the trace: read each finding's 'match'.")
    need("project bluebird" in chosen, "Add 'project bluebird': the word policy's action on it is BLOCKED.")
    need(
        "4111 1111 1111 1111" in chosen,
        "Add '4111 1111 1111 1111': the sensitive-information policy's action on it is BLOCKED.",
    )


GUARDRAIL_SAMPLES = {"10-converse-config": CREATED, "10-read-trace": ASSESSMENT}

GUARDRAIL_EDITS = [
    Exercise(
        "10-pii-policy",
        "10",
        "Write the sensitiveInformationPolicyConfig that masks e-mail addresses and blocks credit or debit card "
        "numbers.",
        check_pii_policy,
        (
            "One entry per PII type: {'type': ..., 'action': ...}, in a list under 'piiEntitiesConfig'.",
            "Masking is 'ANONYMIZE'; refusing is 'BLOCK'.",
        ),
        "create_guardrail accepts it; addresses come back as {EMAIL}, card numbers are refused.",
    ),
    Exercise(
        "10-converse-config",
        "10",
        "Write the guardrailConfig for a converse call that uses version 1 of the guardrail in "
        "sample('10-converse-config') and returns the guardrail's trace.",
        check_converse_config,
        (
            "Three keys: guardrailIdentifier, guardrailVersion, trace.",
            "Versions are strings; Converse's trace values are lower case.",
        ),
        "converse will apply version 1 and return trace.guardrail.",
    ),
]

# The decision the notebook asks for, beside the edits above (its judgement exercise).
GUARDRAIL_JUDGEMENT = [
    Exercise(
        "10-read-trace",
        "10",
        "sample('10-read-trace') is the input assessment in the trace of a blocked converse call: which findings "
        "blocked the request? Give the set of their 'match' values.",
        check_read_trace,
        (
            "Each finding has an 'action': BLOCKED, ANONYMIZED or NONE.",
            "Only BLOCKED stops a request; ANONYMIZED masks and lets it through.",
        ),
        "those two findings, and only those, stopped the request.",
    ),
]
