"""Every model of the project has an admin page an administrator can open; others cannot."""

import pytest
from django.apps import apps
from django.contrib import admin

from tests import factories as f

pytestmark = pytest.mark.django_db


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("bookwise.")]


def test_every_model_is_in_the_admin():
    import bookwise.config.urls  # noqa: F401 - the admin modules load with the URLs (SimpleAdminConfig)

    missing = [m.__name__ for m in _project_models() if m not in admin.site._registry]
    assert missing == []


def test_admin_changelists_open_for_an_admin_and_not_for_a_rep(org, login):
    admin_client = login(f.admin_user())
    for model in _project_models():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200, url
    assert login(org["R1"]).get("/admin/accounts/account/").status_code == 302  # to the admin login
