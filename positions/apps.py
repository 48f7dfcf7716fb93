from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "Inhoud: verkiezingen, stellingen en standpunten"

    def ready(self):
        from positions.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
