"""Where the templates, static files and migrations are.

In a source checkout they sit at the top of the repository; an installed
wheel carries them inside the ``tracker`` package (see pyproject.toml).
"""

from __future__ import annotations

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
