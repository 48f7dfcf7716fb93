from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "stemwijzer.citizen"
    label = "citizen"
    verbose_name = "Stemhulp voor burgers"
