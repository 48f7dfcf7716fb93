from django.contrib.admin.apps import AdminConfig


class StemwijzerAdminConfig(AdminConfig):
    """The admin, open only to the editors' groups (positions/admin_site.py)."""

    default_site = "positions.admin_site.StemwijzerAdminSite"
