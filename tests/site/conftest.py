"""Checks of the built site as a reader meets it: in Chromium, over HTTP on 127.0.0.1.

They run in the `site-tests` Nox session (`pytest -m site`), which builds the site and
installs Chromium when it is missing; elsewhere this folder is skipped (conftest.py at
the root).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lstm_site import built_site, serve

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SITE = built_site(DOCS)
# Screenshots and measured figures, for review (beside the site, not inside it).
REPORT_DIR = SITE.parent / "site-report"
CHROMIUM = Path(os.environ.get("LSTM_STATES_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed as root
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No host name resolves but 127.0.0.1's: a request for another host fails at once
    # (and is recorded, Visit.outside) instead of leaving the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# --- what the site holds, discovered from the build (never a fixed list) ---------


def site_pages(site: Path = SITE) -> list[str]:
    """Every HTML page of the built site, as paths relative to its root."""
    if not site.exists():
        return []
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not any(part.startswith("_") for part in path.relative_to(site).parts)
    )


# --- measured figures, printed at the end and written to site-report/figures.json ---

FIGURES: dict[str, object] = {}
#: axe's blocking violations per page view, kept apart to be totalled across workers
AXE_PREFIX = "axe serious/critical "


def record(name: str, value: object) -> None:
    FIGURES[name] = value


def _worker(config: pytest.Config) -> str | None:
    """The pytest-xdist worker's id, or None in the controlling process."""
    return getattr(config, "workerinput", {}).get("workerid")


def pytest_sessionstart(session: pytest.Session) -> None:
    if _worker(session.config) is None:  # a new run: no worker's figures from the last one
        for stale in REPORT_DIR.glob("figures.*.json"):
            stale.unlink()


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker = _worker(session.config)
    if worker is not None and FIGURES:  # handed to the controller through a file
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        path = REPORT_DIR / f"figures.{worker}.json"
        path.write_text(json.dumps(FIGURES, default=str))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _worker(terminalreporter.config) is not None:  # the controller reports for all
        return
    figures = dict(FIGURES)
    for part in sorted(REPORT_DIR.glob("figures.*.json")):
        figures |= json.loads(part.read_text())
        part.unlink()
    if not figures:
        return
    views = {k: v for k, v in figures.items() if k.startswith(AXE_PREFIX)}
    if views:
        figures["axe page views"] = (
            f"{len(views)} page views, {sum(map(int, views.values()))} serious/critical violations"
        )
    terminalreporter.section("site figures")
    for name, value in figures.items():
        terminalreporter.write_line(f"{name}: {value}")
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORT_DIR / "figures.json"  # this run's figures only
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    terminalreporter.write_line(f"written to {path}")


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(
            f"no built site in {SITE}: build it first with `nox -s docs` (`nox -s site-tests` runs it first)"
        )
    return SITE


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port), for the session."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched by path (the test tool never downloads a browser)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `nox -s site-tests` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser tab, and everything that went wrong while it loaded its last page.

    :meth:`open` loads a page and waits until no request is in flight; ``errors`` then
    holds its console errors, page errors, failed requests and HTTP errors, ``outside``
    every request for a host other than 127.0.0.1 (none can succeed: CHROMIUM_ARGS).
    """

    #: How long no request must be in flight after the load event before a page counts as
    #: settled. After its load event a page of this site asks only for its icon; Playwright's
    #: own "networkidle" waits 500 ms whatever happens, on each of a run's 80 page loads.
    QUIET_MS = 100

    def __init__(self, page) -> None:
        self.page = page
        self.context = page.context
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.in_flight: set[object] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("requestfinished", self._finished)
        page.on("request", self._request)
        page.on("response", self._response)

    def open(self, url: str) -> Visit:
        self.errors.clear()
        self.outside.clear()
        self.page.goto(url, wait_until="load")
        self.settle()
        return self

    def settle(self, limit_ms: int = 30_000) -> None:
        """Wait until no request has been in flight for QUIET_MS (at most ``limit_ms``)."""
        step, quiet, waited = 20, 0, 0
        while quiet < self.QUIET_MS:
            assert waited < limit_ms, f"requests still in flight: {self.in_flight}"
            self.page.wait_for_timeout(step)  # lets Playwright deliver the request events
            waited += step
            quiet = 0 if self.in_flight else quiet + step

    def _finished(self, request) -> None:  # Playwright needs a function, not a method of set
        self.in_flight.discard(request)

    def _failed(self, request) -> None:
        self.in_flight.discard(request)
        self.errors.append(f"failed: {request.url} ({request.failure})")

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _request(self, request) -> None:
        self.in_flight.add(request)
        if urlsplit(request.url).hostname not in {"127.0.0.1", None}:
            self.outside.append(request.url)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, base_url):
    """Open a page in a new browser context of its own (with the context's options)."""
    opened: list[Visit] = []

    def open_page(path: str, *, color_scheme: str = "light", **options) -> Visit:
        context = browser.new_context(color_scheme=color_scheme, service_workers="block", **options)
        opened.append(Visit(context.new_page()))
        return opened[-1].open(base_url + path)

    yield open_page
    for item in opened:
        item.close()


#: What a phone shows, in CSS pixels (an iPhone 12 to 15; most Android phones are wider).
PHONE = {"width": 390, "height": 844}
#: The window each colour scheme's tab has: light mode on a desktop's (Playwright's
#: default), dark mode on a phone's, so that every page is checked in both layouts.
TAB_VIEWPORTS = {"light": {"width": 1280, "height": 720}, "dark": PHONE}


@pytest.fixture(scope="session")
def tabs(browser, base_url) -> Iterator[dict[str, Visit]]:
    """One tab per colour scheme, for this worker's whole run (copying allowed in light),
    of the size in TAB_VIEWPORTS.

    Loading a page in a tab that has loaded another costs a third of the CPU time of
    loading it in a new context, which starts a new renderer process.
    """
    opened = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(
            color_scheme=scheme, service_workers="block", viewport=TAB_VIEWPORTS[scheme]
        )
        if scheme == "light":
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url[:-1])
        opened[scheme] = Visit(context.new_page())
    yield opened
    for tab in opened.values():
        tab.close()


@pytest.fixture
def view(tabs, base_url):
    """Open a page in this worker's tab for the colour scheme; storage is cleared after."""
    used: list[Visit] = []

    def open_page(path: str, *, color_scheme: str = "light") -> Visit:
        used.append(tabs[color_scheme])
        return used[-1].open(base_url + path)

    yield open_page
    for tab in used:  # nothing a page stored reaches the next page
        tab.page.evaluate("localStorage.clear(); sessionStorage.clear()")
