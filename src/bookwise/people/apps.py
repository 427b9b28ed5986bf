from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bookwise.people"
    label = "people"
    verbose_name = "People"
