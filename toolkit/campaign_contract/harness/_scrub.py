"""Keeping credentials out of what pytest prints and writes: failure text, sections, junit.

pytest's failure text (``longrepr``) holds source lines, exception messages and, with ``-l``,
the repr of every local variable; junit.xml copies it. :func:`scrub_report` walks a test
report and masks every known secret in it, including the truncated pieces ``saferepr`` leaves
of a long value (``'eyJhbGciOi...kpXVCJ9'``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from campaign_contract.client._exchange import MASK

TRUNCATION = "..."
"""What pytest's ``saferepr`` puts in place of the middle of a long value."""
MIN_PIECE = 6
"""The shortest piece of a secret, cut by a truncation, that is masked."""


def _pieces(secret: str) -> re.Pattern[str] | None:
    """A pattern for the ends of ``secret`` that a truncation can leave on either side."""
    if len(secret) <= MIN_PIECE:
        return None
    heads = [re.escape(secret[:n]) for n in range(len(secret) - 1, MIN_PIECE - 1, -1)]
    tails = [re.escape(secret[-n:]) for n in range(len(secret) - 1, MIN_PIECE - 1, -1)]
    dots = re.escape(TRUNCATION)
    return re.compile(f"(?:{'|'.join(heads)})(?={dots})|(?<={dots})(?:{'|'.join(tails)})")


class Scrubber:
    """Masks a fixed set of secrets in text and in the nested values of a test report."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        unique = {s for s in secrets if s}
        self.secrets = sorted(unique, key=len, reverse=True)
        self._pieces = [p for p in (_pieces(s) for s in self.secrets) if p is not None]

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def text(self, text: str) -> str:
        """``text`` with every secret, whole or cut by a truncation, replaced by ``***``."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        if TRUNCATION in text:
            for pattern in self._pieces:
                text = pattern.sub(MASK, text)
        return text

    def value(self, value: Any, _depth: int = 0) -> Any:
        """``value`` with its strings scrubbed: lists and dataclasses in place, tuples, dicts
        and strings rebuilt. Other objects are left as they are."""
        if _depth > 40:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            value[:] = [self.value(v, _depth + 1) for v in value]
            return value
        if isinstance(value, tuple):
            items = [self.value(v, _depth + 1) for v in value]
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
        if isinstance(value, dict):
            return {self.value(k, _depth + 1): self.value(v, _depth + 1) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for item in dataclasses.fields(value):
                current = getattr(value, item.name, None)
                object.__setattr__(value, item.name, self.value(current, _depth + 1))
        return value

    def report(self, report: Any) -> None:
        """Scrub a pytest test report's failure text, captured sections and properties."""
        if not self:
            return
        longrepr = getattr(report, "longrepr", None)
        if longrepr is not None:
            if isinstance(longrepr, str | tuple) or dataclasses.is_dataclass(longrepr):
                report.longrepr = self.value(longrepr)
            else:
                report.longrepr = self.text(str(longrepr))
        sections = getattr(report, "sections", None)
        if isinstance(sections, list):
            self.value(sections)
        properties = getattr(report, "user_properties", None)
        if isinstance(properties, list):
            self.value(properties)
