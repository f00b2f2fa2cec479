"""Bedrock's error vocabulary: exception names, HTTP statuses and the exact messages the service sends.

Everything the emulator rejects is raised as a `BedrockError`, so the wire layer can serialise it the
way Bedrock does (status, `x-amzn-ErrorType`, `{"message": ...}`) and never leaks a traceback.
"""

from __future__ import annotations

STATUS = {
    "ValidationException": 400,
    "AccessDeniedException": 403,
    "UnrecognizedClientException": 403,
    "ExpiredTokenException": 403,
    "ResourceNotFoundException": 404,
    "ModelTimeoutException": 408,
    "ModelErrorException": 424,
    "ModelStreamErrorException": 424,
    "ThrottlingException": 429,
    "ModelNotReadyException": 429,
    "ServiceQuotaExceededException": 400,
    "InternalServerException": 500,
    "ServiceUnavailableException": 503,
}

# Messages Bedrock sends, to the letter (see shared/bedrock-facts.md).
MSG_START_WITH_USER = (
    "A conversation must start with a user message. Try again with a conversation that starts with a user message."
)
MSG_ALTERNATE = (
    "A conversation must alternate between user and assistant roles. "
    "Make sure the conversation alternates between user and assistant roles and try again."
)
MSG_NO_SYSTEM = (
    "This model doesn't support system messages. "
    "Try again without a system message or use a model that supports system messages."
)
MSG_NO_STREAMING_TOOLS = "This model doesn't support tool use in streaming mode."
MSG_INVALID_MODEL = "The provided model identifier is invalid."
MSG_NO_ACCESS = "You don't have access to the model with the specified model ID."
MSG_THROTTLED = (
    "Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again."
)
MSG_TOO_MANY_TOKENS = "Too many tokens, please wait before trying again."
MSG_INPUT_TOO_LONG = "Input is too long for requested model."
# Marketplace: quoted from live responses (data/error-sources.json); the minutes differ between reports (2 and 5).
MSG_MARKETPLACE = (
    "Model access is denied due to IAM user or service role is not authorized to perform the required AWS "
    "Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this "
    "model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for "
    "this model cannot be completed at this time. If you recently fixed this issue, try again after 2 minutes."
)
MSG_BAD_API_KEY = "Authentication failed: Please make sure your API Key is valid."
MSG_UNSUPPORTED_OPERATION = (
    "This action doesn't support the model that you provided. Try again with a supported text or chat model."
)


def msg_blank_text(message_index: int, block_index: int) -> str:
    return (
        f"The text field in the ContentBlock object at messages.{message_index}.content.{block_index} "
        "is blank. Add text to the text field, and try again."
    )


def msg_empty_content(message_index: int) -> str:
    return (
        f"The content field in the Message object at messages.{message_index} is empty. "
        "Add a ContentBlock object to the content field and try again."
    )


def msg_on_demand_unsupported(model_id: str) -> str:
    return (
        f"Invocation of model ID {model_id} with on-demand throughput isn\u2019t supported. "
        "Retry your request with the ID or ARN of an inference profile that contains this model."
    )


def msg_malformed(detail: str) -> str:
    """Anthropic/Nova native-body errors: 'Malformed input request: <detail>, please reformat ...'."""
    return f"Malformed input request: {detail}, please reformat your input and try again."


class BedrockError(Exception):
    """An error Bedrock itself would return: serialised by the wire layer, never a traceback."""

    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else STATUS.get(code, 400)

    @classmethod
    def validation(cls, message: str) -> BedrockError:
        return cls("ValidationException", message)

    def __repr__(self) -> str:
        return f"BedrockError({self.code!r}, {self.message!r}, {self.status})"
