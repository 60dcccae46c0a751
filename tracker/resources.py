"""Where the templates, static files and migrations are.

In a source checkout they sit at the top of the repository; an installed
wheel carries them inside the ``tracker`` package (see pyproject.toml).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """The folder ``name`` (templates, static or migrations), wherever it was installed."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    beside = PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"Revloop's {name} folder is missing from {PACKAGE_DIR}.")


def instance_folder() -> str:
    """Where the database and the secret key live: ``TRACKER_INSTANCE_PATH``, else
    Flask's folder for the app: ``instance/`` beside the package in a checkout,
    ``<prefix>/var/tracker-instance`` for a copy installed into a prefix (a virtual
    environment). Written out here so that the command line's report finds the
    same database without loading Flask (tests/test_cli.py holds it to Flask's)."""
    chosen = os.environ.get("TRACKER_INSTANCE_PATH")
    if chosen:
        return os.path.abspath(chosen)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    prefix = os.path.abspath(sys.prefix)
    if Path(package_parent).is_relative_to(prefix):
        return os.path.join(prefix, "var", "tracker-instance")
    site_parent, site_folder = os.path.split(package_parent)
    if site_folder.lower() != "site-packages":
        return os.path.join(package_parent, "instance")
    parent, folder = os.path.split(site_parent)
    if folder.lower() == "lib":  # prefix/Lib/site-packages (Windows)
        installed_into = parent
    elif os.path.basename(parent).lower() == "lib":  # prefix/lib/pythonX.Y/site-packages
        installed_into = os.path.dirname(parent)
    else:
        installed_into = site_parent
    return os.path.join(installed_into, "var", "tracker-instance")
