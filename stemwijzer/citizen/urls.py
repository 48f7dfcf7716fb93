from django.urls import path

from stemwijzer.citizen import source_views, views

app_name = "citizen"

urlpatterns = [
    path("", views.home, name="home"),
    path("methode/", views.method, name="method"),
    path("privacy/", views.privacy, name="privacy"),
    path("merk.css", views.brand_css, name="brand_css"),
    path("bron/<slug:document>/", source_views.source, name="source"),
    path("bron/<slug:document>/origineel/<str:sha256>/", source_views.original, name="source-original"),
    path("<slug:election>/stelling/<int:number>/", views.statement, name="statement"),
    path("<slug:election>/stelling/<int:number>/standpunten/", views.statement_positions, name="positions"),
    path("<slug:election>/belangrijk/", views.important, name="important"),
    path("<slug:election>/partijen/", views.parties, name="parties"),
    path("<slug:election>/uitslag/", views.result, name="result"),
    path("<slug:election>/uitslag/<slug:actor>/", views.party, name="party"),
    path("<slug:election>/wissen/", views.clear, name="clear"),
    path("<slug:election>/wis-mijn-antwoorden/", views.clear_confirm, name="clear_confirm"),
]
