"""Make a user an editor (staff, in the Editors group), or take it back with --remove."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from refsite.accounts.models import EDITORS_GROUP


class Command(BaseCommand):
    help = "Give a user the Editors role (admin access to content, no deletes of codes)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--remove", action="store_true", help="Take the role away.")

    def handle(self, *args, username, remove=False, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        group = Group.objects.get(name=EDITORS_GROUP)
        if remove:
            user.groups.remove(group)
            if not user.is_superuser:
                user.is_staff = False
            user.save(update_fields=["is_staff"])
            self.stdout.write(self.style.SUCCESS(f"{username} is no longer an editor."))
            return
        user.groups.add(group)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{username} is now an editor."))
