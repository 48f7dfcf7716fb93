"""The editors' groups and what they may do. Created after every migrate (idempotent)."""

from django.contrib.auth.models import Group, Permission

EDITORS = "Redactie"
REVIEWERS = "Eindredactie"

_CONTENT = ["statement", "position", "citation"]
# Editors add documents and new versions; deleting one is for administrators (citations protect it).
_DOCUMENTS = ["add_document", "change_document"]
_LOOKUP = ["election", "document", "documentversion", "actor", "theme", "passage", "publication"]

EDITOR_PERMISSIONS = (
    [f"{action}_{model}" for model in _CONTENT for action in ("view", "add", "change", "delete")]
    + [f"view_{model}" for model in _LOOKUP]
    + [f"view_historical{model}" for model in _CONTENT]
    + _DOCUMENTS
)
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS + [
    "change_election",
    "add_actor",
    "change_actor",
    "add_theme",
    "change_theme",
    "review_position",
    "publish_election",
]


def ensure_roles(**kwargs):
    for name, codenames in ((EDITORS, EDITOR_PERMISSIONS), (REVIEWERS, REVIEWER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="positions", codename__in=codenames)
        )


def in_editors_groups(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name__in=[EDITORS, REVIEWERS]).exists())
    )
