"""Browser tests: Playwright (pytest-playwright) driving Chromium against Django's live server.

Chromium comes from Debian (/usr/bin/chromium) when it is installed, because
Playwright cannot download its own browsers on our machines; elsewhere
`.venv/bin/python -m playwright install chromium` provides one. With no browser
at all the tests fail in CI (CI is set) and are skipped, with the reason, locally.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

HERE = Path(__file__).resolve().parent
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_BROWSER = (
    "No Chromium for the browser tests: install Debian's chromium "
    "(apt-get install -y chromium) or run `.venv/bin/python -m playwright install chromium`."
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every browser test is slow (a Chromium per session, a live server): `make test-fast`
    leaves them out. The hook sees the whole session's items, so only ours are marked; it
    runs first so that `-m "not slow"` sees the mark.

    Browser tests also run last. Playwright's session keeps an asyncio event loop running
    in the main thread from the first browser test to the end of the run, and Django
    refuses database access from any later test in that thread ("you cannot call this
    from an async context"). pytest-django then orders tests by kind with a stable sort,
    so the browser tests stay last among the transactional tests.
    """
    browser = [item for item in items if HERE in item.path.parents]
    for item in browser:
        item.add_marker(pytest.mark.slow)
    items[:] = [item for item in items if HERE not in item.path.parents] + browser


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Allow Django's "async unsafe" calls while a browser test runs.

    Playwright's sync API runs an asyncio event loop in this thread, which makes Django
    refuse database access from the test and its fixtures. The tests never share a
    connection between coroutines, so it is safe. The variable is set only around the
    browser tests: other tests start subprocesses (manage.py check --deploy) that must
    not inherit it.
    """
    if HERE not in item.path.parents:
        return (yield)
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        return (yield)
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Launch Debian's Chromium when present, otherwise Playwright's own build."""
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if SYSTEM_CHROMIUM.exists():
        return {**args, "executable_path": str(SYSTEM_CHROMIUM)}
    if Path(playwright.chromium.executable_path).exists():
        return args
    if _in_ci():
        pytest.fail(NO_BROWSER, pytrace=False)
    pytest.skip(NO_BROWSER)


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs (page.goto("/404/")) go to the live server; pytest-playwright
    passes this to every browser context."""
    return live_server.url


CONTENT_APPS = ("codes", "guides")


def _content_models() -> list:
    from django.apps import apps

    return [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy
    ]


@pytest.fixture(scope="session")
def _catalogue_rows(django_db_setup, django_db_blocker) -> dict[str, tuple[list[str], list]]:
    """The rows of the catalogue, guides and decision tree, read once per session."""
    from codes.models import StatusCode

    with django_db_blocker.unblock():
        if not StatusCode.objects.exists():
            call_command("loaddata", "catalogue", "guides", "choosing", verbosity=0)
        rows = {}
        with connection.cursor() as cursor:
            for table in (model._meta.db_table for model in _content_models()):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                rows[table] = ([col[0] for col in cursor.description], cursor.fetchall())
    return rows


@pytest.fixture(autouse=True)
def _catalogue(live_server, _catalogue_rows):
    """The content, visible to the live server.

    live_server makes each test transactional: the database is emptied after every
    test, so the rows loaded once per session (tests/conftest.py) are gone from the
    second browser test on. Putting the rows back with plain INSERTs takes a few
    milliseconds where loaddata takes most of a second; the search index is rebuilt
    anyway, as every test starts with an empty cache.
    """
    from codes.models import StatusCode

    if StatusCode.objects.exists():
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, values) in _catalogue_rows.items():
            if values:
                names = ", ".join(quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
        # PostgreSQL: move the id sequences past the restored rows.
        for sql in connection.ops.sequence_reset_sql(no_style(), _content_models()):
            cursor.execute(sql)


@pytest.fixture
def page(page):
    """Fail soon: a journey that waits is a journey that broke. Navigation gets longer,
    as the first request after each test's content reload builds the catalogue again,
    and on a loaded 2-core CI machine that once took over 5 s on PostgreSQL."""
    page.set_default_timeout(5_000)
    page.set_default_navigation_timeout(15_000)
    return page


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Screenshots for people to look at; test-artifacts/ is ignored by git."""
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
