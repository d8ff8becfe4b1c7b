"""Print how well search ranks a table of real queries: top-1 and top-3 accuracy.

The default table is ``tests/search_relevance.csv`` (query, expected_first,
kind); the test suite asserts that every expected code comes first.
"""

import csv
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from codes.catalogue import get_catalogue


class Command(BaseCommand):
    help = "Report top-1 and top-3 accuracy of search over a relevance table."

    def add_arguments(self, parser):
        parser.add_argument(
            "table",
            nargs="?",
            default=str(Path(settings.BASE_DIR) / "tests" / "search_relevance.csv"),
        )
        parser.add_argument("--misses", action="store_true", help="List the queries that miss.")

    def handle(self, *args, table, misses=False, **options):
        path = Path(table)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        index = get_catalogue().search
        by_kind = defaultdict(lambda: [0, 0, 0])
        top1 = top3 = 0
        for row in rows:
            expected = int(row["expected_first"])
            found = [match.row.code for match in index.search(row["query"])[:3]]
            first = bool(found) and found[0] == expected
            within = expected in found
            top1 += first
            top3 += within
            stats = by_kind[row.get("kind") or "-"]
            stats[0] += 1
            stats[1] += first
            stats[2] += within
            if misses and not first:
                self.stdout.write(f"miss: {row['query']!r} expected {expected}, got {found}")
        total = len(rows)
        self.stdout.write(f"{'kind':<20} {'queries':>7} {'top-1':>7} {'top-3':>7}")
        for kind, (count, one, three) in sorted(by_kind.items()):
            self.stdout.write(f"{kind:<20} {count:>7} {one / count:>7.1%} {three / count:>7.1%}")
        self.stdout.write(f"{'all':<20} {total:>7} {top1 / total:>7.1%} {top3 / total:>7.1%}")
