"""The README's two commands are robust: each sets what it needs, whatever the shell exported."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(code_or_args, env):
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_the_test_environment_overrides_what_the_shell_exported():
    exported = {"DEBUG": "true", "SECURE_SSL_REDIRECT": "true", "CLASSROOM_JOIN_FAILURES": "1"}
    check = (
        "import os, tests.env; "
        "assert os.environ['DEBUG'] == 'false', os.environ['DEBUG']; "
        "assert os.environ['SECURE_SSL_REDIRECT'] == 'false'; "
        "assert 'CLASSROOM_JOIN_FAILURES' not in os.environ; "
        "assert os.environ['DATABASE_URL'] == 'sqlite:///kept'"
    )
    result = run(check, {**exported, "DATABASE_URL": "sqlite:///kept"})
    assert result.returncode == 0, result.stderr


def test_a_management_command_without_configuration_says_what_to_set_without_a_traceback():
    env = {"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": ""}
    result = run(["manage.py", "createsuperuser", "--noinput", "--username", "x"], env)
    assert result.returncode == 1
    assert "Configuration error: SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr
