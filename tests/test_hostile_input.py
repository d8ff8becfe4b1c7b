"""No input answers 500: every path parameter and query parameter, on SQLite and PostgreSQL.

The URLs come from the URLconf and the parameter names from the code, so a new
route or a new ``request.GET`` read is covered without editing this module. CI
runs it on PostgreSQL too, which refuses NUL in text: that is where a NUL in
``/api/guides/%00/``, ``/accounts/sheet/%00/`` or ``?vendor=%00`` answered 500.
"""

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codes.models import StatusCode

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PARAMETER = object()  # where the value under test goes in a path
# A value that each parameter's own pattern accepts, for the parameters not under test.
PLAIN_VALUES = ["404", "code", "json", "xx", "4", "1", "x"]


def _pieces(route: str, regex: bool) -> list:
    """A route as text and PARAMETER markers, one per converter or regex group."""
    if not regex:
        parts = re.split(r"<(?:\w+:)?\w+>", route)
        converters = re.findall(r"<(?:(\w+):)?\w+>", route)
        pieces = [parts[0]]
        for converter, text in zip(converters, parts[1:], strict=True):
            pieces += [(PARAMETER, converter or "str"), text]
        return pieces
    route = route.lstrip("^").rstrip("$").replace("/?", "/").replace("\\.", ".")
    pieces, depth, start, text = [], 0, 0, ""
    for index, char in enumerate(route):
        if char == "(":
            if depth == 0:
                pieces.append(text)
                start, text = index, ""
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                group = re.sub(r"^\(\?P<\w+>|^\(", "", route[start:index])
                pieces.append((PARAMETER, group))
        elif depth == 0:
            text += char
    pieces.append(text)
    return pieces


def _plain(kind: str) -> str:
    if kind in ("int", "str", "slug", "path"):
        return "1"
    return next(value for value in PLAIN_VALUES if re.fullmatch(kind, value))


def _routes(patterns=None, prefix=()) -> list[tuple[str, list]]:
    """Every URL pattern of the site as (name, pieces), includes followed."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = not hasattr(pattern.pattern, "_route")
        pieces = _pieces(str(pattern.pattern), regex)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, (*prefix, *pieces))
        elif isinstance(pattern, URLPattern):
            routes.append((pattern.name or str(pattern.pattern), [*prefix, *pieces]))
    return routes


def _paths(value: str) -> list[str]:
    """One path per parameter of every route, with ``value`` in that parameter."""
    paths = []
    for _, pieces in ROUTES:
        slots = [i for i, piece in enumerate(pieces) if isinstance(piece, tuple)]
        for slot in slots:
            text = "".join(
                quote(value, safe="")
                if i == slot
                else (_plain(piece[1]) if isinstance(piece, tuple) else piece)
                for i, piece in enumerate(pieces)
            )
            paths.append("/" + text.lstrip("/"))
    return paths


def _query_names() -> list[str]:
    """Every query parameter the code reads: request.GET, forms bound to it, the API
    schema and the admin's changelist filters."""
    from refsite.core.api import api

    names = {"q", "o", "p", "e", "all", "_popup", "_to_field", "next", "page"}
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"GET\.get(?:list)?\(\s*[\"'](\w+)[\"']", source))
        for form in re.findall(r"(\w+Form)\(request\.GET", source):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            namespace = __import__(module, fromlist=[form])
            names |= set(getattr(namespace, form).base_fields)
    schema = api.get_openapi_schema()
    for operations in schema["paths"].values():
        for operation in operations.values():
            names |= {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    for model_admin in admin.site._registry.values():
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                names |= {entry, f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"}
            elif hasattr(entry, "parameter_name"):
                names.add(entry.parameter_name)
    return sorted(names)


ROUTES = _routes()
QUERY_NAMES = _query_names()
NUL = "\x00"


def test_every_route_and_parameter_is_covered():
    """The lists are built, not typed: they hold the routes and names that broke."""
    paths = _paths(NUL)
    assert "/api/guides/%00/" in paths and "/accounts/sheet/%00/" in paths
    assert "/status/%00/" in paths and "/guides/tags/%00/" in paths
    assert {"vendor", "q", "sleep", "header", "status"} <= set(QUERY_NAMES)
    assert len(paths) > 60


@pytest.mark.parametrize("path", _paths(NUL))
def test_nul_in_any_path_parameter_is_a_400(staff_client, path):
    staff_client.raise_request_exception = False
    response = staff_client.get(path)
    assert response.status_code == 400, (path, response.status_code)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_nul_in_any_query_parameter_is_a_400(staff_client, name):
    staff_client.raise_request_exception = False
    for path in ("/", "/api/codes/", "/status/200/", "/admin/codes/statuscode/"):
        response = staff_client.get(f"{path}?{urlencode({name: NUL})}")
        assert response.status_code == 400, (path, name, response.status_code)
    # ...and in a parameter's name.
    assert staff_client.get(f"/?{quote(name + NUL)}=1").status_code == 400


@pytest.mark.parametrize(
    ("path", "problem"),
    [("/api/guides/%00/", True), ("/accounts/sheet/%00/", False), ("/?q=a%00", False)],
)
def test_the_400_says_why_in_the_right_format(client, path, problem):
    response = client.get(path)
    assert response.status_code == 400
    if problem:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 400
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"NUL" in response.content


def test_admin_filter_with_nul_is_a_400(staff_client):
    staff_client.raise_request_exception = False
    for query in ("vendor=%00", "status=%00", "q=%00", "class=4%00"):
        response = staff_client.get(f"/admin/codes/statuscode/?{query}")
        assert response.status_code == 400, (query, response.status_code)
    assert staff_client.get("/admin/codes/statuscode/?vendor=nginx").status_code == 200


def test_a_cookie_with_nul_is_ignored(client, make_user):
    """A session cookie is looked up in the database: one with NUL is treated as absent."""
    client.raise_request_exception = False
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get("/accounts/")
    assert response.status_code == 302  # to sign in, as with no cookie at all
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(make_user())
    signed_in.cookies["csrftoken"] = "x\x00"
    assert signed_in.get("/accounts/").status_code == 200  # the good session still counts


@pytest.mark.parametrize(
    "path",
    ["/status/200/?sleep=%C2%B2", "/status/200/?header=lin%E2%84%AA:x", "/status/%C2%B2/"],
)
def test_unicode_digits_and_names_are_a_400(client, path):
    client.raise_request_exception = False
    assert client.get(path).status_code == 400


NASTY = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["\x00", "\u00b2", "\u212a", "\ufeff", "..", "%", "9" * 30, "-1", " "]),
    st.from_regex(r"[0-9]{7,25}", fullmatch=True),
)


@pytest.mark.slow  # several hundred requests through every route
@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(ROUTES),
    values=st.lists(NASTY, min_size=3, max_size=3),
    query=st.dictionaries(
        st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=10)), NASTY, max_size=3
    ),
    signed_in=st.booleans(),
)
def test_no_input_answers_5xx(staff_client, route, values, query, signed_in):
    _, pieces = route
    given_values = iter(values * 3)
    path = "/" + "".join(
        quote(next(given_values), safe="") if isinstance(piece, tuple) else piece
        for piece in pieces
    ).lstrip("/")
    web = staff_client if signed_in else Client()
    web.raise_request_exception = False
    response = web.get(f"{path}?{urlencode(query)}" if query else path)
    assert response.status_code < 500, (path, query, response.status_code)


@pytest.mark.parametrize("version", [":", "x", "\u00b2", "1.5"])
def test_a_history_version_that_is_no_number_is_a_404(staff_client, version):
    """django-simple-history passed it to the lookup: ValueError, 500."""
    staff_client.raise_request_exception = False
    pk = StatusCode.objects.get(code=404).pk
    assert (
        staff_client.get(f"/admin/codes/statuscode/{pk}/history/{quote(version)}/").status_code
        == 404
    )
    for path in ("x/history/1/", "x/history/", "%3A/history/"):
        assert staff_client.get(f"/admin/codes/statuscode/{path}").status_code == 404
