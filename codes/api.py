"""The read-only JSON API for status codes: ``/api/codes/`` and ``/api/codes/<code>/``.

Field names here are a public contract; add fields, never rename them. The
OpenAPI schema at ``/api/openapi.json`` is generated from these classes.
The same record also answers ``Accept: application/json`` on a code page.
"""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from codes.catalogue import get_catalogue
from codes.models import StatusCode
from codes.search import MAX_QUERY_LENGTH
from refsite.core.http_cache import declare_params, not_worth_storing
from refsite.core.validators import NO_CONTROL_CHARACTERS

router = Router(tags=["codes"])


class HeaderOut(Schema):
    name: str
    requirement: Literal["required", "recommended", "optional"]
    note: str


class ConstantOut(Schema):
    ecosystem: str = Field(description="Short ecosystem id, e.g. 'go' or 'python'.")
    library: str = Field(description="The library or table the name comes from.")
    name: str
    primary: bool
    deprecated: bool


class FAQOut(Schema):
    question: str
    answer: str = Field(description="Markdown.")


class AliasOut(Schema):
    phrase: str
    until: str = Field(
        description="When the name stopped being used, '2022' or '2022-06-08'; empty: a nickname."
    )
    reference: str = Field(
        description="The document that dropped it, e.g. 'RFC 9110'; may be empty."
    )


class SpecOut(Schema):
    document: str
    section: str
    title: str
    url: str


class MeaningOut(Schema):
    code: int
    slug: str = Field(description="Empty for the registered meaning; a vendor slug otherwise.")
    phrase: str
    status_class: str = Field(description="'1xx' to '5xx', or 'nonstandard'.")
    class_name: str
    status: Literal["registered", "temporary", "unused", "obsolete", "unofficial"]
    vendor: str
    vendor_note: str
    also_known_as: list[str]
    also_known_as_details: list[AliasOut] = Field(
        description="The same names with when and by which document a former phrase was dropped."
    )
    explained: bool = Field(
        description="False for a code with registry facts only: no summary or prose yet."
    )
    summary: str = Field(description="Empty when the code is not yet explained.")
    description: str = Field(description="Markdown.")
    when_to_use: str = Field(description="Markdown.")
    when_not_to_use: str = Field(description="Markdown.")
    causes: str = Field(description="Markdown.")
    fixes: str = Field(description="Markdown.")
    headers: list[HeaderOut]
    spec: SpecOut | None
    registry_description: str
    registry_reference: str
    heuristically_cacheable: bool
    constants: list[ConstantOut]
    faqs: list[FAQOut]
    related: list[int]
    url: str = Field(description="The HTML permalink.")
    updated_at: datetime


class CodeOut(MeaningOut):
    other_meanings: list[MeaningOut] = Field(
        description="Other meanings of the same number (vendor codes), the registered one first."
    )


class CodeSummaryOut(Schema):
    code: int
    slug: str
    phrase: str
    status_class: str
    status: str
    vendor: str
    explained: bool
    summary: str
    url: str
    api_url: str


class CodeListOut(Schema):
    count: int
    results: list[CodeSummaryOut]


class CodeFilters(Schema):
    status_class: Literal["1", "2", "3", "4", "5", "1xx", "2xx", "3xx", "4xx", "5xx"] | None = (
        Field(None, alias="class", description="Only this class: 4 or 4xx.")
    )
    status: Literal["registered", "temporary", "unused", "obsolete", "unofficial"] | None = Field(
        None, description="Only codes with this registry status."
    )
    vendor: str | None = Field(None, max_length=80, description="Exact vendor name, e.g. nginx.")
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_CONTROL_CHARACTERS,
        description="Search, ranked like the site's search box; no control characters.",
    )


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def meaning_record(row: StatusCode, request=None) -> dict:
    page = reverse("codes:detail", kwargs={"code": row.code})
    spec = None
    if row.spec_document:
        spec = {
            "document": row.spec_document,
            "section": row.spec_section,
            "title": row.spec_title,
            "url": row.spec_url,
        }
    return {
        "code": row.code,
        "slug": row.slug,
        "phrase": row.phrase,
        "status_class": row.class_label,
        "class_name": row.class_name,
        "status": row.status,
        "vendor": row.vendor,
        "vendor_note": row.vendor_note,
        "also_known_as": row.also_known_as_list(),
        "also_known_as_details": [alias._asdict() for alias in row.aliases],
        "explained": row.explained,
        "summary": row.summary,
        "description": row.description,
        "when_to_use": row.when_to_use,
        "when_not_to_use": row.when_not_to_use,
        "causes": row.causes,
        "fixes": row.fixes,
        "headers": [
            {"name": h.name, "requirement": h.requirement, "note": h.note}
            for h in row.headers.all()
        ],
        "spec": spec,
        "registry_description": row.registry_description,
        "registry_reference": row.registry_reference,
        "heuristically_cacheable": row.heuristically_cacheable,
        "constants": [
            {
                "ecosystem": c.ecosystem,
                "library": c.get_ecosystem_display(),
                "name": c.name,
                "primary": c.primary,
                "deprecated": c.deprecated,
            }
            for c in row.constants.all()
        ],
        "faqs": [{"question": f.question, "answer": f.answer} for f in row.faqs.all()],
        "related": sorted({r.code for r in row.related.all()}),
        "url": _absolute(request, page + (f"#{row.slug}" if row.slug else "")),
        "updated_at": row.updated_at,
    }


def code_record(number: int, request=None) -> dict:
    """Everything about one number: its first meaning, and the others below it."""
    meanings = get_catalogue().meanings(number)
    if not meanings:
        raise Http404(f"No status code {number} is known here.")
    record = meaning_record(meanings[0], request)
    record["other_meanings"] = [meaning_record(m, request) for m in meanings[1:]]
    return record


@router.get("/codes/", response=CodeListOut, url_name="codes", summary="List and search codes")
def list_codes(request, filters: Query[CodeFilters]):
    """Every published code, in code order, or ranked by `q` like the site's search."""
    declare_params(request, "class", "status", "vendor", "q")
    search = get_catalogue().search
    docs = search.docs
    if filters.status_class:
        digit = int(filters.status_class[0])
        docs = [d for d in docs if d.row.class_digit == digit]
    if filters.status:
        docs = [d for d in docs if d.row.status == filters.status]
    if filters.vendor:
        docs = [d for d in docs if d.row.vendor.lower() == filters.vendor.lower()]
    if filters.q and filters.q.strip():
        rows = [match.row for match in search.search(filters.q, docs)]
    else:
        rows = [d.row for d in docs]
    results = [
        {
            "code": row.code,
            "slug": row.slug,
            "phrase": row.phrase,
            "status_class": row.class_label,
            "status": row.status,
            "vendor": row.vendor,
            "explained": row.explained,
            "summary": row.summary,
            "url": _absolute(request, row.get_absolute_url()),
            "api_url": _absolute(request, reverse("api:code", kwargs={"code": row.code})),
        }
        for row in rows
    ]
    if not results:
        not_worth_storing(request)
    return {"count": len(results), "results": results}


@router.get("/codes/{code}/", response=CodeOut, url_name="code", summary="One code")
def get_code(request, code: int):
    """Every field of a code, its FAQs, constants and spec link, and its other meanings."""
    return code_record(code, request)
