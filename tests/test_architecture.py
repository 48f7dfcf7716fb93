"""Imports run one way: citizen and classroom sit side by side on the questionnaire core,
which sits on the content (positions); positions imports nothing from stemwijzer."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(package):
    """(module file, imported module) for every import in a package, local imports included."""
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                yield path.relative_to(ROOT), node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT), alias.name


@pytest.mark.parametrize(
    "package, forbidden",
    [
        ("positions", "stemwijzer"),
        ("stemwijzer/classroom", "stemwijzer.citizen"),
        ("stemwijzer/citizen", "stemwijzer.classroom"),
        ("stemwijzer/questionnaire", "stemwijzer.citizen"),
        ("stemwijzer/questionnaire", "stemwijzer.classroom"),
    ],
)
def test_a_package_never_imports_from_the_layer_it_must_not_know(package, forbidden):
    edges = [f"{path}: {module}" for path, module in imports_of(package) if module.startswith(forbidden)]
    assert edges == []


def test_the_content_admin_templates_do_not_load_the_questionnaire_tags():
    load = re.compile(r"{%\s*load\s+([^%]+)%}")
    loading = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates" / "admin").rglob("*.html")
        if any(
            "stemwijzer" in libraries.split() for libraries in load.findall(path.read_text(encoding="utf-8"))
        )
    ]
    assert loading == []
