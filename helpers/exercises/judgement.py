"""Exercises that ask for a decision rather than a one-line edit: which model for a job, which errors
to send again, which images to shrink, which request Bedrock accepts, what a call cost, which client
configuration a long job needs. Each shows its data with `sample(id)`; each wrong choice a learner
makes gets the reason it is wrong, not only "no".
"""

from __future__ import annotations

from .checks import STREAM_ACTION, Exercise, NotYet, _dict, check_policy, need

# ---- 01: read an AccessDeniedException and grant exactly what it names --------------------------------

DENIED = (
    "AccessDeniedException: User: arn:aws:iam::<account-id>:user/app is not authorized to perform: "
    "bedrock:InvokeModelWithResponseStream on resource: "
    "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 because no identity-based policy "
    "allows the bedrock:InvokeModelWithResponseStream action"
)


def check_denied_statement(value) -> None:
    statement = _dict(value, "The statement")
    need("Statement" not in statement, "Write one statement ({'Effect', 'Action', 'Resource'}), not a whole policy.")
    actions = statement.get("Action")
    actions = [actions] if isinstance(actions, str) else actions or []
    need(
        "bedrock:ConverseStream" not in actions,
        "bedrock:ConverseStream is not an IAM action: the error names the one to allow.",
    )
    need(
        STREAM_ACTION in actions,
        f"The error says which action was refused: {STREAM_ACTION}; allow that one.",
    )
    check_policy({"Version": "2012-10-17", "Statement": [{**statement, "Action": ["bedrock:InvokeModel", *actions]}]})


# ---- 02: choose a model for a job from the catalog and the prices -------------------------------------


def _catalog_rows() -> dict[str, tuple[dict, dict | None]]:
    from .. import models, usage

    return {model_id: (features, usage.price(model_id)) for model_id, features in models.feature_table().items()}


def cheapest_with(feature: str) -> str:
    """The catalog model with `feature` whose input + output price per million tokens is lowest."""
    rows = _catalog_rows()
    able = [(p["input"] + p["output"], m) for m, (f, p) in rows.items() if f.get(feature) and f["converse"] and p]
    return min(able)[1]


def check_choose_model(value) -> None:
    from .. import usage

    need(isinstance(value, str) and value, f"Give a model id (a string), not {value!r}.")
    rows = _catalog_rows()
    model_id = usage.base_model_id(value)
    need(model_id in rows, f"{value!r} is not in the catalog: copy an id from models_frame().")
    features, price = rows[model_id]
    need(features["converse"], f"{value!r} does not speak Converse at all.")
    need(features["documents"], f"{value!r} cannot read documents in Converse: its documents column is False.")
    best = cheapest_with("documents")
    need(
        model_id == best,
        f"{value!r} can read PDFs, but another model that can costs less per token: compare the prices.",
    )


# ---- 03: which errors to send again -------------------------------------------------------------------

ERROR_CODES = (
    "ValidationException",
    "ThrottlingException",
    "AccessDeniedException",
    "ServiceUnavailableException",
    "ModelNotReadyException",
    "ResourceNotFoundException",
)
RETRY = {"ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException"}
WHY_NOT = {
    "ValidationException": "the same request fails the same way every time: fix the request instead",
    "AccessDeniedException": "a missing permission or model access does not come back by waiting",
    "ResourceNotFoundException": "a model id that does not exist here (or reached end of life) stays missing",
}
WHY = {
    "ThrottlingException": "too many requests or tokens per minute: it passes after a pause",
    "ServiceUnavailableException": "the service is briefly unavailable: it usually passes",
    "ModelNotReadyException": "the model is being loaded: botocore itself retries it",
}


def check_retryable(value) -> None:
    need(isinstance(value, (set, list, tuple, frozenset)), f"Give a set of error codes, not {type(value).__name__}.")
    chosen = set(value)
    unknown = sorted(chosen - set(ERROR_CODES))
    if unknown:
        raise NotYet(f"{unknown[0]!r} is not one of the listed codes: {', '.join(ERROR_CODES)}.")
    for code in sorted(chosen - RETRY):
        raise NotYet(f"Not {code}: {WHY_NOT[code]}.")
    for code in sorted(RETRY - chosen):
        raise NotYet(f"Add {code}: {WHY[code]}.")


# ---- 04: which images need a downscale ----------------------------------------------------------------

IMAGES = {  # name: (width, height, bytes)
    "a.jpg": (4000, 3000, 2_100_000),
    "b.png": (9000, 2000, 1_500_000),
    "c.jpg": (3000, 3000, 4_500_000),
    "d.png": (8000, 8000, 3_900_000),
}


def check_downscale(value) -> None:
    from ..formats import MAX_IMAGE_BYTES, MAX_IMAGE_SIDE

    need(isinstance(value, (set, list, tuple, frozenset)), f"Give a set of file names, not {type(value).__name__}.")
    chosen = set(value)
    unknown = sorted(chosen - set(IMAGES))
    if unknown:
        raise NotYet(f"{unknown[0]!r} is not one of {', '.join(IMAGES)}.")
    for name, (width, height, size) in IMAGES.items():
        too_big = size > MAX_IMAGE_BYTES or max(width, height) > MAX_IMAGE_SIDE
        if name in chosen and not too_big:
            raise NotYet(
                f"{name} fits: {max(width, height)} px is at most {MAX_IMAGE_SIDE}, and {size:,} bytes is under "
                f"3.75 MB = {MAX_IMAGE_BYTES:,} bytes (a MB here is 1,048,576 bytes)."
            )
        if name not in chosen and too_big:
            reason = (
                f"{width} px wide is over {MAX_IMAGE_SIDE}"
                if max(width, height) > MAX_IMAGE_SIDE
                else f"{size:,} bytes is over 3.75 MB (Bedrock's 5 MB applies to the base64 text, 4/3 larger)"
            )
            raise NotYet(f"{name} must be made smaller: {reason}.")


# ---- 05: which request Bedrock accepts ----------------------------------------------------------------

_PDF = {"format": "pdf", "name": "report", "source": {"bytes": b"%PDF-1.7 ..."}}
REQUESTS = {
    "A": [{"role": "user", "content": [{"document": _PDF}]}],
    "B": [
        {"role": "user", "content": [{"text": "Here is the report."}]},
        {"role": "assistant", "content": [{"document": _PDF}, {"text": "Noted."}]},
        {"role": "user", "content": [{"text": "Summarise it."}]},
    ],
    "C": [{"role": "user", "content": [{"document": _PDF}, {"text": "Summarise this report."}]}],
    "D": [{"role": "user", "content": [{"document": _PDF}, {"document": _PDF}, {"text": "Compare them."}]}],
}
WRONG_REQUEST = {
    "A": "a document block needs a text block beside it in the same message.",
    "B": "documents (and images) may only appear in user messages.",
    "D": "two documents with the same name in one request are refused: name them apart.",
}


def check_valid_request(value) -> None:
    need(value in REQUESTS, f"Answer with one letter of {', '.join(REQUESTS)}, not {value!r}.")
    need(value not in WRONG_REQUEST, f"Not {value}: {WRONG_REQUEST.get(value)}")


# ---- 06: inline bytes or S3 ---------------------------------------------------------------------------

VIDEOS = {"intro.mp4": 8 * 2**20, "clip.mov": 24 * 2**20, "lecture.mp4": 300 * 2**20, "webinar.mp4": 3 * 2**30}
HOW = ("bytes", "s3", "too large")


def video_route(size: int) -> str:
    from ..formats import MAX_INLINE_VIDEO_BYTES

    return "bytes" if size < MAX_INLINE_VIDEO_BYTES else "s3" if size <= 2**30 else "too large"


def check_video_routes(value) -> None:
    routes = _dict(value, "Your answer")
    need(set(routes) == set(VIDEOS), f"Answer for exactly these files: {', '.join(VIDEOS)}.")
    for name, size in VIDEOS.items():
        need(routes[name] in HOW, f"{name}: answer one of {', '.join(HOW)}, not {routes[name]!r}.")
        right = video_route(size)
        if routes[name] != right:
            why = {
                "bytes": "under 25 MB fits inline as bytes (no bucket needed)",
                "s3": "over 25 MB inline is refused; from S3 a video may be up to 1 GB",
                "too large": "even from S3 a video may be at most 1 GB: cut it into parts",
            }[right]
            raise NotYet(f"{name} ({size / 2**20:,.0f} MB): {why}.")


# ---- 07: what a call cost -----------------------------------------------------------------------------

COST_USAGE = {"inputTokens": 1200, "outputTokens": 800, "totalTokens": 2000}
COST_PRICES = {"input": 0.06, "output": 0.24}  # Nova Lite, USD per 1,000,000 tokens (data/prices.json)


def _cost(inputs: int, outputs: int, per: int = 1_000_000) -> float:
    return (inputs * COST_PRICES["input"] + outputs * COST_PRICES["output"]) / per


def check_cost(value) -> None:
    need(isinstance(value, (int, float)) and not isinstance(value, bool), f"Give a number of USD, not {value!r}.")
    inputs, outputs = COST_USAGE["inputTokens"], COST_USAGE["outputTokens"]

    def near(x: float) -> bool:
        return abs(value - x) <= 1e-9 + 1e-6 * abs(x)

    need(not near(_cost(inputs, outputs, per=1000)), "Prices are per 1,000,000 tokens, not per 1,000.")
    need(not near(_cost(outputs, inputs)), "Input and output are swapped: output tokens cost the output price.")
    need(not near(inputs * COST_PRICES["input"] / 1e6), "That is only the input: output tokens are billed too.")
    need(not near(outputs * COST_PRICES["output"] / 1e6), "That is only the output: input tokens are billed too.")
    need(
        not near(COST_USAGE["totalTokens"] * COST_PRICES["input"] / 1e6),
        "Input and output have different prices: price each count separately.",
    )
    need(near(_cost(inputs, outputs)), "Multiply each token count by its price per million, divide by 1,000,000, add.")


# ---- 08: the client configuration for long generations ------------------------------------------------

CONFIGS = {
    "A": "boto3.client('bedrock-runtime')  # botocore's defaults",
    "B": "boto3.client('bedrock-runtime', config=Config(read_timeout=3600, retries={'mode': 'adaptive', "
    "'max_attempts': 5}))",
    "C": "helpers.clients.runtime_client(config=helpers.clients.long_generation_config())",
    "D": "helpers.clients.runtime_client()  # the workbook's default",
}
WRONG_CONFIG = {
    "A": "botocore's default read timeout is 60 s, so every 20-minute call times out, and its retries send the "
    "timed-out request again: each attempt is a new generation, billed again.",
    "B": "the timeout is long enough, but botocore's adaptive retries treat a read timeout as transient and send "
    "the generation again (billed again) after a network hiccup.",
    "D": "its 300 s read timeout ends a 20-minute call; nothing is sent twice, but every long call fails.",
}


def check_long_config(value) -> None:
    need(value in CONFIGS, f"Answer with one letter of {', '.join(CONFIGS)}, not {value!r}.")
    need(value not in WRONG_CONFIG, f"Not {value}: {WRONG_CONFIG.get(value)}")


# ---- 09: pick a model from playground runs ------------------------------------------------------------

RUNS = [
    {"modelId": "global.anthropic.claude-haiku-4-5-20251001-v1:0", "stopReason": "end_turn", "latencyMs": 1400,
     "usage": {"inputTokens": 300, "outputTokens": 250}},
    {"modelId": "amazon.nova-micro-v1:0", "stopReason": "max_tokens", "latencyMs": 600,
     "usage": {"inputTokens": 280, "outputTokens": 300}},
    {"modelId": "amazon.nova-lite-v1:0", "stopReason": "end_turn", "latencyMs": 900,
     "usage": {"inputTokens": 280, "outputTokens": 260}},
    {"modelId": "amazon.nova-pro-v1:0", "stopReason": "end_turn", "latencyMs": 2600,
     "usage": {"inputTokens": 280, "outputTokens": 240}},
]  # fmt: skip
LATENCY_BUDGET_MS = 2000


def best_run() -> dict:
    from .. import usage

    fit = [r for r in RUNS if r["stopReason"] == "end_turn" and r["latencyMs"] <= LATENCY_BUDGET_MS]
    return min(fit, key=lambda r: usage.cost(r["modelId"], r["usage"]))


def check_pick_run(value) -> None:
    from .. import usage

    by_id = {r["modelId"]: r for r in RUNS}
    need(value in by_id, f"Answer with one of the runs' model ids: {', '.join(by_id)}.")
    run = by_id[value]
    need(run["stopReason"] == "end_turn", f"{value} stopped with {run['stopReason']}: its answer was cut off.")
    need(
        run["latencyMs"] <= LATENCY_BUDGET_MS,
        f"{value} took {run['latencyMs']} ms, over the {LATENCY_BUDGET_MS} ms budget.",
    )
    need(
        value == best_run()["modelId"],
        f"{value} fits, but another complete answer within budget cost less "
        f"({usage.format_cost(usage.cost(value, run['usage']))} here): compute each run's cost.",
    )


SAMPLES = {
    "01-denied": DENIED,
    "03-retry": ERROR_CODES,
    "04-downscale": IMAGES,
    "05-valid-request": REQUESTS,
    "06-video-route": VIDEOS,
    "07-cost": {"usage": COST_USAGE, "price_per_million_tokens": COST_PRICES},
    "08-long-config": CONFIGS,
    "13-pick-run": RUNS,
}

JUDGEMENT = [
    Exercise(
        "01-denied",
        "01",
        "Read the AccessDeniedException in sample('01-denied') and write the one policy statement that fixes it.",
        check_denied_statement,
        (
            "The error names the action and the resource; allow that action on foundation models.",
            "Foundation-model ARNs have no account id: arn:aws:bedrock:*::foundation-model/*.",
        ),
        "the statement grants exactly what was refused.",
    ),
    Exercise(
        "02-choose-model",
        "02",
        "Pick the model for a job: read PDFs attached to Converse requests, as cheaply as possible "
        "(helpers.models.feature_table() and helpers.usage.price_table()).",
        check_choose_model,
        (
            "First keep the models whose 'documents' feature is True.",
            "Then compare input + output prices per million tokens (helpers.usage.price(model_id)).",
        ),
        "the cheapest model that can read documents.",
    ),
    Exercise(
        "03-retry",
        "03",
        "Of the error codes in sample('03-retry'), which should your code send again after a pause?",
        check_retryable,
        ("Ask of each: would the same request succeed a few seconds later?",),
        "retry what passes with time, raise what needs a fix.",
    ),
    Exercise(
        "04-downscale",
        "04",
        "Which images in sample('04-downscale') (width, height, bytes) must be made smaller before sending?",
        check_downscale,
        ("Bedrock's limits: at most 8000 px a side and 3.75 MB (3,932,160 bytes) per image.",),
        "exactly those break a limit.",
    ),
    Exercise(
        "05-valid-request",
        "05",
        "Which of the message lists in sample('05-valid-request') does Bedrock accept? Answer one letter.",
        check_valid_request,
        (
            "Documents only in user messages, each beside a text block.",
            "Names must differ within a request.",
        ),
        "the only list that passes Bedrock's document rules.",
    ),
    Exercise(
        "06-video-route",
        "06",
        "For each video in sample('06-video-route') (sizes in bytes) answer 'bytes', 's3' or 'too large'.",
        check_video_routes,
        ("Inline bytes: under 25 MB. From Amazon S3: up to 1 GB.",),
        "each video goes the way Bedrock accepts it.",
    ),
    Exercise(
        "07-cost",
        "07",
        "A stream's metadata reported the usage in sample('07-cost'); what did the call cost, in USD?",
        check_cost,
        ("cost = inputTokens x input price / 1,000,000 + outputTokens x output price / 1,000,000.",),
        "that is what helpers.usage.cost computes.",
    ),
    Exercise(
        "08-long-config",
        "08",
        "A nightly job makes non-streamed InvokeModel calls whose answers take up to 20 minutes. Which client "
        "of sample('08-long-config') should it use? Answer one letter.",
        check_long_config,
        (
            "Look at two things: the read timeout, and what happens to a request that timed out.",
            "A generation sent again is a second generation, billed again.",
        ),
        "long enough to wait, and a timed-out request is never generated twice.",
    ),
    Exercise(
        "13-pick-run",
        "13",
        "From the playground runs in sample('13-pick-run'), pick the model with a complete answer within "
        "2000 ms that cost least.",
        check_pick_run,
        (
            "Complete means stopReason 'end_turn'.",
            "helpers.usage.cost(model_id, usage) prices each run.",
        ),
        "the cheapest complete answer within the latency budget.",
    ),
]
