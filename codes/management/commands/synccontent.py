"""Bring the shipped content into the database without losing an editor's word.

It replaces ``loaddata`` in ``make run`` and in the deploy steps. On an empty
database it loads everything; on a populated one it adds new rows and applies a
shipped change to a field only where no editor changed that field since the
last sync (``refsite/core/content_sync.py`` says how). It reads the fixtures
that ``buildfixtures`` builds from the content files, not the files themselves:
the content files stay the one source and the fixtures their checked build
(``make test`` fails on a stale one), and a production install, which has no
PyYAML, syncs exactly what was reviewed and committed.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from codes.management.commands.buildfixtures import CHOOSING_FIXTURE, FIXTURE, GUIDE_FIXTURE
from refsite.core.content_sync import ContentError, read_fixture, sync

SHIPPED = (FIXTURE, GUIDE_FIXTURE, CHOOSING_FIXTURE)


class Command(BaseCommand):
    help = "Sync the shipped content (codes/fixtures, guides/fixtures) into the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures", nargs="*", help="Fixture files, in load order (default: the shipped ones)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the plan and change nothing."
        )

    def handle(self, *args, fixtures=(), dry_run=False, verbosity=1, **options):
        records = []
        try:
            for name in fixtures or SHIPPED:
                path = Path(name)
                try:
                    records.extend(read_fixture(path))
                except OSError as error:
                    raise ContentError(f"{path}: {error.strerror}") from error
            plan = sync(records, dry_run=dry_run)
        except (ContentError, LookupError) as error:
            raise CommandError(f"nothing was changed:\n{error}") from error
        if verbosity:
            for line in plan.report(verbosity):
                self.stdout.write(line)
            prefix = "Dry run, nothing changed: would sync" if dry_run else "Synced"
            self.stdout.write(f"{prefix} {len(records)} shipped rows: {plan.summary()}.")
