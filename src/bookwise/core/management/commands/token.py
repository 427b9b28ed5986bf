from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bookwise.core.errors import ApplicationError
from bookwise.core.services import api_token_create


class Command(BaseCommand):
    help = (
        "Make an API token for a user (send it as `Authorization: Token <key>`). It works for "
        "--days days (BOOKWISE_API_TOKEN_DAYS, 90, by default); --rotate ends the user's other tokens now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="")
        parser.add_argument("--days", type=int, default=None, help="how many days the token works (1 to 366)")
        parser.add_argument("--rotate", action="store_true", help="the user's other tokens stop working now")

    def handle(
        self, *args: Any, username: str, label: str, days: int | None, rotate: bool, **options: Any
    ) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user called {username!r}") from None
        try:
            key = api_token_create(user=user, label=label, days=days, rotate=rotate)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(key)
