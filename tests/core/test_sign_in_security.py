"""Sign-in throttling per username and per address, Django's standard password validators
through the password change page every user has, API tokens that expire and rotate, and the
API docs behind sign-in in production."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from bookwise.core.models import ApiToken, AuditEntry, LoginFailure
from bookwise.core.services import api_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed sign-ins"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="ann", password=f.PASSWORD)


def sign_in(username: str, password: str, address: str = "10.0.0.1", client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_after_five_failures_even_the_right_password_is_refused(user, settings):
    for _ in range(5):
        assert sign_in("ann", "wrong").status_code == 200
    answer = sign_in("ann", f.PASSWORD, address="10.9.9.9")  # another address: the account is locked
    assert answer.status_code == 200 and LOCKED in answer.content.decode()
    assert "_auth_user_id" not in answer.client.session


def test_fifty_wrong_passwords_then_the_right_one_is_refused(user):
    for _ in range(50):
        sign_in("ann", "wrong")
    assert LOCKED in sign_in("ann", f.PASSWORD).content.decode()


def test_the_lock_ends_when_the_failures_age_out_and_a_success_clears_them(user, settings):
    for _ in range(5):
        sign_in("ann", "wrong")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=settings.LOGIN_THROTTLE["minutes"] + 1))
    assert sign_in("ann", f.PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="ann").exists()


def test_one_address_trying_many_usernames_is_locked_out(user, settings):
    settings.LOGIN_THROTTLE = {"account": 5, "address": 8, "minutes": 15}
    for i in range(8):
        sign_in(f"guess{i}", "wrong", address="10.6.6.6")
    assert LOCKED in sign_in("ann", f.PASSWORD, address="10.6.6.6").content.decode()
    assert sign_in("ann", f.PASSWORD, address="10.0.0.2").status_code == 302  # ann herself is not locked


def test_an_unknown_username_is_locked_the_same_way(db):
    answers = [sign_in("nobody-here", "wrong").content.decode() for _ in range(6)]
    assert LOCKED not in answers[4] and LOCKED in answers[5]


def test_the_admin_sign_in_is_throttled_too(db):
    f.admin_user()
    for _ in range(5):
        Client().post("/admin/login/", {"username": "admin", "password": "wrong"})
    client = Client()
    client.post("/admin/login/", {"username": "admin", "password": f.PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_user_changes_their_password_from_the_link_in_the_top_bar(user):
    client = Client()
    client.force_login(user)
    assert b'href="/password/"' in client.get("/password/").content
    new = "Plum-Orchard-71"
    form = {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/password/", form).url == "/password/done/"
    user.refresh_from_db()
    assert user.check_password("Plum-Orchard-71")


@pytest.mark.parametrize(
    "new, says",
    [
        ("password123", "too common"),
        ("83920174628", "entirely numeric"),
        ("short", "too short"),
        ("ann@example.com", "too similar"),
    ],
)
def test_the_standard_password_validators_refuse_weak_passwords(user, new, says):
    user.email = "ann@example.com"
    user.save()
    client = Client()
    client.force_login(user)
    form = {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new}
    answer = client.post("/password/", form)
    assert answer.status_code == 200 and says in answer.content.decode()
    user.refresh_from_db()
    assert user.check_password(f.PASSWORD)


def test_the_password_page_needs_sign_in_and_the_old_password(user):
    assert Client().get("/password/").url.startswith("/login/")
    client = Client()
    client.force_login(user)
    form = {"old_password": "wrong", "new_password1": "Plum-Orchard-71", "new_password2": "Plum-Orchard-71"}
    assert "old password was entered incorrectly" in client.post("/password/", form).content.decode()


def _api(key: str) -> int:
    return Client().get("/api/reps", headers={"Authorization": f"Token {key}"}).status_code


def test_an_expired_token_is_a_401(user):
    key = api_token_create(user=user, days=1)
    assert _api(key) == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _api(key) == 401


def test_the_token_command_sets_the_days_and_rotates(user):
    out = StringIO()
    call_command("token", "ann", "--days", "7", stdout=out)
    first = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    out = StringIO()
    call_command("token", "ann", "--rotate", stdout=out)
    second = out.getvalue().strip()
    assert _api(first) == 401 and _api(second) == 200
    entry = AuditEntry.objects.filter(action="api_token.create").first()
    assert entry.data["revoked"] == 1


@pytest.mark.parametrize("days", ["0", "367", "-3"])
def test_the_token_command_refuses_days_out_of_range(user, days):
    with pytest.raises(CommandError, match="Days: a token lives 1 to 366 days"):
        call_command("token", "ann", "--days", days, stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_a_new_token_lives_the_configured_days(user, settings):
    settings.API_TOKEN_DAYS = 30
    api_token_create(user=user)
    left = ApiToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=29) < left <= timedelta(days=30)


def test_the_api_docs_need_sign_in_in_production(user, settings):
    settings.API_DOCS_PUBLIC = False
    anonymous = Client()
    assert anonymous.get("/api/docs").url.startswith("/login/?next=/api/docs")
    answer = anonymous.get("/api/openapi.json")
    assert answer.status_code == 401 and answer.json()["message"] == "Authentication required."
    signed_in = Client()
    signed_in.force_login(user)
    assert signed_in.get("/api/docs").status_code == 200
    assert signed_in.get("/api/openapi.json").json()["info"]["title"] == "Bookwise API"


def test_the_api_docs_are_open_in_development(settings):
    settings.API_DOCS_PUBLIC = True
    assert Client().get("/api/openapi.json").status_code == 200
