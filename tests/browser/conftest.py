"""Headless Chromium through Playwright's Python package, driving the real pages.

Chromium is Debian's (/usr/bin/chromium); we never run ``playwright install``. With CI=true a
missing browser fails the run; elsewhere the browser tests are skipped with the reason.
Screenshots and other artifacts go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from kinerja.organisation.demo import DEMO_PASSWORD
from tests.conftest import IN_CI

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls
# from the test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@contextmanager
def open_page(browser, base_url: str, viewport: dict | None = None):
    """A page of a new browser context on ``base_url``; a script or style the strict
    Content-Security-Policy blocks, or a script error, fails the test that met it."""
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport or {"width": 1366, "height": 768},
        # An English browser, as on many office PCs: the product is Indonesian all the same.
        locale="en-US",
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(f"script error: {error}"))
    yield page
    context.close()
    assert not refused, "\n".join(refused)


@pytest.fixture
def page(browser, live_server, offices):
    with open_page(browser, live_server.url) as page:
        yield page


@pytest.fixture
def login(page):
    """``login(DKUKMTK.kepala)``: log in through the real login form."""

    def do(username: str, password: str = DEMO_PASSWORD):
        page.context.clear_cookies()
        page.goto("/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit].primary")
        page.wait_for_url(lambda url: "/masuk/" not in url)
        return page

    return do


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
