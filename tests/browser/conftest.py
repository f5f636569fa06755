"""Browser journeys: one Debian Chromium for the run, a fresh page per test, axe on every page.

Chromium comes from the system (`apt-get install -y chromium`): Playwright cannot download its
own browser here. Without it, every test in this folder is skipped with that instruction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

HERE = Path(__file__).resolve().parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-background-networking",  # no calls home: they would be refused here
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Fail within seconds when a page lacks what a journey expects, not after Playwright's 30 s.
TIMEOUT_MS = 10_000
BLOCKING_IMPACTS = ("serious", "critical")
# What pytest-django saved of the migrated database, kept to restore it after the journeys.
_SAVED: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    # xdist registers this marker itself; with `-p no:xdist`, --strict-markers still needs it.
    config.addinivalue_line("markers", "xdist_group(name): run the group in one xdist worker")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the group into the node id
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`; keep them in one xdist worker and one Chromium."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group(name="browser"))


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Iterator[object]:
    if not Path(CHROMIUM_PATH).is_file():
        reason = (
            f"Chromium not found at {CHROMIUM_PATH}: browser journeys skipped. "
            "Install it with: apt-get install -y chromium"
        )
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "true":
            pytest.fail(reason, pytrace=False)  # CI installs it: a skip there would hide a gap
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    request.getfixturevalue("django_db_setup")  # the test database exists before the loop runs
    saved = _serialized_contents()
    _SAVED.update(saved)
    with sync_api.sync_playwright() as playwright:
        _hand_over(saved)
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # The connections opened while Playwright's loop ran live in that context: close them
        # here, or PostgreSQL refuses to drop the test database at the end of the run.
        from django.db import connections

        connections.close_all()


def _serialized_contents() -> dict[str, str]:
    """What pytest-django saved of the migrated database, for serialized rollback."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _hand_over(saved: dict[str, str]) -> None:
    """Give the migrated data to the connections Django uses while Playwright runs.

    Playwright's sync API keeps an asyncio loop running in this thread. Django then keeps its
    connections in context-local storage instead of thread-local: new connection objects, to
    the same test database, but without the data saved for serialized rollback. Without it the
    demo's programmes (made by a data migration) are gone after the first test's flush.
    """
    from django.db import connections

    for alias, contents in saved.items():
        connections[alias]._test_serialized_contents = contents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the last journey in a row, put back what the migrations made.

    A journey's transactional database is emptied in pytest-django's own teardown, after every
    fixture of ours. The ordinary tests that run next in this worker expect the data
    migration's programmes, so the migrated state is restored here, after all of it, exactly
    as serialized rollback would (same primary keys, so a later journey's rollback still fits).
    """
    result = yield
    journey = HERE in Path(item.path).resolve().parents
    next_is_journey = nextitem is not None and HERE in Path(nextitem.path).resolve().parents
    # Nothing runs after the last test of the session, and by then its database may be gone.
    if journey and nextitem is not None and not next_is_journey and _SAVED:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for alias, contents in _SAVED.items():
                connections[alias].creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture
def demo(django_db_serialized_rollback: None, live_server: object) -> str:
    """The demo council on a live server; its base URL.

    `live_server` needs a transactional database, which is emptied after each test;
    serialized rollback puts back what the migrations seeded (the programmes) for the next.
    """
    call_command("seed_demo", "--force", stdout=StringIO())
    return live_server.url


@pytest.fixture
def page(browser: object, demo: str) -> Iterator[object]:
    context = browser.new_context(base_url=demo)
    context.set_default_timeout(TIMEOUT_MS)
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture(scope="session")
def _axe() -> object:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe_check(_axe: object) -> Callable[[object], None]:
    """Run axe-core on the page as it is now; fail listing each serious or critical violation."""

    def check(page: object) -> None:
        violations = _axe.run(page).response["violations"]
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url}"]
            for violation in blocking:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                lines.append(
                    f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                    f"[{len(violation['nodes'])} node(s), first: {'; '.join(targets)}] "
                    f"{violation.get('helpUrl', '')}"
                )
            pytest.fail("\n".join(lines), pytrace=False)

    return check
