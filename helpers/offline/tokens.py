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

import re
import sys
import threading

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_PIECE = re.compile(rf"\s*(?:[{_CJK}]|(?:(?![{_CJK}])[^\W_]){{1,4}}|[^\s{_CJK}]|\Z)", re.UNICODE)

MESSAGE_OVERHEAD = 3
SYSTEM_OVERHEAD = 2


CACHED_TEXT_CHARS = 20_000  # conversations resend earlier turns: tokenize each short text once
CACHE_BYTES = 16 * 1024 * 1024  # what remembered splits may hold in memory, together
PIECE_BYTES = 64  # a short str object and its slot in the tuple, as sys.getsizeof counts them


class ByteBoundedCache:
    """Memory of text -> split, bounded by an estimate of the bytes it holds rather than by entries: a
    few long prompts must not grow the server without end. The oldest entries go first (a dict keeps
    insertion order), so a hit is one lookup: every request asks several times, and keeping recency
    would write to the cache on each hit."""

    def __init__(self, capacity: int):
        self.capacity, self.size = capacity, 0
        self._entries: dict[str, tuple[tuple[str, ...], int, int]] = {}
        self._lock = threading.Lock()  # the server answers on several threads

    @staticmethod
    def cost(text: str, split: tuple[str, ...]) -> int:
        return sys.getsizeof(text) + PIECE_BYTES * len(split)

    def lookup(self, text: str) -> tuple[tuple[str, ...], int]:
        """(pieces, token count) of a text, remembered: a count is asked for on every request."""
        entry = self._entries.get(text)  # no lock to read: one C call, atomic under the GIL
        if entry is not None:
            return entry[0], entry[1]
        result = _split(text)
        tokens = _count(result)
        cost = self.cost(text, result)
        with self._lock:
            if text not in self._entries and cost <= self.capacity:
                self._entries[text] = (result, tokens, cost)
                self.size += cost
                while self.size > self.capacity:
                    self.size -= self._entries.pop(next(iter(self._entries)))[2]
        return result, tokens

    def split(self, text: str) -> tuple[str, ...]:
        return self.lookup(text)[0]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


def _split(text: str) -> tuple[str, ...]:
    return tuple(piece for piece in _PIECE.findall(text) if piece)


def _count(split: tuple[str, ...]) -> int:
    return sum(1 for piece in split if piece.strip())


CACHE = ByteBoundedCache(CACHE_BYTES)


def _pieces(text: str) -> tuple[str, ...]:
    return CACHE.split(text) if len(text) <= CACHED_TEXT_CHARS else _split(text)


def pieces(text: str) -> list[str]:
    """Split text into tokens whose concatenation is the text itself."""
    return list(_pieces(text))


def count(text: str) -> int:
    return CACHE.lookup(text)[1] if len(text) <= CACHED_TEXT_CHARS else _count(_split(text))


def within(pieces: list[str], budget: int) -> list[str]:
    """The leading pieces that hold at most `budget` tokens (whitespace-only pieces are free): how an
    answer, or a reasoning trace, is cut at a token limit."""
    kept, seen = [], 0
    for piece in pieces:
        if piece.strip():
            if seen == budget:
                break
            seen += 1
        kept.append(piece)
    return kept


def at_least(text: str) -> int:
    """A cheap lower bound of `count`: no token holds more than four non-space characters, so
    oversized inputs can be refused without tokenizing megabytes."""
    return -(-len("".join(text.split())) // 4)
