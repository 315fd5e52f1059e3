"""Fuzz the HTTP API from its own OpenAPI schema (schemathesis): no 5xx, every response as documented.

Bounded and deterministic: for every operation, 30 schema-valid and 30 schema-violating cases,
derandomized, against the ASGI app in-process with the shared engine; every response goes
through all of schemathesis' checks (status code, content type, headers and body against the
schema, no server error, invalid data rejected, valid data accepted). The widget routes (which
need a widget key and an allowed Origin) are left to their own tests.

schemathesis' lazy `from_fixture` loader does not run under pytest 9 (it reads a private node
attribute), so each operation's Hypothesis strategy is driven here with `@given` directly.
"""
from __future__ import annotations

import json
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
from schemathesis.specs.openapi.checks import positive_data_acceptance

from qa.api.app import create_app
from qa.api.errors import ApiError
from qa.api.routers.chat import ChatRequest, last_question
from qa.config import Settings
from qa.feedback import FeedbackRequest
from qa.schemas import AskRequest, SearchRequest

MAX_EXAMPLES = 30
MAX_BODY = Settings().max_body_bytes
# Operations from the app's own schema (building the app does not load the engine).
OPERATIONS = [
    (method.upper(), path)
    for path, item in create_app(Settings()).openapi()["paths"].items()
    for method in item
    if not path.startswith("/widget")
]
# A body over the byte limit is refused with 413: that is a rejection too.
CONFIG = {"checks": {"negative_data_rejection": {"expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]}}}
SEEN: dict[str, Counter[int]] = {}  # cases sent per operation and mode, by response status


def _semantically_valid(path: str, body: object) -> bool:
    """Whether a schema-valid body also passes the checks JSON Schema cannot state.

    The question must be non-blank once zero-width and control characters are removed and at
    most 1000 characters (history turns, comments and answers have their own limits after the
    same cleaning); chat needs a user message; the whole body must fit the byte limit.
    Schema-valid cases that fail these are still sent and checked (no 5xx, documented status,
    response matches the schema); only "valid data must be accepted" is not demanded of them.
    """
    if not isinstance(body, dict) or len(json.dumps(body).encode()) > MAX_BODY:
        return False
    try:
        if path == "/api/ask":
            AskRequest.model_validate(body)
        elif path == "/api/search":
            SearchRequest.model_validate(body)
        elif path == "/v1/chat/completions":
            AskRequest(question=last_question(ChatRequest.model_validate(body).messages))
        elif path == "/api/feedback":
            FeedbackRequest.model_validate(body)
    except (ValueError, ApiError):
        return False
    return True


@pytest.fixture(scope="module")
def api_schema(engine, tmp_path_factory):
    # Fuzzed feedback goes to a scratch build folder, not the real feedback store.
    app = create_app(Settings(rate_limit_per_minute=10**9, build_dir=tmp_path_factory.mktemp("fuzz-build")), engine=engine)
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=schemathesis.Config.from_dict(CONFIG))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_conforms_to_its_schema(api_schema, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]
    if mode is GenerationMode.NEGATIVE and not operation.body and not list(operation.iter_parameters()):
        pytest.skip("no input to make invalid")
    statuses: Counter[int] = Counter()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: schemathesis.Case) -> None:
        excluded: list[CheckFunction] = []
        if mode is GenerationMode.POSITIVE and operation.body and not _semantically_valid(path, case.body):
            excluded.append(positive_data_acceptance)
        response = case.call_and_validate(excluded_checks=excluded)
        assert response.status_code < 500, response.text
        statuses[response.status_code] += 1

    run()
    SEEN[f"{method} {path} {mode.value}"] = statuses
    assert statuses, "no case was generated"
    if mode is GenerationMode.NEGATIVE and operation.body:
        assert all(400 <= s < 500 for s in statuses), statuses
    if mode is GenerationMode.POSITIVE and path in ("/api/ask", "/api/search", "/v1/chat/completions", "/api/feedback"):
        assert statuses[200] > 0, statuses  # some generated questions really reached the engine


def test_real_units_conform_to_the_schema(api_schema, engine) -> None:
    """Random ids are all 404s; every 10th real unit (all kinds, all documents) through the same checks."""
    operation = api_schema["/api/units/{unit_id}"]["GET"]
    units = engine.corpus.units[::10]
    kinds = set()
    for unit in units:
        response = operation.Case(path_parameters={"unit_id": unit.id}).call_and_validate()
        assert response.status_code == 200 and response.json()["text"] == unit.text
        kinds.add(unit.kind)
    assert len(units) > 40 and {"article", "paragraph", "table_row"} <= kinds


@pytest.mark.parametrize("stream", [False, True], ids=["json", "event-stream"])
def test_chat_answer_conforms_to_the_schema(api_schema, stream: bool) -> None:
    operation = api_schema["/v1/chat/completions"]["POST"]
    case = operation.Case(
        body={"model": "landqa", "messages": [{"role": "user", "content": "宅基地申请要公示几天？"}], "stream": stream}, media_type="application/json"
    )
    response = case.call_and_validate()
    assert response.status_code == 200
    assert response.headers["content-type"][0].startswith("text/event-stream" if stream else "application/json")


def test_every_operation_was_fuzzed() -> None:
    """Runs last in this file: the operations the schema lists were really exercised."""
    if not SEEN:
        pytest.skip("the fuzz tests were deselected")
    expected = {"POST /api/ask", "POST /api/search", "GET /api/units/{unit_id}", "POST /v1/chat/completions", "POST /api/feedback"}
    assert expected <= {key.rsplit(" ", 1)[0] for key in SEEN}
    total = sum(sum(c.values()) for c in SEEN.values())
    print(f"\nfuzzed {total} requests:", {key: dict(sorted(c.items())) for key, c in SEEN.items()})
