from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "stemwijzer.classroom"
    label = "classroom"
    verbose_name = "Klassessies"
