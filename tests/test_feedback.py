"""Feedback: POST /api/feedback and /widget/feedback into SQLite, bounded and keyed; `landqa feedback export` as candidate eval lines."""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eval.questions import Question
from qa.api.app import create_app
from qa.cli import main as cli_main
from qa.config import Settings, WidgetKey
from qa.feedback import FeedbackRequest, FeedbackStore, FeedbackStoreError, candidate, store_for

HAN = re.compile(r"[\u4e00-\u9fff]")
ORIGIN = "http://oa.example"
KEY = "fb-key"
QUESTION = "未经批准占用一般耕地2000平方米罚多少？"


def _settings(build_dir: Path, **overrides: object) -> Settings:
    keys = [WidgetKey(key=KEY, origins=[ORIGIN], name="OA")]
    return Settings.model_validate({"build_dir": build_dir, "widget_keys": keys, "rate_limit_per_minute": 100_000, **overrides})


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback-build")


@pytest.fixture(scope="module")
def client(engine, build_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(_settings(build_dir), engine=engine), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def answered(client: TestClient) -> dict:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    return response.json()


def _body(result: dict, **overrides: object) -> dict:
    body = {
        "answer_id": result["answer_id"], "rating": "down", "question": result["question"],
        "answer": result["answer"][:4000], "abstained": result["abstained"],
        "citations": [c["id"] for c in result["citations"]],
        "computations": [{"rule": c["rule"], "result": c["result"]} for c in result["computations"]],
    }
    body.update(overrides)
    return body


def _rows(build_dir: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(store_for(build_dir).path) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM feedback ORDER BY created_at").fetchall()


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert HAN.search(error["message_zh"]) and error["message_en"] and error["request_id"] == response.headers["x-request-id"]
    return error


# ---------------------------------------------------------------------- the API
def test_every_answer_has_its_own_id(client: TestClient, answered: dict) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", answered["answer_id"])
    again = client.post("/api/ask", json={"question": QUESTION}).json()
    assert again["answer_id"] != answered["answer_id"]


def test_feedback_is_stored_then_replaced_for_the_same_answer(client: TestClient, answered: dict, build_dir: Path) -> None:
    first = client.post("/api/feedback", json=_body(answered, rating="up"))
    assert first.status_code == 200 and first.json() == {"answer_id": answered["answer_id"], "rating": "up", "status": "created"}
    second = client.post("/api/feedback", json=_body(answered, rating="down", comment="  应按第五十三条第一款第（二）项\u200b "))
    assert second.json()["status"] == "updated"
    rows = [r for r in _rows(build_dir) if r["answer_id"] == answered["answer_id"]]
    assert len(rows) == 1
    row = rows[0]
    assert row["rating"] == "down" and row["comment"] == "应按第五十三条第一款第（二）项"  # cleaned like the question
    assert row["question"] == QUESTION and row["channel"] == "api"
    assert json.loads(row["citations"]) == [c["id"] for c in answered["citations"]]
    assert json.loads(row["computations"])[0]["rule"] == answered["computations"][0]["rule"]


def test_nothing_is_stored_for_an_answer_nobody_rated(client: TestClient, build_dir: Path) -> None:
    before = len(_rows(build_dir)) if store_for(build_dir).path.exists() else 0
    client.post("/api/ask", json={"question": "临时用地谁审批？"})
    after = len(_rows(build_dir)) if store_for(build_dir).path.exists() else 0
    assert after == before


BAD = [
    ("answer id not hex", {"answer_id": "x" * 32}, "answer_id"),
    ("answer id short", {"answer_id": "ab12"}, "answer_id"),
    ("rating", {"rating": "meh"}, "rating"),
    ("rating missing", {"rating": None}, "rating"),
    ("question empty", {"question": "\u200b "}, "问题不能为空"),
    ("question long", {"question": "宅" * 1001}, "问题超过1000个字符"),
    ("comment long", {"comment": "错" * 1001}, "说明超过1000个字符"),
    ("answer long", {"answer": "答" * 4001}, "回答超过4000个字符"),
    ("citation not an id", {"citations": ["<script>"]}, "引用编号格式不对"),
    ("21 citations", {"citations": [f"xj-measures:a{i}" for i in range(1, 22)]}, "citations"),
    ("citation int", {"citations": [53]}, "citations"),
    ("computation rule", {"computations": [{"rule": "a b", "result": "1"}]}, "rule"),
    ("computation extra", {"computations": [{"rule": "x", "result": "1", "formula": "f"}]}, "formula"),
    ("abstained string", {"abstained": "no"}, "abstained"),
    ("extra field", {"user": "张三"}, "user：不允许的字段"),
]


@pytest.mark.parametrize(("overrides", "zh"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_feedback_is_a_bilingual_422(client: TestClient, answered: dict, overrides: dict, zh: str) -> None:
    body = {k: v for k, v in _body(answered, **overrides).items() if v is not None}
    error = _error(client.post("/api/feedback", json=body), 422)
    assert zh in error["message_zh"], error


def test_malformed_and_oversized_feedback(client: TestClient, answered: dict) -> None:
    _error(client.post("/api/feedback", content=b"{", headers={"content-type": "application/json"}), 400)
    _error(client.post("/api/feedback", json=["up"]), 422)
    _error(client.post("/api/feedback", json=_body(answered, answer="答" * 6000)), 413)


def test_feedback_is_rate_limited(engine, tmp_path: Path, answered: dict) -> None:
    with TestClient(create_app(_settings(tmp_path, rate_limit_per_minute=2), engine=engine)) as limited:
        assert [limited.post("/api/feedback", json=_body(answered)).status_code for _ in range(2)] == [200, 200]
        response = limited.post("/api/feedback", json=_body(answered))
        _error(response, 429)
        assert int(response.headers["retry-after"]) >= 1


def test_api_keys_guard_feedback_when_configured(engine, tmp_path: Path, answered: dict) -> None:
    with TestClient(create_app(_settings(tmp_path, api_keys=["k1"]), engine=engine)) as keyed:
        _error(keyed.post("/api/feedback", json=_body(answered)), 401)
        assert keyed.post("/api/feedback", json=_body(answered), headers={"Authorization": "Bearer k1"}).status_code == 200


def test_widget_feedback_needs_the_key_and_an_allowed_origin(client: TestClient, answered: dict, build_dir: Path) -> None:
    body = _body(answered, answer_id="f" * 32)
    def refused(headers: dict[str, str], status: int) -> str:
        return _error(client.post("/widget/feedback", json=body, headers=headers), status)["code"]

    assert refused({"Origin": ORIGIN}, 401) == "widget_key_missing"
    assert refused({"Origin": ORIGIN, "X-Landqa-Key": "nope"}, 403) == "widget_key_invalid"
    assert refused({"Origin": "http://evil.example", "X-Landqa-Key": KEY}, 403) == "widget_origin_not_allowed"
    asking = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-landqa-key"}
    preflight = client.options("/widget/feedback", headers=asking)
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == ORIGIN
    response = client.post("/widget/feedback", json=body, headers={"Origin": ORIGIN, "X-Landqa-Key": KEY})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == ORIGIN
    assert [r["channel"] for r in _rows(build_dir) if r["answer_id"] == "f" * 32] == ["widget:OA"]


def test_a_damaged_store_is_a_503_not_a_crash(engine, tmp_path: Path, answered: dict) -> None:
    path = store_for(tmp_path).path
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    with TestClient(create_app(_settings(tmp_path), engine=engine), raise_server_exceptions=False) as damaged:
        response = damaged.post("/api/feedback", json=_body(answered))
        assert _error(response, 503)["code"] == "feedback_unavailable" and response.headers["retry-after"]
    with pytest.raises(FeedbackStoreError):
        store_for(tmp_path).records()


# ---------------------------------------------------------------------- the store
def test_the_store_is_bounded(tmp_path: Path, answered: dict) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3", max_rows=2)
    for digit in "12":
        store.save(FeedbackRequest.model_validate(_body(answered, answer_id=digit * 32)), "api")
    with pytest.raises(FeedbackStoreError):
        store.save(FeedbackRequest.model_validate(_body(answered, answer_id="3" * 32)), "api")
    # Changing one's mind about an answer already stored is still possible.
    assert store.save(FeedbackRequest.model_validate(_body(answered, answer_id="1" * 32, rating="up")), "api").status == "updated"


# ---------------------------------------------------------------------- export
def test_export_writes_unreviewed_candidates_in_the_eval_format(
    client: TestClient, answered: dict, build_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    client.post("/api/feedback", json=_body(answered, rating="down", comment="应为60万元至100万元"))
    follow = client.post("/api/ask", json={"question": "临时用地谁审批？"}).json()
    client.post("/api/feedback", json=_body(follow, rating="up"))
    monkeypatch.setenv("LANDQA_BUILD_DIR", str(build_dir))
    out = tmp_path / "candidates.jsonl"
    assert cli_main(["feedback", "export", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_answer = {line["feedback"]["answer_id"]: line for line in lines}
    down, up = by_answer[answered["answer_id"]], by_answer[follow["answer_id"]]
    assert all(line["reviewed"] is False for line in lines)
    assert down["question"] == QUESTION and down["gold"] == [] and down["facts"] == []
    assert down["feedback"]["rating"] == "down" and down["feedback"]["comment"] == "应为60万元至100万元"
    assert down["feedback"]["cited"] == [c["id"] for c in answered["citations"]]
    assert up["gold"] == [c["id"] for c in follow["citations"]]
    assert up["doc_ids"] == list(dict.fromkeys(c["doc_id"] for c in follow["citations"]))
    # What a reviewer does (a real id, the facts, drop the review fields) gives a valid eval question.
    for line in (down, up):
        reviewed = {k: v for k, v in line.items() if k not in ("reviewed", "feedback")}
        reviewed.update(id="q999", facts=["县级以上"])
        if not reviewed["gold"]:
            reviewed.update(gold=["xj-measures:a53"], doc_ids=["xj-measures"])
        Question.model_validate(reviewed)
    assert cli_main(["feedback", "export", "--rating", "up", "--out", str(out)]) == 0
    assert all(json.loads(line)["feedback"]["rating"] == "up" for line in out.read_text(encoding="utf-8").splitlines())


def test_export_of_an_empty_or_damaged_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANDQA_BUILD_DIR", str(tmp_path))
    assert cli_main(["feedback", "export"]) == 0
    assert capsys.readouterr().out == ""
    store_for(tmp_path).path.parent.mkdir(parents=True, exist_ok=True)
    store_for(tmp_path).path.write_bytes(b"\0garbage" * 64)
    assert cli_main(["feedback", "export"]) == 2
    assert "无法读取反馈库" in capsys.readouterr().err


def test_candidate_types(answered: dict) -> None:
    from qa.feedback import FeedbackRecord

    def record(**overrides: object) -> FeedbackRecord:
        return FeedbackRecord.model_validate({**_body(answered, **overrides), "channel": "api", "created_at": "t", "updated_at": "t"})

    assert candidate(record(rating="up"))["type"] == "computation"
    assert candidate(record(rating="up"))["computed"] == answered["computations"][0]["result"]
    assert candidate(record(rating="up", abstained=True, computations=[]))["type"] == "unanswerable"
    refused = candidate(record(rating="down", abstained=True, computations=[], resolved_question="未经批准占用永久基本农田2000平方米罚多少？"))
    assert refused["type"] == "lookup" and refused["gold"] == [] and refused["question"].startswith("未经批准占用永久基本农田")
    assert refused["feedback"]["asked"] == QUESTION
