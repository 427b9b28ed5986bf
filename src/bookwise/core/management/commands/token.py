from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bookwise.core.services import api_token_create


class Command(BaseCommand):
    help = "Make an API token for a user (send it as `Authorization: Token <key>`)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="")

    def handle(self, *args, username, label, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user called {username!r}") from None
        self.stdout.write(api_token_create(user=user, label=label))
