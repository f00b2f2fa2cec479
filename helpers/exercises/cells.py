"""The exercise cells to insert into notebooks 01-10: for each exercise a markdown task, an editable
code cell ending in `check(...)`, and a `hint(...)` cell whose output starts collapsed.

    from helpers.exercises import cells
    cells.insert_into("notebooks/03_text_conversation.ipynb", "03")   # before '## Recap'; then refresh

Starters leave the answer as `...`, so stored outputs show the unsolved "Not yet: ..." state and a
notebook still runs top to bottom.
"""

from __future__ import annotations

import re

from .catalog import EXERCISES


def _judge(exercise_id: str, variable: str, todo: str) -> tuple[str, str]:
    """Starter of a judgement exercise: show its data, leave the decision as `...`."""
    return (
        f"from pprint import pprint\n\nfrom helpers import exercises\n\npprint(exercises.sample({exercise_id!r}))\n"
        f"{variable} = ...  # TODO: {todo}",
        variable,
    )


# What the learner edits: starter code that names the value `check` receives.
STARTERS = {
    "01-policy": ("my_policy = ...  # TODO: a dict with 'Version' and 'Statement'", "my_policy"),
    "01-config": (
        "my_config = ...  # TODO: the text of ~/.aws/config: a [section] line, then region = ...",
        "my_config",
    ),
    "02-filter": ("my_filters = ...  # TODO: a dict of list_foundation_models arguments", "my_filters"),
    "02-profile-id": ("my_model_id = ...  # TODO: the id to pass as modelId from us-west-2", "my_model_id"),
    "03-request": (
        "my_request = ...  # TODO: {'modelId': ..., 'system': ..., 'messages': ..., 'inferenceConfig': ...}",
        "my_request",
    ),
    "03-continue": (
        'my_messages = [{"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}]\n'
        "my_response = client.converse(\n"
        '    modelId="global.anthropic.claude-haiku-4-5-20251001-v1:0", messages=my_messages\n'
        ")\n"
        "# TODO: append the assistant's message to my_messages",
        "my_messages",
    ),
    "04-image-block": (
        "from helpers.paths import DATA\n\n"
        'shapes_bytes = (DATA / "samples" / "shapes.jpg").read_bytes()\n'
        "my_image_block = ...  # TODO: {'image': {...}} built from shapes_bytes",
        "my_image_block",
    ),
    "04-image-message": (
        "my_image_message = ...  # TODO: a user message with your image block and a question",
        "my_image_message",
    ),
    "05-document-block": (
        "from helpers.paths import DATA\n\n"
        'earnings_bytes = (DATA / "samples" / "Q2_2025_earnings.v1.pdf").read_bytes()\n'
        "my_document_block = ...  # TODO: {'document': {...}} with a name Bedrock accepts",
        "my_document_block",
    ),
    "05-document-message": (
        "my_document_message = ...  # TODO: a user message with the document and a question",
        "my_document_message",
    ),
    "06-video-s3": (
        "my_video_block = ...  # TODO: {'video': {...}} for s3://my-video-bucket/clips/clip.mp4",
        "my_video_block",
    ),
    "06-video-model": ("my_video_model_id = ...  # TODO: a model id that accepts video", "my_video_model_id"),
    "07-collect": (
        "from helpers import exercises\n\n"
        'sample_events = exercises.sample("07-collect")  # what iterating response["stream"] yielded\n'
        "my_message = ...  # TODO: the assistant message these events add up to",
        "my_message",
    ),
    "07-stop-reason": (
        "from helpers import exercises\n\n"
        'sample_events = exercises.sample("07-stop-reason")\n'
        "my_stop_reason = ...  # TODO: the stop reason these events report",
        "my_stop_reason",
    ),
    "08-nova-body": (
        "my_nova_body = ...  # TODO: a messages-v1 body with system, one user message, maxTokens 500",
        "my_nova_body",
    ),
    "08-claude-body": (
        "my_claude_body = ...  # TODO: a bedrock-2023-05-31 body with system, one user message, max_tokens 500",
        "my_claude_body",
    ),
    "01-denied": _judge("01-denied", "my_statement", "{'Effect': ..., 'Action': ..., 'Resource': ...}"),
    "02-choose-model": (
        "from helpers import models, usage\n\n"
        "for model_id, features in models.feature_table().items():\n"
        "    print(f\"{model_id:42} documents={features['documents']!s:5} price={usage.price(model_id)}\")\n"
        "my_choice = ...  # TODO: the model id for reading PDFs as cheaply as possible",
        "my_choice",
    ),
    "03-retry": _judge("03-retry", "my_retryable", "a set of the codes to send again"),
    "04-downscale": _judge("04-downscale", "my_too_large", "a set of the file names that need a downscale"),
    "05-valid-request": _judge("05-valid-request", "my_letter", "the letter of the accepted list"),
    "06-video-route": _judge("06-video-route", "my_routes", "{file name: 'bytes' | 's3' | 'too large'}"),
    "07-cost": _judge("07-cost", "my_cost", "the cost in USD, a number"),
    "08-long-config": _judge("08-long-config", "my_letter", "the letter of the client to use"),
    "09-tool-spec": ("my_tool = ...  # TODO: {'toolSpec': {...}} for convert_currency", "my_tool"),
    "09-tool-result": (
        "from helpers import exercises\n\nasked = exercises.sample('09-tool-result')\n"
        "my_turn = ...  # TODO: the user turn with one toolResult per toolUse in `asked`",
        "my_turn",
    ),
    "09-stream-input": (
        "from helpers import exercises\n\nevents = exercises.sample('09-stream-input')\n"
        "my_input = ...  # TODO: the tool's input, a dict, built from `events`",
        "my_input",
    ),
    "09-tool-choice": _judge("09-tool-choice", "my_choice", "the toolChoice dict the job needs"),
    "11-cache-point": (
        "from helpers import exercises\n\nhandbook = exercises.sample('11-cache-point')\n"
        "my_system = ...  # TODO: the system list that caches `handbook` for an hour",
        "my_system",
    ),
    "11-thinking": (
        "my_fields = ...  # TODO: additionalModelRequestFields for thinking, with maxTokens 3000",
        "my_fields",
    ),
    "11-cache-pays": _judge(
        "11-cache-pays", "my_letters", "a set of the letters of the workloads caching makes cheaper"
    ),
    "10-pii-policy": (
        "my_policy = ...  # TODO: {'piiEntitiesConfig': [...]}: e-mail masked, card numbers blocked",
        "my_policy",
    ),
    "10-converse-config": (
        "from helpers import exercises\n\ncreated = exercises.sample('10-converse-config')\nprint(created)\n"
        "my_config = ...  # TODO: guardrailConfig for converse: version 1, with the trace",
        "my_config",
    ),
    "10-read-trace": _judge("10-read-trace", "my_blockers", "a set of the match values whose action blocked"),
    "12-record": ("my_record = ...  # TODO: {'recordId': 'REV00001', 'modelInput': {...}}", "my_record"),
    "12-job-request": (
        "from helpers import exercises\n\nprint(exercises.sample('12-job-request'))\n"
        "my_job = ...  # TODO: the create_model_invocation_job arguments, as a dict",
        "my_job",
    ),
    "12-async-request": (
        "from helpers import exercises\n\nprint(exercises.sample('12-async-request'))\n"
        "my_async_request = ...  # TODO: the start_async_invoke arguments, as a dict",
        "my_async_request",
    ),
    "12-retry": _judge("12-retry", "my_retries", "a set of the recordIds to send again unchanged"),
    "13-pick-run": _judge("13-pick-run", "my_model_id", "the model id of the run you pick"),
    "13-request": ("my_request = ...  # TODO: the Converse request the playground would send", "my_request"),
    "13-compare": ("my_requests = ...  # TODO: a list of 2-3 requests that differ only in modelId", "my_requests"),
}


def _cells(exercise) -> list[dict]:
    starter, variable = STARTERS[exercise.id]
    return [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": f"### Exercise {exercise.id}\n\n{exercise.task}\n\nEdit the next cell and run it: `check` says "
            "what, if anything, is still wrong. Stuck? Expand the output of the hint cell below it (each "
            "run reveals one more hint).",
        },
        {
            "cell_type": "code",
            "metadata": {},
            "source": f"from helpers.exercises import check, hint\n\n{starter}\n\ncheck({exercise.id!r}, {variable})",
        },
        {"cell_type": "code", "metadata": {"jupyter": {"outputs_hidden": True}}, "source": f"hint({exercise.id!r})"},
    ]


CELLS = {
    number: [cell for e in EXERCISES if e.notebook == number for cell in _cells(e)]
    for number in sorted({e.notebook for e in EXERCISES})
}


def cells_for(notebook: str) -> list:
    """The exercise cells of notebook '01'..'09' as nbformat cells (no outputs: refresh fills them)."""
    import nbformat

    made = []
    for cell in CELLS[notebook]:
        build = nbformat.v4.new_markdown_cell if cell["cell_type"] == "markdown" else nbformat.v4.new_code_cell
        made.append(build(source=cell["source"], metadata=dict(cell["metadata"])))
    return made


EXERCISES_HEADING = "## Exercises\n\nCheck what you built: the checks read your dicts, not a model's wording."


def insert_into(path, notebook: str) -> bool:
    """Insert notebook `notebook`'s missing exercise cells and save: after its last exercise cell when
    some are there already, otherwise under a new heading before '## Recap' (or at the end). False,
    changing nothing, when every exercise is there. Run the refresh command afterwards."""
    import nbformat

    book = nbformat.read(path, as_version=4)
    present = set(exercise_ids(book.cells))
    missing = [cell for cell in cells_for(notebook) if not _exercise_of(cell) & present]
    if not exercise_ids(missing):
        return False
    if present:
        last = max(i for i, c in enumerate(book.cells) if set(exercise_ids([c])) & present)
        at = last + 1 + (book.cells[last + 1].source.startswith("hint(") if last + 1 < len(book.cells) else 0)
        book.cells[at:at] = missing
    else:
        at = next(
            (
                i
                for i, c in enumerate(book.cells)
                if c.cell_type == "markdown" and c.source.lstrip().startswith("## Recap")
            ),
            len(book.cells),
        )
        book.cells[at:at] = [nbformat.v4.new_markdown_cell(EXERCISES_HEADING), *missing]
    nbformat.write(book, path)
    return True


def _exercise_of(cell) -> set[str]:
    """The exercise a generated cell belongs to (its heading, check or hint names it)."""
    found = re.search(r"(?:### Exercise |check\(|hint\()'?(\d\d-[a-z0-9-]+)", cell.source)
    return {found.group(1)} if found else set()


def exercise_ids(cells: list[dict]) -> list[str]:
    """The exercise ids checked by these cells."""
    return [
        m.group(1) for c in cells if c["cell_type"] == "code" for m in re.finditer(r"check\('([^']+)'", c["source"])
    ]
