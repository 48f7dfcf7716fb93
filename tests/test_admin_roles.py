import pytest
from django.contrib.auth.models import Group

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/positions/statement/",
    "/admin/positions/position/",
    "/admin/positions/citation/",
]


def test_the_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Redactie", "Eindredactie"}


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_visitors_get_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_staff_without_an_editors_group_get_403(client, url):
    client.force_login(make_user("buitenstaander"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_editors_are_allowed(client, editor, url):
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_editors_cannot_publish_but_reviewers_can_open_the_publish_page(client, editor, reviewer, election):
    client.force_login(editor)
    assert client.get(f"/admin/positions/election/{election.pk}/publiceren/").status_code == 403
    client.force_login(reviewer)
    assert client.get(f"/admin/positions/election/{election.pk}/publiceren/").status_code == 200
