"""The fixtures carry every registered and unofficial code, read back from the shipped CSVs."""

import pytest
from django.core.management import call_command

from codes import catalogue_data
from codes.models import FAQ, Constant, Status, StatusCode

pytestmark = pytest.mark.django_db

MOST_MET = [
    100,
    101,
    200,
    201,
    202,
    204,
    206,
    301,
    302,
    303,
    304,
    307,
    308,
    400,
    401,
    403,
    404,
    405,
    409,
    410,
    412,
    413,
    415,
    422,
    429,
    500,
    501,
    502,
    503,
    504,
]


def test_every_registered_value_has_its_exact_registry_entry():
    entries = catalogue_data.registry()
    assert len(entries) == 64
    for entry in entries:
        row = StatusCode.objects.get(code=entry.code, slug="")
        assert row.registry_description == entry.description
        assert row.registry_reference == entry.reference
        assert row.published


def test_phrases_are_the_registered_ones_without_annotations():
    assert StatusCode.objects.get(code=404, slug="").phrase == "Not Found"
    assert StatusCode.objects.get(code=422, slug="").phrase == "Unprocessable Content"
    assert StatusCode.objects.get(code=413, slug="").phrase == "Content Too Large"
    assert StatusCode.objects.get(code=104, slug="").phrase == "Upload Resumption Supported"
    assert StatusCode.objects.get(code=510, slug="").phrase == "Not Extended"
    assert StatusCode.objects.get(code=306, slug="").phrase == "(Unused)"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (104, Status.TEMPORARY),
        (306, Status.UNUSED),
        (418, Status.UNUSED),
        (510, Status.OBSOLETE),
        (200, Status.REGISTERED),
    ],
)
def test_registry_statuses(code, status):
    assert StatusCode.objects.get(code=code, slug="").status == status


def test_teapot_story_is_there_but_marked_unregistered():
    teapot = StatusCode.objects.get(code=418, slug="")
    assert "I'm a teapot" in teapot.also_known_as_list()
    assert "2324" in teapot.description
    assert teapot.status == Status.UNUSED


def test_every_unofficial_row_is_present_with_its_vendor():
    rows = catalogue_data.read_csv("unofficial-http-status-codes.csv")
    assert len(rows) == 43
    for row in rows:
        match = StatusCode.objects.unofficial().filter(
            code=int(row["value"]), vendor=row["vendor"], phrase=row["phrase"]
        )
        assert match.count() == 1, row
    assert StatusCode.objects.unofficial().count() == len(rows)


def test_one_number_can_carry_several_vendor_meanings():
    vendors = set(StatusCode.objects.filter(code=499).values_list("vendor", flat=True))
    assert vendors == {"nginx", "Esri ArcGIS Server"}


def test_spec_sections_and_cacheability_come_from_the_csv():
    for value, spec in catalogue_data.spec_sections().items():
        row = StatusCode.objects.get(code=value, slug="")
        assert row.spec_document == spec["rfc"]
        assert row.spec_section == spec["section"]
        assert row.heuristically_cacheable == (spec["heuristically_cacheable"] == "yes")
        assert row.spec_url.endswith(f"#section-{spec['section']}")
    assert (
        StatusCode.objects.get(code=404, slug="").spec_url
        == "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5"
    )


def test_constants_of_every_ecosystem_are_loaded():
    primary = catalogue_data.read_csv("language-constants.csv")
    columns = {
        "python_httpstatus": "python",
        "go_net_http": "go",
        "node_http_status_codes_phrase": "node",
        "java_httpurlconnection": "java",
        "dotnet_httpstatuscode": "dotnet",
        "rust_http_statuscode": "rust",
        "rails_symbol": "rails",
        "spring_httpstatus": "spring",
        "php_symfony_response": "php_symfony",
    }
    for row in primary:
        for column, ecosystem in columns.items():
            if row[column]:
                assert Constant.objects.filter(
                    status_code__code=int(row["value"]),
                    status_code__slug="",
                    ecosystem=ecosystem,
                    name=row[column],
                ).exists(), (row["value"], column)
    assert Constant.objects.filter(name="StatusTooManyRequests", status_code__code=429).exists()


def test_every_code_has_an_original_summary_and_description():
    for row in StatusCode.objects.all():
        assert row.summary and len(row.summary) <= 200, row
        assert row.description, row


@pytest.mark.parametrize("code", MOST_MET)
def test_the_codes_met_most_are_fully_written(code):
    row = StatusCode.objects.get(code=code, slug="")
    for field in ("when_to_use", "when_not_to_use", "causes", "fixes", "keywords"):
        assert getattr(row, field).strip(), (code, field)
    assert row.related.count() >= 2
    assert FAQ.objects.filter(status_code=row).count() >= 2


@pytest.mark.parametrize(
    ("code", "header"),
    [
        (405, "Allow"),
        (401, "WWW-Authenticate"),
        (201, "Location"),
        (429, "Retry-After"),
        (503, "Retry-After"),
        (206, "Content-Range"),
        (301, "Location"),
    ],
)
def test_the_headers_that_go_with_a_code(code, header):
    assert StatusCode.objects.get(code=code, slug="").headers.filter(name=header).exists()


def test_loading_twice_changes_nothing():
    before = (StatusCode.objects.count(), FAQ.objects.count(), Constant.objects.count())
    call_command("loaddata", "catalogue", verbosity=0)
    after = (StatusCode.objects.count(), FAQ.objects.count(), Constant.objects.count())
    assert before == after


def test_committed_fixture_matches_the_sources():
    call_command("buildfixtures", "--check", verbosity=0)
