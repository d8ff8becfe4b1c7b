"""Copyable code that sends a status, in the frameworks developers use most.

Every snippet uses the real constant name from the shipped data (Python's
HTTPStatus, Go's net/http, Spring's HttpStatus, Rack's symbols); where an
ecosystem has no name for the code, the snippet uses the number and says so.
"""

import json
from dataclasses import dataclass

from django.utils.http import http_date


@dataclass(frozen=True)
class Snippet:
    framework: str
    language: str
    code: str


def _primary(constants, ecosystem: str) -> str | None:
    names = [c for c in constants if c.ecosystem == ecosystem]
    for constant in names:
        if constant.primary and not constant.deprecated:
            return constant.name
    for constant in names:
        if constant.primary:
            return constant.name
    return None


def _header_lines(row) -> list[tuple[str, str]]:
    """Example values for the headers that go with a code."""
    examples = {
        "Location": "/orders/42",
        "Retry-After": "120",
        "Allow": "GET, HEAD",
        "WWW-Authenticate": 'Bearer realm="api"',
        "Proxy-Authenticate": 'Basic realm="proxy"',
        "Content-Range": "bytes 0-1023/4096" if row.code == 206 else "bytes */4096",
        "Accept-Ranges": "bytes",
        "ETag": '"v42"',
        "Cache-Control": "no-store" if row.code >= 400 else "max-age=60",
        "Upgrade": "websocket" if row.code == 101 else "HTTP/2",
        "Connection": "Upgrade" if row.code == 101 else "close",
        "Link": "</style.css>; rel=preload; as=style",
        "Vary": "Accept-Encoding",
        "Last-Modified": http_date(1767225600),
        "Expires": http_date(1767229200),
    }
    return [(h.name, examples[h.name]) for h in row.headers.all() if h.name in examples]


def problem_details(row, host: str = "example.com") -> str:
    return json.dumps(
        {
            "type": f"https://{host}/problems/{row.phrase.lower().replace(' ', '-') or row.code}",
            "title": row.phrase or f"Error {row.code}",
            "status": row.code,
            "detail": "Say what went wrong for this request, in words a person can act on.",
            "instance": "/orders/42",
        },
        indent=2,
    )


def raw_response(row) -> str:
    lines = [f"HTTP/1.1 {row.code} {row.phrase}".rstrip()]
    lines += [f"{name}: {value}" for name, value in _header_lines(row)]
    if row.code in (204, 304) or row.code < 200:
        return "\n".join(lines) + "\n"
    if row.class_digit in (4, 5):
        body = problem_details(row)
        lines += [
            "Content-Type: application/problem+json",
            f"Content-Length: {len(body)}",
            "",
            body,
        ]
    else:
        body = '{"id": 42, "status": "ok"}'
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}", "", body]
    return "\n".join(lines) + "\n"


def snippets(row) -> list[Snippet]:
    constants = list(row.constants.all())
    code = row.code
    python = _primary(constants, "python")
    go = _primary(constants, "go")
    spring = _primary(constants, "spring")
    rails = _primary(constants, "rails")
    node = _primary(constants, "node")
    py_status = f"HTTPStatus.{python}" if python else str(code)
    py_note = "" if python else f"  # http.HTTPStatus has no name for {code}"
    no_body = code in (204, 304)
    django_body = "" if no_body else '"...", '
    out = [
        Snippet(
            "Django",
            "python",
            f"from http import HTTPStatus\nfrom django.http import HttpResponse\n\n"
            f"return HttpResponse({django_body}status={py_status}){py_note}",
        ),
        Snippet(
            "Flask",
            "python",
            f"from http import HTTPStatus\n\n"
            f"return {'""' if no_body else '{"detail": "..."}'}, {py_status}{py_note}",
        ),
        Snippet(
            "FastAPI",
            "python",
            f"from http import HTTPStatus\nfrom fastapi import Response\n\n"
            f"return Response(status_code={py_status}){py_note}"
            if code < 400
            else f"from http import HTTPStatus\nfrom fastapi import HTTPException\n\n"
            f'raise HTTPException(status_code={py_status}, detail="..."){py_note}',
        ),
        Snippet(
            "Express",
            "js",
            f"res.status({code}).{'end()' if no_body else 'json({ detail: "..." })'}"
            + (f"; // {node}" if node else "; // no entry in http.STATUS_CODES"),
        ),
        Snippet(
            "Go net/http",
            "go",
            f"w.WriteHeader(http.{go})"
            if go
            else f"w.WriteHeader({code}) // net/http has no constant for {code}",
        ),
        Snippet(
            "Spring",
            "java",
            f"return ResponseEntity.status(HttpStatus.{spring}).build();"
            if spring
            else f"return ResponseEntity.status({code}).build();"
            f" // HttpStatus has no constant for {code}",
        ),
        Snippet(
            "Rails",
            "ruby",
            f"head {rails}" if rails else f"head {code} # Rack has no symbol for {code}",
        ),
    ]
    return out
