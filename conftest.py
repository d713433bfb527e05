"""Root conftest: the toolkit's own tests drive pytest runs through ``pytester``."""

from __future__ import annotations

pytest_plugins = ["pytester"]
