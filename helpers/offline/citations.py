"""Citations as a kind of content block: document blocks with `citations: {enabled: true}` are quoted.

For each such document in the last user message, on a model whose catalog entry has
`capabilities.citations`, the offline model answers with a `citationsContent` block: its generated
text, and one citation quoting the document's sentence that shares most words with the question.
The quote is real text of the document (extracted as media.py does): `documentChar` gives 0-based
character offsets into the document's text, end exclusive; PDFs get `documentPage` (1-based page,
end exclusive), as Anthropic's citations count them. `documentIndex` counts document blocks in the
request, in order.
"""

from __future__ import annotations

import io
import re

from . import media
from .prompt import Prompt
from .tools import content_words

# A sentence ends at . ! ? before a space or the end of a line ("firmware 4.2" is one sentence), or at
# a line break; Markdown's heading and list markers are not part of what it says.
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=[^\s]))+[.!?]?")
_MARKERS = "#*->|` \t"


def _pages(block: dict) -> list[str]:
    """The document's text, one entry per page for PDFs, else a single entry."""
    document = block["document"]
    data = (document.get("source") or {}).get("bytes")
    if not isinstance(data, (bytes, bytearray)):
        return []
    if document.get("format") == "pdf":
        import pypdf

        return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    text, _ = media._document_text(data, document.get("format"))
    return [text]


def _best_sentence(pages: list[str], question: set[str]) -> tuple[int, int, int, str] | None:
    """(page index, start, end, sentence) of the sentence sharing most words with the question."""
    best, best_score = None, -1
    for page, text in enumerate(pages):
        for match in _SENTENCE.finditer(text):
            sentence = match.group().strip().lstrip(_MARKERS).strip()
            if len(sentence) < 12:
                continue
            start = match.start() + match.group().index(sentence)
            score = len(content_words(sentence) & question)
            if score > best_score:
                best, best_score = (page, start, start + len(sentence), sentence), score
    return best


def requested(prompt: Prompt) -> bool:
    return prompt.model["capabilities"].get("citations") is True and any(
        (b["document"].get("citations") or {}).get("enabled") for b in prompt.attachments() if "document" in b
    )


def blocks(prompt: Prompt) -> list[dict]:
    """One citationsContent block per document that asked for citations."""
    question = content_words(prompt.last_user_text())
    documents = [b for m in prompt.messages for b in m.get("content") or [] if "document" in b]
    cited = []
    for block in prompt.attachments():
        if "document" not in block or not (block["document"].get("citations") or {}).get("enabled"):
            continue
        found = _best_sentence(_pages(block), question)
        if found is None:
            continue
        page, start, end, sentence = found
        index = next(i for i, d in enumerate(documents) if d is block)
        if block["document"].get("format") == "pdf":
            location = {"documentPage": {"documentIndex": index, "start": page + 1, "end": page + 2}}
        else:
            location = {"documentChar": {"documentIndex": index, "start": start, "end": end}}
        name = block["document"].get("name", "the document")
        citation = {"title": name, "sourceContent": [{"text": sentence}], "location": location}
        content = [{"text": f"{name} says: {sentence}"}]
        cited.append({"citationsContent": {"content": content, "citations": [citation]}})
    return cited
