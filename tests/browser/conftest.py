"""Fixtures for the end-to-end widget tests: a real landqa server, a foreign host page, headless Chromium.

Chromium comes from Debian (`apt-get install -y chromium chromium-driver`), driven by the
playwright Python package; the tests are skipped when /usr/bin/chromium is missing.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eval.bench import free_port
from eval.loadtest import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
WIDGET_KEY = "browser-test-key"


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    port: int
    build_dir: Path  # a scratch build folder: the feedback the tests send is stored here


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def landqa_server(engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """uvicorn in a background thread with the real engine; the widget key allows exactly this origin."""
    from qa.api.app import create_app
    from qa.config import Settings, WidgetKey

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    build_dir = tmp_path_factory.mktemp("browser-build")
    settings = Settings(
        widget_keys=[WidgetKey(key=WIDGET_KEY, origins=[base], name="browser test")], rate_limit_per_minute=1_000, port=port, build_dir=build_dir
    )
    with serve_in_thread(create_app(settings, engine=engine), port=port) as url:
        yield Server(url, port, build_dir)


@pytest.fixture(scope="session")
def foreign_page(landqa_server: Server) -> Iterator[str]:
    """A host page on another origin (another loopback port) embedding the widget with the same key."""
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>未授权的网页</title></head>'
        "<body><h1>另一个来源的网页</h1><p>此来源不在密钥允许的来源之内。</p>"
        f'<script src="{landqa_server.base}/widget.js" data-key="{WIDGET_KEY}" async></script></body></html>'
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, name="foreign-page", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Module-scoped: Playwright's sync API keeps an event loop on the main thread while it runs,
    so it must be stopped before other modules' tests call asyncio.run()."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Iterator[object]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"uncaught errors in the page: {errors}"
