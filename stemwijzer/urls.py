from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from positions.views import open_data
from stemwijzer.http_cache import public_page
from stemwijzer.views import health

handler400 = "stemwijzer.errors.handler400"
handler403 = "stemwijzer.errors.handler403"
handler404 = "stemwijzer.errors.handler404"
handler500 = "stemwijzer.errors.handler500"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("data/<slug:slug>.json", public_page(open_data), name="open-data"),
    path("gezond/", health, name="health"),
]
# Dutch at /, English at /en/: the language is in the URL, so no language cookie is needed.
urlpatterns += i18n_patterns(
    path("klas/", include("stemwijzer.classroom.urls")),
    path("", include("stemwijzer.citizen.urls")),
    prefix_default_language=False,
)
