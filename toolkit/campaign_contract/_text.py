"""Wording shared by every subsystem's messages."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 failure``, ``2 failures``; ``many`` for an irregular plural (``entries``)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
