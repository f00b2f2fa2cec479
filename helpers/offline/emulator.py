"""The emulator core: one `handle(request) -> response` for every transport.

Routing, fault injection, access checks and the final error serialisation live here; the operations
themselves are small functions registered on the router (runtime_ops, control_ops)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from . import aws_services, shapes
from .async_invoke import AsyncInvocations
from .batch import BatchJobs
from .catalog import Catalog, Resolved
from .errors import BedrockError
from .fault_plan import FaultPlan
from .guardrails import GuardrailStore
from .lifecycle import Clock
from .prompt_cache import PromptCache
from .wire import LAST_RESORT, MSG_INTERNAL, ROUTER, Request, Response, error_response, lazy, parse_json_body

log = logging.getLogger(__name__)
# Library etiquette: the emulator's own log stays out of a notebook's stderr unless the application
# configures logging (the server's --verbose does); failures reach the learner as Bedrock errors.
logging.getLogger("helpers.offline").addHandler(logging.NullHandler())

# An authorizer sees (call, action, resource ARNs) and raises BedrockError to refuse.
Authorizer = Callable[["Call", str, list], None]
# A transport's own step before routing: refuse (raise BedrockError), answer (a Response) or pass (None).
Gate = Callable[[Request], "Response | None"]


@dataclass
class Call:
    """One request on its way through an operation: what the handler needs, computed once."""

    emulator: Emulator
    request: Request
    operation: str
    service: str
    params: dict[str, str]
    faults: FaultPlan

    @lazy
    def region(self) -> str:
        return self.request.signed_region or self.emulator.region

    @property
    def place(self) -> tuple[str, str]:
        """(account, Region): where control-plane state (guardrails, batch jobs) belongs."""
        return self.catalog.account, self.region

    @property
    def catalog(self) -> Catalog:
        return self.emulator.catalog

    def json(self, operation: str | None = None) -> dict:
        """The JSON body, validated against the operation's input shape."""
        body = parse_json_body(self.request.body)
        shapes.validate(body, self.service, operation or self.operation)
        return body

    def resolve(self) -> Resolved:
        emulator = self.emulator
        return emulator.catalog.resolve(self.params["modelId"], self.region, emulator.clock)

    def authenticate(self) -> None:
        """Who signed the request is checked first, as AWS does (authorizers may offer `authenticate`)."""
        for authorizer in self.emulator.authorizers:
            check = getattr(authorizer, "authenticate", None)
            if check is not None:
                check(self)

    def authorize(self, action: str, resources: list[str]) -> None:
        for authorizer in self.emulator.authorizers:
            authorizer(self, action, resources)

    def authorize_model(self, action: str, resolved: Resolved) -> None:
        """`authorize` on a model's ARNs, written out only when an authorizer will read them."""
        if self.emulator.authorizers:
            self.authorize(action, self.model_resources(resolved))

    def model_resources(self, resolved: Resolved) -> list[str]:
        """ARNs IAM evaluates for an inference call: the profile (if named) and the model."""
        arns = [self.catalog.model_arn(resolved.model["modelId"], self.region)]
        if resolved.profile_id:
            arns.insert(0, self.catalog.profile_arn(resolved.profile_id, self.region))
        return arns


@dataclass
class Emulator:
    catalog: Catalog = field(default_factory=Catalog.load)
    region: str | None = None
    stream_delay: float = 0.0  # seconds between streamed events; 0 in tests
    authorizers: list[Authorizer] = field(default_factory=list)
    faults: FaultPlan = field(default_factory=FaultPlan)
    clock: Clock | None = None  # default: the catalog's "as of" day, or BEDROCK_OFFLINE_AS_OF
    prompt_cache: PromptCache = field(default_factory=PromptCache)  # per account, on the clock
    guardrails: GuardrailStore = field(default_factory=GuardrailStore)  # per account and Region
    batch: BatchJobs = field(default_factory=BatchJobs)  # model invocation jobs (batch.py)
    async_invocations: AsyncInvocations = field(default_factory=AsyncInvocations)  # async_invoke.py

    def __post_init__(self):
        self.region = self.region or self.catalog.default_region
        self.clock = self.clock or Clock.from_env(self.catalog.as_of)

    def handle(self, request: Request, faults: FaultPlan | None = None, gate: Gate | None = None) -> Response:
        """Answer one HTTP request. Never raises: this is the one place where any failure of a request,
        ours or the client's, becomes Bedrock's error response (a streamed answer guards its own frames).
        A transport's `gate` runs first, inside the same guard: it may refuse the request (raise) or
        answer it itself (the server's fault control)."""
        try:
            answer = gate(request) if gate is not None else None
            return answer if answer is not None else self._route(request, faults)
        except BedrockError as error:
            return _answer_error(error, request)
        except Exception:  # a bug of ours: answer like Bedrock, keep the traceback for the operator
            log.error("offline emulator failed on %s %s", request.method, request.path, exc_info=True)
            return _answer_error(BedrockError("InternalServerException", MSG_INTERNAL), request)

    def _route(self, request: Request, faults: FaultPlan | None) -> Response:
        if aws_services.claims(request):  # S3, IAM and STS on the same endpoint (moto's)
            return aws_services.forward(request)
        route, params = ROUTER.match(request.method, request.path)
        plan = faults or self.faults
        call = Call(self, request, route.operation, route.service, params, plan)
        if self.authorizers:
            call.authenticate()
        if route.service == "bedrock-runtime":
            fault = plan.take(route.operation)
            if fault is not None:
                raise fault
        return route.handler(call)


def _answer_error(error: BedrockError, request: Request) -> Response:
    try:
        return error_response(error, request)
    except Exception:  # noqa: BLE001 - e.g. a request whose id cannot be computed
        log.debug("offline emulator could not serialise %r", error, exc_info=True)
        return LAST_RESORT


def load_operations() -> None:
    """Import the operation modules so their routes register (idempotent)."""
    from . import async_invoke_ops, batch_ops, control_ops, guardrails_ops, invoke_ops, runtime_ops  # noqa: F401


load_operations()
