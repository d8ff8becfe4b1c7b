"""Check the /choose/ decision tree: no dead ends, no loops, only codes that exist."""

from django.core.management.base import BaseCommand, CommandError

from codes.choosing import check_tree, reachable_codes


class Command(BaseCommand):
    help = "Check that the decision tree has a start, no dead ends, no loops and real codes."

    def handle(self, *args, **options):
        problems = check_tree()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The decision tree has {len(problems)} problem(s).")
        codes = sorted(reachable_codes())
        self.stdout.write(
            self.style.SUCCESS(f"The decision tree is sound; it reaches {len(codes)} codes.")
        )
        self.stdout.write(", ".join(map(str, codes)))
