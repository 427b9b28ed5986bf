import pytest
from django.test import RequestFactory

from bookwise.core.errors import Conflict, Forbidden, NotFound
from bookwise.core.middleware import ApplicationErrorMiddleware
from tests import factories as f

pytestmark = pytest.mark.django_db


def _through_middleware(error):
    from django.core.handlers.exception import convert_exception_to_response

    def view(request):
        middleware = ApplicationErrorMiddleware(lambda r: None)
        try:
            raise error
        except Exception as exc:  # what Django's handler does with a view's exception
            return middleware.process_exception(request, exc)

    request = RequestFactory().get("/somewhere/")
    request.user = f.admin_user()
    return convert_exception_to_response(view)(request)


@pytest.mark.parametrize("error, status", [(NotFound("No such account."), 404), (Forbidden("No."), 403)])
def test_not_found_and_forbidden_become_django_error_pages(error, status):
    assert _through_middleware(error).status_code == status


def test_other_application_errors_show_their_message_and_status():
    response = _through_middleware(Conflict("Somebody else completed it first.", {"field": "state"}))
    assert response.status_code == 409
    assert "Somebody else completed it first." in response.content.decode()


def test_a_refusal_says_why_in_the_sites_own_page():
    answer = _through_middleware(Forbidden("Only directors and administrators approve runs."))
    page = answer.content.decode()
    assert answer.status_code == 403
    assert "You may not do this" in page and "Only directors and administrators approve runs." in page
    assert 'href="/accounts/"' in page  # the navigation: a way on, not a dead end


def test_something_not_found_is_named_in_the_sites_own_page():
    answer = _through_middleware(NotFound("No account AC-9999 in your book."))
    page = answer.content.decode()
    assert answer.status_code == 404
    assert "Not found" in page and "No account AC-9999 in your book." in page and 'href="/accounts/"' in page


def test_an_address_that_is_no_page_says_so(client):
    client.force_login(f.admin_user())
    answer = client.get("/no/such/page/")
    assert answer.status_code == 404
    assert "There is no page at /no/such/page/, or nothing there you may see." in answer.content.decode()
