"""The relevance set: for each real query, the code a developer needs comes first."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from codes.catalogue import get_catalogue

TABLE = Path(__file__).with_name("search_relevance.csv")
SHARED_STARTING_SET = TABLE.with_name("search_queries_shared.csv")


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows(TABLE)


def test_the_table_is_big_and_includes_the_shared_starting_set():
    assert len(ROWS) >= 80
    ours = {(row["query"], row["expected_first"]) for row in ROWS}
    for row in _rows(SHARED_STARTING_SET):
        assert (row["query"], row["expected_first"]) in ours


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row["query"] for row in ROWS])
def test_expected_code_comes_first(row):
    results = get_catalogue().search.search(row["query"])
    assert results, f"nothing found for {row['query']!r}"
    assert results[0].row.code == int(row["expected_first"]), [
        (m.row.code, m.source) for m in results[:3]
    ]


@pytest.mark.django_db
def test_report_command_prints_accuracy():
    out = StringIO()
    call_command("searchreport", stdout=out)
    last = out.getvalue().strip().splitlines()[-1].split()
    assert last[0] == "all" and int(last[1]) == len(ROWS)
    assert last[2] == "100.0%"
