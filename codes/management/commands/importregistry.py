"""Bring the catalogue in line with an IANA registry CSV, keeping its history.

Reads a file in the layout of IANA's ``http-status-codes-1.csv`` (the shipped
``codes/data/iana-http-status-codes.csv`` by default). Existing codes get their
phrase, registry reference and status updated; a renamed phrase is kept in
"also known as" with the date (``--as-of``, the registry's "Last Updated") and
the reference that renamed it. New values become new codes with their
registered facts and no prose: their pages say "not yet explained" until an
editor writes the explanation. Editorial text (summary, description, advice,
FAQs, keywords) is never touched. Every change is a history record with the
reason "IANA import"; running it twice changes nothing the second time.
"""

import datetime
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from codes import catalogue_data
from codes.models import StatusCode

TRACKED_FIELDS = ("phrase", "registry_description", "registry_reference", "status")
CHANGE_REASON = "IANA import"

_RFC = re.compile(r"^RFC\s*(\d+)$", re.IGNORECASE)


def short_reference(cell: str) -> str:
    """The first document a Reference cell names: "[RFC9110, Section 15.5.14]" -> "RFC 9110"."""
    first = cell.strip().strip("[]").split("]")[0].split(",")[0].strip()
    match = _RFC.match(first)
    return f"RFC {match.group(1)}" if match else first


def renamed(aliases: list, old: str, new: str, *, until: str, reference: str) -> list:
    """The aliases after a rename: the old phrase first, dated; the new one no alias."""
    dropped = {old.casefold(), new.casefold()}
    kept = [entry for entry in aliases if entry.get("phrase", "").casefold() not in dropped]
    former = {"phrase": old, "until": until, "reference": reference}
    return [{key: value for key, value in former.items() if value}, *kept]


def _date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise CommandError(f"--as-of {value!r}: expected a date such as 2025-09-15") from None


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
            "--as-of",
            type=_date,
            help=(
                "The registry's 'Last Updated' date, recorded with a renamed phrase "
                "(default: today)."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change, change nothing."
        )

    def handle(self, *args, csv, as_of=None, dry_run=False, **options):
        path = Path(csv)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            entries = catalogue_data.parse_registry(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from None
        as_of = as_of or timezone.localdate().isoformat()

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
                    self.stdout.write(
                        f"+ {entry.code} {entry.description} (new, not yet explained)"
                    )
                    # The registered facts only: the page says it is not explained yet.
                    code = StatusCode(code=entry.code, **wanted)
                    code._change_reason = CHANGE_REASON
                    if not dry_run:
                        code.save()
                    continue
                changes = {
                    name: value for name, value in wanted.items() if getattr(code, name) != value
                }
                if not changes:
                    continue
                updated += 1
                if "phrase" in changes and code.phrase:
                    reference = short_reference(entry.reference)
                    changes["also_known_as"] = renamed(
                        code.also_known_as,
                        code.phrase,
                        entry.phrase,
                        until=as_of,
                        reference=reference,
                    )
                for name, value in changes.items():
                    if name == "also_known_as":
                        self.stdout.write(
                            f"~ {entry.code} also known as: {code.phrase!r} until {as_of}"
                            + (f" ({reference})" if reference else "")
                        )
                    else:
                        self.stdout.write(
                            f"~ {entry.code} {name}: {getattr(code, name)!r} -> {value!r}"
                        )
                for name, value in changes.items():
                    setattr(code, name, value)
                code._change_reason = CHANGE_REASON
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
