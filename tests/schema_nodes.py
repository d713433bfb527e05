"""Walking the project's JSON Schema documents for the schema tests."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any


def subschemas(
    node: Any, where: str, skip: Collection[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object in ``node`` with its location, not entering the keywords in ``skip``."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from subschemas(item, f"{where}/{index}", skip)
    elif isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key not in skip:
                yield from subschemas(value, f"{where}/{key}", skip)
