"""Bring the catalogue in line with an IANA registry CSV.

Reads a file in the layout of IANA's ``http-status-codes-1.csv`` (the shipped
``codes/data/iana-http-status-codes.csv`` by default). New values become new
codes, published at once with a plain placeholder summary (a reference that
misses a registered code is worse than one that says "not described yet");
existing ones get their phrase, registry
reference and status updated. Editorial text (summary, description, advice,
FAQs, keywords) is never touched. Running it twice changes nothing the second
time.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from codes import catalogue_data
from codes.models import StatusCode

TRACKED_FIELDS = ("phrase", "registry_description", "registry_reference", "status")


class Command(BaseCommand):
    help = "Import an IANA HTTP status code registry CSV: add new codes, update registry facts."

    def add_arguments(self, parser):
        parser.add_argument(
            "csv",
            nargs="?",
            default=str(catalogue_data.DATA_DIR / "iana-http-status-codes.csv"),
            help="Path to the registry CSV (default: the shipped copy).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change, change nothing."
        )

    def handle(self, *args, csv, dry_run=False, **options):
        path = Path(csv)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            entries = catalogue_data.parse_registry(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from None

        created = updated = 0
        with transaction.atomic():
            for entry in entries:
                wanted = {
                    "phrase": entry.phrase,
                    "registry_description": entry.description,
                    "registry_reference": entry.reference,
                    "status": entry.status,
                }
                code = StatusCode.objects.filter(code=entry.code, slug="").first()
                if code is None:
                    created += 1
                    self.stdout.write(f"+ {entry.code} {entry.description} (new)")
                    if not dry_run:
                        StatusCode.objects.create(
                            code=entry.code,
                            summary=(
                                f"Registered with IANA as {entry.phrase}; "
                                "our editors have not described it yet."
                            ),
                            **wanted,
                        )
                    continue
                changes = {
                    name: value for name, value in wanted.items() if getattr(code, name) != value
                }
                if not changes:
                    continue
                updated += 1
                for name, value in changes.items():
                    self.stdout.write(
                        f"~ {entry.code} {name}: {getattr(code, name)!r} -> {value!r}"
                    )
                    setattr(code, name, value)
                if not dry_run:
                    code.save(update_fields=[*changes, "updated_at"])

            registered = {entry.code for entry in entries}
            for code in StatusCode.objects.registered().exclude(code__in=registered):
                self.stdout.write(
                    self.style.WARNING(
                        f"! {code.code} {code.phrase} is no longer in the registry; "
                        "left as it is for an editor to review"
                    )
                )
            if dry_run:
                transaction.set_rollback(True)

        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {created}, {'would update' if dry_run else 'updated'} {updated}, "
                f"{len(entries) - created - updated} unchanged."
            )
        )
