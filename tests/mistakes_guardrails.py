"""Wrong answers learners give in notebook 10's exercises, each with the exact message its check gives
(run by tests/test_exercises.py::test_typical_mistakes_get_a_precise_message)."""

from __future__ import annotations


def _entry(kind: str, **changes):
    """Change the piiEntitiesConfig entry of type `kind` in the reference policy."""

    def edit(policy):
        for entry in policy["piiEntitiesConfig"]:
            if entry["type"] == kind:
                entry.update(changes)

    return edit


def _config(**changes):
    def edit(config):
        config.update(changes)

    return edit


MISTAKES = [
    # ---- 10-pii-policy ----------------------------------------------------------------------------------
    (
        "10-pii-policy",
        lambda v: v["piiEntitiesConfig"],
        "Wrap the entries: {'piiEntitiesConfig': [{'type': ..., 'action': ...}, ...]}.",
    ),
    (
        "10-pii-policy",
        lambda v: {"piiEntities": v["piiEntitiesConfig"]},
        "'piiEntities' is how get_guardrail reads the policy back; create_guardrail takes 'piiEntitiesConfig'.",
    ),
    (
        "10-pii-policy",
        _entry("EMAIL", action="MASK"),
        "Bedrock has no action 'MASK': masking is 'ANONYMIZE' (it writes {EMAIL} in place).",
    ),
    (
        "10-pii-policy",
        _entry("CREDIT_DEBIT_CARD_NUMBER", action="BLOCKED"),
        "'BLOCKED' is how a trace reports what happened; the policy's action is 'BLOCK'.",
    ),
    (
        "10-pii-policy",
        _entry("CREDIT_DEBIT_CARD_NUMBER", type="CREDIT_CARD"),
        "'CREDIT_CARD' is not a Bedrock PII type: e-mail is 'EMAIL', a card number 'CREDIT_DEBIT_CARD_NUMBER' "
        "(helpers.guardrails.pii_types() lists them all).",
    ),
    (
        "10-pii-policy",
        _entry("EMAIL", action="BLOCK"),
        "EMAIL with BLOCK: the task is to mask addresses, and BLOCK would refuse every message that has one: "
        "use 'ANONYMIZE'.",
    ),
    (
        "10-pii-policy",
        _entry("CREDIT_DEBIT_CARD_NUMBER", action="ANONYMIZE"),
        "CREDIT_DEBIT_CARD_NUMBER with ANONYMIZE: a card number is to be refused, not masked: use 'BLOCK'.",
    ),
    (
        "10-pii-policy",
        lambda v: {"piiEntitiesConfig": v["piiEntitiesConfig"][:1]},
        "Add {'type': 'CREDIT_DEBIT_CARD_NUMBER', 'action': 'BLOCK'}.",
    ),
    # ---- 10-converse-config ------------------------------------------------------------------------------
    (
        "10-converse-config",
        lambda v: {"guardrailId": v["guardrailIdentifier"], "guardrailVersion": "1", "trace": "enabled"},
        "The key is 'guardrailIdentifier': create_guardrail answers with 'guardrailId', Converse asks for "
        "'guardrailIdentifier'.",
    ),
    ("10-converse-config", _config(guardrailVersion=1), "guardrailVersion is a string: '1', not 1."),
    (
        "10-converse-config",
        _config(guardrailVersion="DRAFT"),
        "DRAFT changes with every update_guardrail; name the published version, '1'.",
    ),
    (
        "10-converse-config",
        _config(trace="ENABLED"),
        "Converse writes trace in lower case: 'enabled' ('ENABLED' is InvokeModel's header value).",
    ),
    (
        "10-converse-config",
        _config(trace=True),
        "trace takes 'enabled', 'enabled_full' or 'disabled', not True.",
    ),
    (
        "10-converse-config",
        lambda v: {k: x for k, x in v.items() if k != "trace"},
        "Add 'trace': 'enabled' to get trace.guardrail in the response.",
    ),
    (
        "10-converse-config",
        _config(streamProcessingMode="async"),
        "streamProcessingMode belongs to converse_stream's guardrailConfig; converse refuses it as an unknown "
        "parameter.",
    ),
    (
        "10-converse-config",
        lambda v: {k: x for k, x in v.items() if k != "guardrailVersion"},
        "Name the version: 'guardrailVersion': '1' (inference refuses a guardrail without one).",
    ),
    # ---- 10-read-trace ------------------------------------------------------------------------------------
    (
        "10-read-trace",
        lambda v: v | {"jane.doe@example.com"},
        "Not jane.doe@example.com: its action is ANONYMIZED: masked and passed on, which lets a request through.",
    ),
    (
        "10-read-trace",
        lambda v: v | {"INSULTS"},
        "Not the INSULTS filter: its action is NONE and detected is False: LOW confidence is below its MEDIUM "
        "strength, so it did nothing.",
    ),
    (
        "10-read-trace",
        lambda v: {"project bluebird"},
        "Add '4111 1111 1111 1111': the sensitive-information policy's action on it is BLOCKED.",
    ),
    (
        "10-read-trace",
        lambda v: "project bluebird",
        "Give a set of the findings' match values, not str.",
    ),
]
