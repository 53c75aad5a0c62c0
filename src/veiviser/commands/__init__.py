"""Sub-commands of the ``veiviser`` command line (see ``veiviser.cli``)."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django for commands that use the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veiviser.settings")
    import django

    django.setup()
