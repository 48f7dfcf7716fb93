from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from positions.roles import in_editors_groups


class StemwijzerAdminSite(admin.AdminSite):
    site_header = _("Stemwijzer · redactie")
    site_title = _("Stemwijzer-redactie")
    index_title = _("Redactie en eindredactie")

    def has_permission(self, request):
        return in_editors_groups(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # Staff outside the editors' groups get a plain 403 instead of a login loop.
            user = request.user
            if (
                user.is_authenticated
                and user.is_active
                and user.is_staff
                and not self.has_permission(request)
            ):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        guarded.__wrapped__ = inner
        guarded.admin_site = self
        return guarded
