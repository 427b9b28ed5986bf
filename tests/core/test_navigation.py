import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_everyone_signed_in_sees_the_main_sections_and_only_admins_see_import(org, login):
    rep_page = login(org["R1"]).get("/").content.decode()
    for section in (
        "/accounts/",
        "/reps/",
        "/retention/",
        "/transfers/",
        "/plans/",
        "/commissions/",
        "/team/",
    ):
        assert f'href="{section}"' in rep_page
    assert 'href="/imports/"' not in rep_page
    assert 'href="/imports/"' in login(f.admin_user()).get("/").content.decode()


def test_signed_out_visitors_get_the_login_page_without_navigation(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert 'href="/accounts/"' not in response.content.decode()
