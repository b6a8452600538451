from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "broadsheet.submissions"
    label = "submissions"
