"""End to end: the widget in headless Debian Chromium, on the demo page and on a page of a disallowed origin.

Run: pytest -m browser tests/browser   (screenshots land in tests/artifacts/)
"""
from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

STATUTE_QUESTION = "征收土地补偿费用应在多长时间内支付？"
DRAFT_QUESTION = "巴楚县2025年计划供应多少国有建设用地？"
XSS_QUESTION = "<img src=x onerror=alert(1)>"


def _w(page: Page, selector: str):
    return page.locator(f"landqa-widget {selector}")


def open_demo(page: Page, base: str) -> None:
    page.goto(f"{base}/widget/demo")
    expect(_w(page, ".fab")).to_be_visible()


def open_panel(page: Page) -> None:
    _w(page, ".fab").click()
    expect(_w(page, ".panel")).to_be_visible()


def ask(page: Page, question: str) -> None:
    box = _w(page, "textarea")
    box.fill(question)
    box.press("Enter")
    expect(_w(page, ".msg.user").last).to_have_text(question)
    expect(_w(page, ".loading")).to_have_count(0, timeout=30_000)


def shadow_count(page: Page, selector: str) -> int:
    return page.evaluate("s => document.querySelector('landqa-widget').shadowRoot.querySelectorAll(s).length", selector)


def test_statute_question_streams_answer_and_citation_card(page: Page, landqa_server, artifacts) -> None:
    open_demo(page, landqa_server.base)
    open_panel(page)
    with page.expect_response(lambda r: r.url.endswith("/widget/ask")) as answered:
        _w(page, "textarea").fill(STATUTE_QUESTION)
        _w(page, "textarea").press("Enter")
        expect(_w(page, ".loading")).to_be_visible()
    response = answered.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    expect(_w(page, ".loading")).to_have_count(0, timeout=30_000)

    bot = _w(page, ".msg.bot").last
    expect(bot.locator(".answer")).to_contain_text("三个月")
    card = bot.locator(".card").first
    expect(card.locator(".lbl")).to_contain_text("第三十条")
    expect(card.locator(".badge")).to_have_text("现行")
    full = card.locator(".full")
    expect(full).to_be_hidden()
    toggle = card.get_by_role("button", name="展开条文")
    toggle.click()
    expect(full).to_be_visible()
    expect(full).to_contain_text("土地补偿费")
    expect(card.get_by_role("button", name="收起条文")).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(artifacts / "widget-desktop-answer.png"))

    link = card.locator("a")
    href = link.get_attribute("href")
    assert href and href.startswith(f"{landqa_server.base}/widget/unit/xj-measures%3Aa30")
    with page.context.expect_page() as opened:
        link.click()
    unit_page = opened.value
    unit_page.wait_for_load_state()
    expect(unit_page.locator("h1")).to_contain_text("第三十条")
    expect(unit_page.locator(".badge")).to_have_text("现行")
    unit_page.screenshot(path=str(artifacts / "widget-unit-page.png"), full_page=True)
    unit_page.close()


def test_draft_status_badge_and_computation_formula(page: Page, landqa_server, artifacts) -> None:
    open_demo(page, landqa_server.base)
    open_panel(page)
    ask(page, DRAFT_QUESTION)
    bot = _w(page, ".msg.bot").last
    calc = bot.locator(".calc").first
    expect(calc).to_contain_text("383.73")
    expect(calc.locator(".formula")).to_contain_text("公式：")
    expect(calc.locator(".formula")).to_contain_text("公顷 × 15")
    draft_badge = bot.locator(".card .badge.draft").first
    expect(draft_badge).to_contain_text("征求意见稿")
    # Clearly marked: its own colours, not those of an in-force text.
    colours = draft_badge.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colours != "rgb(227, 245, 233)"
    expect(bot.locator(".warn").first).to_contain_text("征求意见稿")
    bot.locator(".calc").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "widget-draft-computation.png"))


def test_markup_in_a_question_is_text_and_abstention_shows_nearest_units(page: Page, landqa_server, artifacts) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_demo(page, landqa_server.base)
    open_panel(page)
    ask(page, XSS_QUESTION)
    page.wait_for_timeout(500)  # give a smuggled onerror the time to fire
    expect(_w(page, ".msg.user").last).to_have_text(XSS_QUESTION)
    bot = _w(page, ".msg.bot").last
    expect(bot.locator(".abstain.out_of_scope")).to_have_text("超出现有文件范围")
    expect(bot.locator(".cites h3")).to_contain_text("最相近的条文")
    assert bot.locator(".card").count() >= 1
    assert shadow_count(page, "img") == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    page.screenshot(path=str(artifacts / "widget-xss-abstained.png"))
    # The stored conversation is rendered as text too after a reload.
    page.reload()
    expect(_w(page, ".msg.user").last).to_have_text(XSS_QUESTION)
    page.wait_for_timeout(300)
    assert shadow_count(page, "img") == 0
    assert dialogs == [], f"a dialog opened: {dialogs}"


def test_page_on_a_disallowed_origin_is_refused(page: Page, landqa_server, foreign_page, artifacts) -> None:
    page.goto(foreign_page)
    expect(_w(page, ".fab")).to_be_visible()
    with page.expect_response(lambda r: "/widget/hello" in r.url) as checked:
        _w(page, ".fab").click()
    assert checked.value.status == 403
    assert checked.value.json()["error"]["code"] == "widget_origin_not_allowed"
    expect(page.locator("landqa-widget")).to_have_attribute("data-state", "refused")
    expect(_w(page, ".status")).to_contain_text("未获授权")
    expect(_w(page, "textarea")).to_be_disabled()
    expect(_w(page, "form button")).to_be_disabled()
    page.screenshot(path=str(artifacts / "widget-refused-origin.png"))
    # The page's own script gets no answer either: the preflight is refused, so the call fails.
    outcome = page.evaluate(
        """async (base) => {
            try {
                const r = await fetch(base + '/widget/ask', {
                    method: 'POST',
                    headers: {'Content-Type': 'application/json', 'X-Landqa-Key': 'browser-test-key'},
                    body: JSON.stringify({question: '临时用地'}),
                });
                return 'status ' + r.status;
            } catch (e) { return 'blocked'; }
        }""",
        landqa_server.base,
    )
    assert outcome == "blocked"


def test_phone_sized_viewport(browser, landqa_server, artifacts) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        page = context.new_page()
        open_demo(page, landqa_server.base)
        fab = _w(page, ".fab").bounding_box()
        assert fab and fab["x"] >= 0 and fab["x"] + fab["width"] <= 375
        page.screenshot(path=str(artifacts / "widget-phone-closed.png"))
        _w(page, ".fab").tap()
        expect(_w(page, ".panel")).to_be_visible()
        ask(page, STATUTE_QUESTION)
        box = _w(page, ".panel").bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375 + 0.5
        assert box["y"] >= 0 and box["y"] + box["height"] <= 667 + 0.5
        for selector in (".head", "form", ".card"):
            part = _w(page, selector).first.bounding_box()
            assert part and part["x"] >= 0 and part["x"] + part["width"] <= 375 + 0.5, selector
        overflow = page.evaluate(
            "() => { const l = document.querySelector('landqa-widget').shadowRoot.querySelector('.log'); return l.scrollWidth - l.clientWidth; }"
        )
        assert overflow <= 1
        expect(_w(page, "form button")).to_be_in_viewport()
        page.screenshot(path=str(artifacts / "widget-phone-answer.png"))
        _w(page, ".x").tap()
        expect(_w(page, ".panel")).to_be_hidden()
        expect(_w(page, ".fab")).to_be_visible()
    finally:
        context.close()


def test_keyboard_only(page: Page, landqa_server, artifacts) -> None:
    open_demo(page, landqa_server.base)
    focused = (
        "() => { const r = document.querySelector('landqa-widget').shadowRoot.activeElement;"
        " return r ? (r.className || r.tagName.toLowerCase()) : null; }"
    )
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "fab":
            break
    assert page.evaluate(focused) == "fab", "Tab never reached the widget button"
    page.keyboard.press("Enter")
    expect(_w(page, ".panel")).to_be_visible()
    expect(_w(page, ".fab")).to_have_attribute("aria-expanded", "true")
    assert page.evaluate(focused) == "textarea"
    page.keyboard.type(STATUTE_QUESTION)
    page.keyboard.press("Enter")
    expect(_w(page, ".msg.user").last).to_have_text(STATUTE_QUESTION)
    expect(_w(page, ".loading")).to_have_count(0, timeout=30_000)
    expect(_w(page, ".card").first).to_be_visible()
    # Shift+Enter is a new line, not a send.
    page.keyboard.type("第一行")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("第二行")
    assert _w(page, "textarea").input_value() == "第一行\n第二行"
    assert _w(page, ".msg.user").count() == 1
    # The citation actions are reachable with Tab and work with Enter.
    _w(page, ".card").first.get_by_role("button", name="展开条文").focus()
    page.keyboard.press("Enter")
    expect(_w(page, ".card .full").first).to_be_visible()
    page.screenshot(path=str(artifacts / "widget-keyboard.png"))
    page.keyboard.press("Escape")
    expect(_w(page, ".panel")).to_be_hidden()
    assert page.evaluate(focused) == "fab"
    expect(_w(page, ".fab")).to_have_attribute("aria-expanded", "false")


def test_conversation_survives_reload_in_the_same_tab_only(page: Page, landqa_server) -> None:
    open_demo(page, landqa_server.base)
    open_panel(page)
    ask(page, STATUTE_QUESTION)
    expect(_w(page, ".card").first).to_be_visible()
    page.reload()
    # Open state, question, answer and cards come back from sessionStorage, without asking again.
    expect(_w(page, ".panel")).to_be_visible()
    expect(_w(page, ".msg.user")).to_have_text([STATUTE_QUESTION])
    expect(_w(page, ".msg.bot .answer").last).to_contain_text("三个月")
    expect(_w(page, ".card").first).to_be_visible()
    stored = page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('landqa-widget:'))")
    assert len(stored) == 1
    turns = json.loads(page.evaluate("k => sessionStorage.getItem(k)", stored[0]))["turns"]
    assert turns[0]["q"] == STATUTE_QUESTION and turns[0]["r"]["citations"]
    # sessionStorage is per tab: a new tab starts with an empty conversation.
    other = page.context.new_page()
    open_demo(other, landqa_server.base)
    expect(_w(other, ".panel")).to_be_hidden()
    open_panel(other)
    expect(_w(other, ".msg.user")).to_have_count(0)
    expect(_w(other, ".hello")).to_be_visible()
    other.close()
    # 清空 forgets the conversation.
    _w(page, ".head button").first.click()
    expect(_w(page, ".msg.user")).to_have_count(0)
    page.reload()
    expect(_w(page, ".msg.user")).to_have_count(0)


def test_rate_limited_state(page: Page, landqa_server, artifacts) -> None:
    body = json.dumps({"error": {"code": "rate_limited", "message_zh": "请求过于频繁，请稍后再试。", "message_en": "Too many requests; slow down."}})
    page.route("**/widget/ask", lambda route: route.fulfill(status=429, headers={"Retry-After": "7", "Content-Type": "application/json"}, body=body))
    open_demo(page, landqa_server.base)
    open_panel(page)
    _w(page, "textarea").fill(STATUTE_QUESTION)
    _w(page, "textarea").press("Enter")
    expect(page.locator("landqa-widget")).to_have_attribute("data-state", "rate-limited")
    expect(_w(page, ".status")).to_contain_text(re.compile(r"请 [1-7] 秒后再试"))
    expect(_w(page, "form button")).to_be_disabled()
    expect(_w(page, ".msg.bot .err").last).to_contain_text("限流")
    page.screenshot(path=str(artifacts / "widget-rate-limited.png"))


def test_server_unreachable_state(page: Page, landqa_server, artifacts) -> None:
    open_demo(page, landqa_server.base)
    page.route("**/widget/hello*", lambda route: route.abort("connectionrefused"))
    page.route("**/widget/ask", lambda route: route.abort("connectionrefused"))
    open_panel(page)
    expect(page.locator("landqa-widget")).to_have_attribute("data-state", "unreachable")
    expect(_w(page, ".status")).to_contain_text("无法连接问答服务")
    _w(page, "textarea").fill(STATUTE_QUESTION)
    _w(page, "textarea").press("Enter")
    expect(_w(page, ".msg.bot .err").last).to_contain_text("无法连接")
    page.screenshot(path=str(artifacts / "widget-unreachable.png"))
    # Back online: retry from the status bar, then the turn's own retry answers.
    page.unroute("**/widget/hello*")
    page.unroute("**/widget/ask")
    _w(page, ".status button").click()
    expect(_w(page, ".status")).to_be_hidden()
    _w(page, ".msg.bot .err button").last.click()
    expect(_w(page, ".loading")).to_have_count(0, timeout=30_000)
    expect(_w(page, ".card").first).to_be_visible()
    expect(_w(page, ".msg.user")).to_have_count(1)


def test_host_page_styles_do_not_reach_the_widget(page: Page, landqa_server) -> None:
    open_demo(page, landqa_server.base)
    host_button = page.locator("#host-button").evaluate("b => getComputedStyle(b).backgroundColor")
    assert host_button == "rgb(204, 0, 0)"  # the demo's rude stylesheet applies to its own button…
    style = _w(page, ".fab").evaluate("b => { const s = getComputedStyle(b); return [s.backgroundColor, s.fontFamily, s.fontSize]; }")
    assert style[0] == "rgb(29, 79, 145)"  # …but not to the widget's
    assert "Times New Roman" not in style[1]
    assert style[2] == "16px"


def test_copy_citation(browser, landqa_server) -> None:
    context = browser.new_context(locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=landqa_server.base)
    try:
        page = context.new_page()
        open_demo(page, landqa_server.base)
        open_panel(page)
        ask(page, STATUTE_QUESTION)
        card = _w(page, ".card").first
        card.get_by_role("button", name="复制引用").click()
        expect(card.get_by_role("button", name="已复制 ✓")).to_be_visible()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert "第三十条" in copied and "/widget/unit/xj-measures%3Aa30" in copied
    finally:
        context.close()
