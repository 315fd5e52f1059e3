"""End to end: a three-turn conversation in the widget with a follow-up, a cross-reference opened from a
citation card, and a 👎 that `landqa feedback export` then lists as an unreviewed eval candidate.

How well a follow-up is resolved is the resolver's business (qa/question.py): this test checks what
the widget must do — send the conversation, show the answer, and show "理解为：…" exactly when the
server understood the question differently from what was typed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

FIRST = "未经批准占用一般耕地2000平方米罚多少？"
FOLLOW_UP = "换成永久基本农田呢？"
THIRD = "第十条第二款"  # "前款第（三）项规定的……、第（四）项规定的……": a clause that points elsewhere
COMMENT = "应当一并列出第十条第一款的原文"
LANDQA = Path(sys.executable).parent / "landqa"


def _w(page: Page, selector: str) -> Locator:
    return page.locator(f"landqa-widget {selector}")  # inside the widget's open shadow root


def _ask(page: Page, question: str) -> dict:
    """Type and send a question; the JSON body the widget sent."""
    with page.expect_request(lambda r: r.url.endswith("/widget/ask") and r.method == "POST") as sent:
        box = _w(page, "form textarea")
        box.fill(question)
        box.press("Enter")
    expect(_w(page, ".msg.user").last).to_have_text(question)
    expect(_w(page, ".loading")).to_have_count(0, timeout=30_000)
    return json.loads(sent.value.post_data or "{}")


def _stored_turns(page: Page) -> list[dict]:
    key = page.evaluate("() => Object.keys(sessionStorage).find(k => k.startsWith('landqa-widget:'))")
    return json.loads(page.evaluate("k => sessionStorage.getItem(k)", key))["turns"]


def test_three_turns_with_a_follow_up_a_cross_reference_and_feedback(page: Page, landqa_server, artifacts) -> None:
    page.goto(f"{landqa_server.base}/widget/demo")
    _w(page, ".fab").click()
    expect(_w(page, ".panel")).to_be_visible()

    # Turn 1: a standalone question goes without history.
    first_body = _ask(page, FIRST)
    assert first_body == {"question": FIRST}
    first_answer = _stored_turns(page)[0]["r"]["answer"]
    assert first_answer

    # Turn 2: the follow-up carries the conversation so far, oldest first.
    second_body = _ask(page, FOLLOW_UP)
    assert second_body["question"] == FOLLOW_UP
    assert second_body["history"] == [{"role": "user", "content": FIRST}, {"role": "assistant", "content": first_answer[:600]}]
    second = _stored_turns(page)[1]["r"]
    bot = _w(page, ".msg.bot").nth(1)
    expect(bot.locator(".answer")).not_to_be_empty()
    understood = second["resolved_question"]
    if understood and understood != FOLLOW_UP:
        expect(bot.locator(".understood")).to_have_text(f"理解为：{understood}")
        assert not bot.locator(".answer").inner_text().startswith("理解为")  # shown once, above the answer
    else:
        expect(bot.locator(".understood")).to_have_count(0)
    page.screenshot(path=str(artifacts / "widget-follow-up.png"))

    # Turn 3: two earlier turns in the history; the cited clause lists what it points to.
    third_body = _ask(page, THIRD)
    assert [t["role"] for t in third_body["history"]] == ["user", "assistant", "user", "assistant"]
    assert third_body["history"][2] == {"role": "user", "content": FOLLOW_UP}
    bot = _w(page, ".msg.bot").nth(2)
    card = bot.locator(".card").filter(has_text="第十条第二款").first
    refs = card.locator(".refs button")
    expect(refs).to_have_count(2)
    expect(refs.first).to_have_text("第十条第一款第（三）项")
    with page.expect_response(lambda r: "/widget/units/" in r.url) as opened:
        refs.first.click()
    assert opened.value.status == 200
    shown = card.locator(".reftext")
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("县（市）国土空间总体规划由本级人民政府组织编制")
    expect(refs.first).to_have_attribute("aria-expanded", "true")
    href = shown.locator("a").get_attribute("href")
    assert href and "/widget/unit/xj-measures%3Aa10.k1.x3?key=" in href
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "widget-cross-reference.png"))
    refs.first.click()
    expect(shown).to_be_hidden()

    # 👎 with a comment on the third answer; nothing is sent before 提交反馈.
    feedback = bot.locator(".fb")
    feedback.get_by_role("button", name="没有帮助").click()
    expect(feedback.get_by_role("button", name="没有帮助")).to_have_attribute("aria-pressed", "true")
    expect(feedback.locator(".fbnote")).to_contain_text("本轮问题、回答")
    feedback.locator("textarea").fill(COMMENT)
    with page.expect_response(lambda r: r.url.endswith("/widget/feedback")) as sent:
        feedback.get_by_role("button", name="提交反馈").click()
    assert sent.value.status == 200 and sent.value.json()["status"] == "created"
    expect(feedback.locator(".fbstatus")).to_have_text("已提交反馈，谢谢！")
    page.screenshot(path=str(artifacts / "widget-feedback.png"))
    answer_id = _stored_turns(page)[2]["r"]["answer_id"]

    # The choice survives a reload of the tab.
    page.reload()
    expect(_w(page, ".msg.bot").nth(2).locator(".fbstatus")).to_have_text("已提交反馈，谢谢！")
    expect(_w(page, ".msg.bot").nth(2).get_by_role("button", name="没有帮助")).to_have_attribute("aria-pressed", "true")

    # `landqa feedback export` lists it as a candidate for the evaluation set, unreviewed.
    env = {**os.environ, "LANDQA_BUILD_DIR": str(landqa_server.build_dir)}
    done = subprocess.run([str(LANDQA), "feedback", "export", "--rating", "down"], env=env, capture_output=True, text=True, timeout=120, check=True)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    mine = [line for line in lines if line["feedback"]["answer_id"] == answer_id]
    assert len(mine) == 1, done.stdout
    line = mine[0]
    assert line["reviewed"] is False and line["question"] == THIRD
    assert line["feedback"]["rating"] == "down" and line["feedback"]["comment"] == COMMENT
    assert "xj-measures:a10.k2" in line["feedback"]["cited"]
