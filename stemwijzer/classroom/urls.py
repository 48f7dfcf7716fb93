from django.urls import path

from stemwijzer.classroom import views

app_name = "classroom"

urlpatterns = [
    path("", views.join, name="join"),
    path("nieuw/", views.new_session, name="new"),
    path("verwijderd/", views.deleted, name="deleted"),
    path("leraar/<str:token>/", views.dashboard, name="dashboard"),
    path("leraar/<str:token>/stand/", views.dashboard_live, name="live"),
    path("leraar/<str:token>/bespreken/<int:place>/", views.discussion, name="discussion"),
    path("leraar/<str:token>/sluiten/", views.close, name="close"),
    path("leraar/<str:token>/verwijderen/", views.delete, name="delete"),
    path("leraar/<str:token>/klas.csv", views.export, name="export"),
    path("<str:code>/", views.join_code, name="join_code"),
    path("<str:code>/stelling/<int:place>/", views.statement, name="statement"),
    path("<str:code>/uitslag/", views.result, name="result"),
]
