"""The PII entity types the offline guardrail can detect, by pattern, and the ones it cannot.

Live Bedrock detects sensitive information with a machine-learning model that reads context; offline
only formats that a pattern recognises reliably are detected (a card number must also pass the Luhn
check, a routing number its ABA checksum). Types that need a model of language (names, addresses,
ages, user names, passwords...) are never guessed: they are listed in UNDETECTABLE_OFFLINE and never
match, so an offline run can miss what live Bedrock masks, never the reverse for these types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .wire import is_ip_address

_B = r"(?<![\w@.])"  # no word character, @ or dot just before: a whole token
_E = r"(?![\w@])"


def luhn(digits: str) -> bool:
    numbers = [int(d) for d in digits if d.isdigit()]
    total = 0
    for index, number in enumerate(reversed(numbers)):
        if index % 2:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return len(numbers) >= 13 and total % 10 == 0


def aba(digits: str) -> bool:
    """The ABA routing-number checksum: 3-7-1 weights over the nine digits sum to a multiple of 10."""
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights)) % 10 == 0


# type -> (pattern, extra check on the matched text or None)
PATTERNS: dict[str, tuple[re.Pattern, Callable[[str], bool] | None]] = {
    "EMAIL": (re.compile(_B + r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}" + _E), None),
    "URL": (re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)]|\bwww\.[A-Za-z0-9-]+\.[^\s<>\"']*[A-Za-z0-9/]"), None),
    "US_SOCIAL_SECURITY_NUMBER": (re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b"), None),
    "CREDIT_DEBIT_CARD_NUMBER": (re.compile(r"\b\d(?:[ -]?\d){12,18}\b"), luhn),
    "PHONE": (
        re.compile(
            r"(?<![\w+])(?:\+1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}\b|\+\d{1,3}(?:[ .-]?\d){7,12}\b"
        ),
        None,
    ),
    "IP_ADDRESS": (
        re.compile(r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w.:])"),
        is_ip_address,
    ),
    "MAC_ADDRESS": (re.compile(r"\b[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}\b"), None),
    "AWS_ACCESS_KEY": (re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b"), None),
    # A secret access key is 40 base64 characters; required next to the words that name it, so any
    # 40-character hash is not taken for one.
    "AWS_SECRET_KEY": (
        re.compile(r"(?i:secret(?:[ _-]?access)?[ _-]?key)\W{0,5}\b([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"),
        None,
    ),
    "US_BANK_ROUTING_NUMBER": (re.compile(r"(?i:routing|aba|rtn)\D{0,20}\b(\d{9})\b"), lambda m: aba(m)),
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER": (
        re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),
        None,
    ),
    "SWIFT_CODE": (re.compile(r"(?i:swift|bic)\W{0,10}\b([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"), None),
    "UK_NATIONAL_INSURANCE_NUMBER": (re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"), None),
    "VEHICLE_IDENTIFICATION_NUMBER": (re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b"), lambda v: any(c.isalpha() for c in v)),
}
UNDETECTABLE_OFFLINE = (
    "ADDRESS",
    "AGE",
    "NAME",
    "USERNAME",
    "PASSWORD",
    "PIN",
    "DRIVER_ID",
    "LICENSE_PLATE",
    "US_BANK_ACCOUNT_NUMBER",
    "US_PASSPORT_NUMBER",
    "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
    "CREDIT_DEBIT_CARD_CVV",
    "CREDIT_DEBIT_CARD_EXPIRY",
    "CA_HEALTH_NUMBER",
    "CA_SOCIAL_INSURANCE_NUMBER",
    "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
    "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
)


def find(entity_type: str, text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, matched text) of each occurrence of the type; nothing for undetectable types.
    Patterns with a group report the group (the key after the words that introduce it)."""
    pattern, check = PATTERNS.get(entity_type, (None, None))
    if pattern is None:
        return
    for match in pattern.finditer(text):
        group = 1 if match.re.groups and match.group(1) and entity_type != "MAC_ADDRESS" else 0
        value = match.group(group)
        if check is None or check(value):
            yield match.start(group), match.end(group), value
