#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemwijzer.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting that cannot be read is the operator's to fix: say which, without a traceback.
        sys.exit(
            f"Configuration error: {error}. See the configuration table in README.md "
            "(for local development, run the command with DEBUG=true)."
        )
