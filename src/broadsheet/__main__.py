"""The `broadsheet` command: Django's management commands with the project's settings."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["broadsheet", *sys.argv[1:]])


if __name__ == "__main__":
    main()
