"""The offline model's token rule, one documented deterministic rule for every count it reports.

A token is one of:
  * one CJK character (Han, Hiragana, Katakana, Hangul): each counts alone, as real tokenizers
    spend about one token per character on these scripts;
  * up to four consecutive letters or digits of any other script ("playlist" = "play" + "list");
  * one punctuation or symbol character.
Leading whitespace belongs to the token that follows it, so the pieces join back into the text
exactly; this is how streamed deltas are cut as well. Each message costs 3 more tokens and a system
prompt 2 more (role markers), and non-text blocks cost what `media_tokens` in the generator says.
"""

from __future__ import annotations

import functools
import re

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_PIECE = re.compile(rf"\s*(?:[{_CJK}]|(?:(?![{_CJK}])[^\W_]){{1,4}}|[^\s{_CJK}]|\Z)", re.UNICODE)

MESSAGE_OVERHEAD = 3
SYSTEM_OVERHEAD = 2


CACHED_TEXT_CHARS = 20_000  # conversations resend earlier turns: tokenize each short text once


def _split(text: str) -> tuple[str, ...]:
    return tuple(piece for piece in _PIECE.findall(text) if piece)


_split_cached = functools.lru_cache(maxsize=4096)(_split)


def _pieces(text: str) -> tuple[str, ...]:
    return _split_cached(text) if len(text) <= CACHED_TEXT_CHARS else _split(text)


def pieces(text: str) -> list[str]:
    """Split text into tokens whose concatenation is the text itself."""
    return list(_pieces(text))


def _count(text: str) -> int:
    return sum(1 for p in _pieces(text) if p.strip())


_count_cached = functools.lru_cache(maxsize=4096)(_count)


def count(text: str) -> int:
    return _count_cached(text) if len(text) <= CACHED_TEXT_CHARS else _count(text)


def at_least(text: str) -> int:
    """A cheap lower bound of `count`: no token holds more than four non-space characters, so
    oversized inputs can be refused without tokenizing megabytes."""
    return -(-len("".join(text.split())) // 4)
