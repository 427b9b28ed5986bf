import pytest

from tests import factories
from tests.web import book as book_module


@pytest.fixture
def book(org):
    return book_module.build(org)


@pytest.fixture
def admin(db):
    return factories.admin_user()


@pytest.fixture
def nobody(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="nobody", password=factories.PASSWORD)
