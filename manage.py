#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erozgar.settings")
    import environ

    environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)
    if os.environ.get("DJANGO_ENV", "development") != "production":
        # The settings only read where the embedded PostgreSQL and Redis are; start them here.
        from erozgar import devservices

        devservices.up(quiet=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
