"""Replacing a recording's names, descriptions, ids and list names, keeping every relation
the contract judges.

Kept as they are: ``status``, ``priority``, ``dialingMode``, every timestamp, booleans, numbers
and the handful of enumeration-like fields listed in :data:`KEPT` — the values filters and
sorts compare. Every other string is replaced, field by field, deterministically: equal values
get equal replacements, so ties stay ties.

- Names keep their relative order under both readings the contract allows (SPEC_NOTES S-07):
  case-insensitive order exactly, and code-point order wherever it agrees with it (the pairs
  where the two readings disagree are undecided by the page and may come out either way).
  Names equal but for case stay so, with their code-point order among themselves.
- Campaign ids keep their code-point order (a server's last tie-break) and stay unique.
- Base64 message texts are replaced by base64 text.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

KEPT = frozenset(
    {
        "status",
        "priority",
        "dialingMode",
        "createdAt",
        "updatedAt",
        "campaignInstanceUpdatedAt",
        "campaignExecutionType",
        "format",
    }
)
"""String fields kept verbatim: what filters and sorts compare, and enumeration-like values."""
ID_FIELDS = frozenset({"_id", "id"})
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
WORD_WIDTH = 6
"""Letters in a replacement name's word: 26**6 distinct names before the width grows."""


def _word(rank: int, width: int) -> str:
    letters = []
    for _ in range(width):
        rank, digit = divmod(rank, 26)
        letters.append(_LETTERS[digit])
    return "".join(reversed(letters))


def _width(count: int) -> int:
    width = WORD_WIDTH
    while 26**width < count:
        width += 1
    return width


def _cased(word: str, rank: int, variants: int) -> str:
    """``word`` followed by the ``rank``-th of ``variants`` case patterns of ``x`` letters in
    code-point order (capitals sort first): names equal but for case stay so."""
    if variants <= 1:
        return word
    bits = (variants - 1).bit_length()
    suffix = "".join("x" if rank >> (bits - 1 - i) & 1 else "X" for i in range(bits))
    return f"{word} {suffix}"


def name_mapping(names: Iterable[str]) -> dict[str, str]:
    """Each distinct name to its replacement (``Campaign <word>``), order-keeping."""
    groups: dict[str, list[str]] = {}
    for name in set(names):
        groups.setdefault(name.casefold(), []).append(name)
    width = _width(len(groups))
    mapping: dict[str, str] = {}
    for rank, folded in enumerate(sorted(groups)):
        variants = sorted(groups[folded])
        word = _word(rank, width)
        for position, name in enumerate(variants):
            mapping[name] = "Campaign " + _cased(word, position, len(variants))
    return mapping


def id_mapping(ids: Iterable[str]) -> dict[str, str]:
    """Each distinct id to ``anon-<n>``, zero-padded so code-point order is kept."""
    distinct = sorted(set(ids))
    width = max(6, len(str(len(distinct))))
    return {value: f"anon-{rank:0{width}d}" for rank, value in enumerate(distinct)}


class _Strings:
    """Replacements for the other strings, numbered per field path in order of appearance."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}

    def replace(self, path: str, value: str) -> str:
        if value == "":
            return value
        key = (path, value)
        if key not in self.seen:
            self.counts[path] = self.counts.get(path, 0) + 1
            self.seen[key] = f"{path} {self.counts[path]}"
        return self.seen[key]


def _is_base64_text(value: str) -> bool:
    if len(value) < 4 or len(value) % 4:
        return False
    try:
        base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return True


def anonymise(campaigns: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """A copy of ``campaigns`` (by type) with names, descriptions, ids and list names replaced."""
    names = [c["name"] for items in campaigns.values() for c in items if _text(c.get("name"))]
    ids = [
        c[f] for items in campaigns.values() for c in items for f in ID_FIELDS if _text(c.get(f))
    ]
    by_name, by_id, others = name_mapping(names), id_mapping(ids), _Strings()

    def walk(path: str, value: Any) -> Any:
        field = path.rpartition(".")[2]
        if isinstance(value, dict):
            return {k: walk(f"{path}.{k}", v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(path, v) for v in value]
        if not isinstance(value, str):
            return value
        if path == "name" and value in by_name:
            return by_name[value]
        if path in ID_FIELDS and value in by_id:
            return by_id[value]
        if field in KEPT:
            return value
        replaced = others.replace(path, value)
        if field == "message" and _is_base64_text(value):
            return base64.b64encode(replaced.encode()).decode()
        return replaced

    return {
        kind: [{k: walk(k, v) for k, v in c.items()} for c in items]
        for kind, items in campaigns.items()
    }


def _text(value: Any) -> bool:
    return isinstance(value, str)
