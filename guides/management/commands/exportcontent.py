"""Write the database's content back into the content files, for review and commit.

The round trip of an editor's work: edit in the admin, ``exportcontent``, review
``git diff``, commit, ``buildfixtures``. It writes what ``buildfixtures`` reads:
the words of every code (``codes/content/*.yaml``: summary, also known as,
keywords, the Markdown fields, headers, related, FAQs, ``published: false`` for an
unpublished code or FAQ), the decision tree and the comparisons
(``codes/content/choosing/``) and every guide (``guides/content/*.md``: front
matter and body). The facts in ``codes/data/*.csv`` are not written.

Files are spliced, never re-dumped (``codes/content_export.py``): a piece whose
value is unchanged keeps its bytes, comments and layout; a changed field, FAQ,
answer or guide body is written anew in the files' own layout, in place. So on an
unchanged database no file changes, and one edit changes only its own lines.
Entries keep the files' order; FAQs and answers follow their order in the
database, a new one with its slug. A code's entry or a guide in a file but not in
the database is kept and reported; a code in no file is reported (its facts go in
``codes/data/`` first); a guide added in the admin gets a new ``<slug>.md``.
Details: docs/content-format.md.
"""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from codes.content_export import ExportError, export_choosing, export_codes
from codes.management.commands.buildfixtures import APP_DIR, read_yaml
from guides.content_export import export_guides

ROOT = APP_DIR.parent
PARTS = (Path("codes/content"), Path("guides/content"))


class Command(BaseCommand):
    help = "Write the database's codes and guides back into codes/content/ and guides/content/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=ROOT,
            help="A folder holding codes/content/ and guides/content/ (default: this "
            "repository); the repository's files are copied there first if it has none.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say which files would change; write none."
        )

    def handle(self, *args, output=ROOT, dry_run=False, verbosity=1, **options):
        output = Path(output)
        for part in PARTS:
            if not (output / part).is_dir():
                shutil.copytree(ROOT / part, output / part)
        try:
            written, notes = export_codes(output / PARTS[0], read_yaml)
            choosing, choosing_notes = export_choosing(output / PARTS[0] / "choosing", read_yaml)
            guides, guide_notes = export_guides(output / PARTS[1], read_yaml)
        except ExportError as error:
            raise CommandError(f"nothing was written: {error}") from error
        written.update(choosing)
        notes += choosing_notes
        written.update(guides)
        for path, text in written.items():
            if not dry_run:
                path.write_text(text, encoding="utf-8")
        if verbosity:
            for note in notes + guide_notes:
                self.stdout.write(note)
            verb = "Would write" if dry_run else "Wrote"
            self.stdout.write(f"{verb} {len(written)} changed content files.")
