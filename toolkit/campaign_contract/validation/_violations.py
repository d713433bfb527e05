"""The one error type every check speaks: a :class:`Violation`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def escape_token(token: str | int) -> str:
    """Escape one reference token per RFC 6901."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """One reference token of a pointer as the key it names (RFC 6901: ``~1`` first, then
    ``~0``)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: str | int) -> str:
    """Build an RFC 6901 JSON pointer from path tokens (``pointer("data", 0)`` → ``/data/0``)."""
    return "".join("/" + escape_token(t) for t in tokens)


@dataclass(frozen=True, slots=True)
class Violation:
    """One thing wrong (``error``) or worth knowing (``warning``) about a request or response.

    ``pointer`` is an RFC 6901 JSON pointer into the document checked (the response body,
    unless the check says otherwise); ``check`` is the registry name of the check that found it.
    A check function leaves ``check`` empty: registering it stamps its name on what it yields
    (:mod:`campaign_contract.oracles._registry`).
    """

    pointer: str
    message: str
    check: str = ""
    severity: Severity = "error"

    def as_dict(self) -> dict[str, str]:
        return {
            "pointer": self.pointer,
            "message": self.message,
            "check": self.check,
            "severity": self.severity,
        }


def errors(violations: Sequence[Violation]) -> list[Violation]:
    """The violations that fail a contract (severity ``error``)."""
    return [v for v in violations if v.severity == "error"]
