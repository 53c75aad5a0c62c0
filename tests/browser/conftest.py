"""Browser-layer fixtures: Debian's Chromium driven by Playwright against pytest-django's live
server, with the reference data and the demo world in the database for every test.

- The whole layer is skipped when /usr/bin/chromium is missing, unless
  ``VEIVISER_REQUIRE_BROWSER=1`` (CI), where a missing browser fails every test loudly.
- Playwright never downloads a browser here: it launches ``/usr/bin/chromium``.
- ``live_server`` needs a transactional database, and pytest-django flushes it after every
  transactional test. Building the demo world takes seconds (it grows with the product), so
  ``world`` builds it once per test session (per xdist worker), takes a snapshot of the whole
  database and restores the snapshot before each later test: SQLite's backup API (the default
  in-memory test database, milliseconds), or a table-by-table copy on other databases (COPY on
  PostgreSQL, about a second; ``VEIVISER_BROWSER_COPY_TABLES=1`` uses it on SQLite too, to
  check it without PostgreSQL).
- A module-level teardown puts the reference data back after the module's last flush, keeping
  the session invariant of ``tests/conftest.py`` for any test that runs after us on the same
  worker.
- Each xdist worker has its own test database, live server, snapshot and browser.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread; Django's ORM refuses to
# run in such a thread unless told it is safe (it is: the loop never runs Django code).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Long enough for a loaded CI machine, short enough that a missing element fails quickly.
TIMEOUT_MS = 15_000
# The demo users' passwords are hashed with MD5 in the browser tests (see ``world``).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def browser_required() -> bool:
    return os.environ.get("VEIVISER_REQUIRE_BROWSER") == "1"


def screenshots_wanted() -> bool:
    return os.environ.get("VEIVISER_SCREENSHOTS") == "1"


def _no_browser(message: str) -> None:
    if browser_required():
        pytest.fail(f"{message} (VEIVISER_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium per test session (per xdist worker)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _no_browser(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        _no_browser(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _browser_first(browser: Any) -> None:
    """Autouse, so that a missing browser skips (or fails) a test before any database work."""


# --- the database: reference data + demo world, restored for every test ---------------------


@dataclass
class _Snapshot:
    logins: list[tuple[str, str]]
    sqlite: Any = None  # an in-memory sqlite3 connection holding a copy of the test database
    tables: list[tuple[str, list[str], list[tuple[Any, ...]]]] = field(default_factory=list)


@dataclass
class _WorldState:
    snapshots: dict[str, _Snapshot] = field(default_factory=dict)
    flushed: bool = False  # a test of ours has run (and so its flush emptied the database)


@pytest.fixture(scope="session")
def _world_state() -> Iterator[_WorldState]:
    state = _WorldState()
    yield state
    for snapshot in state.snapshots.values():
        if snapshot.sqlite is not None:
            snapshot.sqlite.close()


def _copy_tables(connection: Any) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """Every table's rows, as values ready to insert again (for databases other than SQLite)."""
    from django.apps import apps

    copied = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = [f for f in meta.local_concrete_fields if f.column]
        rows = model._base_manager.using(connection.alias).values_list(*[f.attname for f in fields])
        prepared = [
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
            for row in rows
        ]
        copied.append((meta.db_table, [f.column for f in fields], prepared))
    return copied


def _paste_tables(connection: Any, tables: list[tuple[str, list[str], list[Any]]]) -> None:
    from django.core.management.color import no_style
    from django.db import transaction

    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL synchronous_commit TO OFF")  # a test database
        # Empty the tables that are not: the content types and permissions post_migrate made
        # again after the flush, and whatever ran since. (TRUNCATE on PostgreSQL, so the audit
        # log's append-only trigger does not fire.)
        used = []
        for table, _columns, _rows in tables:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 - our tables
            if cursor.fetchone():
                used.append(table)
        for sql in connection.ops.sql_flush(no_style(), used, allow_cascade=True):
            cursor.execute(sql)
        # Foreign keys are checked at commit (Django creates them deferrable), so order is free.
        for table, columns, rows in tables:
            if not rows:
                continue
            names = ", ".join(quote(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                insert = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, rows)


def _take_snapshot(connection: Any, logins: list[tuple[str, str]]) -> _Snapshot:
    if connection.vendor == "sqlite" and not os.environ.get("VEIVISER_BROWSER_COPY_TABLES"):
        import sqlite3

        connection.ensure_connection()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return _Snapshot(logins=logins, sqlite=copy)
    return _Snapshot(logins=logins, tables=_copy_tables(connection))


def _restore_snapshot(connection: Any, snapshot: _Snapshot) -> None:
    from django.contrib.contenttypes.models import ContentType

    if snapshot.sqlite is not None:
        connection.ensure_connection()
        snapshot.sqlite.backup(connection.connection)
    else:
        _paste_tables(connection, snapshot.tables)
    ContentType.objects.clear_cache()  # the flush's post_migrate cached other ids


@pytest.fixture
def world(transactional_db: Any, settings: Any, _world_state: _WorldState) -> list[tuple[str, str]]:
    """The reference data (357 municipalities, regional offices) and the demo world, as
    ``veiviser demo`` makes them; returns the demo's (role label, username) logins.

    The demo users' passwords are hashed with MD5: the production hasher makes the ten users
    cost 3 s. (The live server runs in this process and checks passwords with these hashers.)"""
    from django.db import connection

    settings.PASSWORD_HASHERS = FAST_HASHERS
    _world_state.flushed = True
    snapshot = _world_state.snapshots.get(connection.alias)
    if snapshot is not None:
        _restore_snapshot(connection, snapshot)
        return snapshot.logins
    from veiviser.core.services import load_reference_data
    from veiviser.demo.world import build_demo_world

    load_reference_data()
    logins = build_demo_world()
    _world_state.snapshots[connection.alias] = _take_snapshot(connection, logins)
    return logins


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(
    django_db_blocker: Any, _world_state: _WorldState
) -> Iterator[None]:
    """After the module's last test and its flush, load the reference data again."""
    yield
    if _world_state.flushed:
        from veiviser.core.services import load_reference_data

        with django_db_blocker.unblock():
            load_reference_data()
        _world_state.flushed = False


# --- pages -------------------------------------------------------------------------------------


@pytest.fixture
def context(browser: Any, live_server: Any, world: Any) -> Iterator[Any]:
    """A fresh browser context (own cookies) per test, in a browser set up for US English:
    the product must still answer in bokmål (see test_language.py)."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-US", base_url=live_server.url)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    page = context.new_page()
    yield page
    page.close()


def login(page: Any, live_server: Any, username: str, password: str | None = None) -> None:
    """Log in through the login form (the submit button in <main>; the header has the
    language switch's); returns on the page the login led to."""
    from veiviser.demo.world import DEMO_PASSWORD

    response = page.goto(f"{live_server.url}/logg-inn/")
    assert response is not None and response.status == 200, (
        f"the login page answered {response.status if response else None}"
    )
    main = page.locator("main")
    main.locator("input[name=username]").fill(username)
    main.locator("input[name=password]").fill(password or DEMO_PASSWORD)
    with page.expect_navigation():
        main.locator("button[type=submit]").click()
    if page.url.split("?")[0].rstrip("/").endswith("/logg-inn"):
        errors = main.locator(".ds-error-summary").all_inner_texts()
        raise AssertionError(f"login as {username!r} failed: {errors}")


def sign_in(page: Any, live_server: Any, username: str) -> None:
    """Log in without the form: a session made on the server, its cookie given to the browser.
    For tests about other pages (saves a page load and a form post per test); ``login`` is the
    real thing."""
    from django.conf import settings
    from django.test import Client

    from veiviser.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def screenshot(page: Any, name: str) -> Path | None:
    """Full-page screenshot into docs/screenshots/<name>.png, only with VEIVISER_SCREENSHOTS=1
    (ordinary runs must not rewrite committed files)."""
    if not screenshots_wanted():
        return None
    if not re.fullmatch(r"[a-z0-9.-]+", name):
        raise ValueError(f"bad screenshot name {name!r}")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.set_viewport_size(VIEWPORT)
    # Web fonts loaded, so the picture shows Inter and not a fallback font.
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path
