"""The Unicode Collation Algorithm's default table (DUCET) as ``pyuca`` reads it, loaded faster.

``pyuca.Collator()`` parses all of ``allkeys.txt`` (some 30,000 entries) into a trie of code
points and weights before it orders one name: a quarter of a second on a slow machine, paid
by every process of every run that judges a listing sorted by name. :class:`Collator` is
pyuca's own collator with its table read differently: one regular expression over the file
gives each entry's code points as written (``"0041 030A"``) and its collation elements as
written; the elements of an entry are read when a name first needs it. A lookup writes the
name's code points as the file does (upper-case hexadecimal, at least four digits, one space
between them), and finds the longest prefix with an entry exactly as pyuca's trie does:
through prefixes of entries only, a later entry of the same code points replacing an earlier.
Everything else (decomposition, non-starters, implicit weights, the sort key) is pyuca's.
``tests/test_uca_table.py`` compares the two on every entry of the file and on generated text.
"""

from __future__ import annotations

import re
from typing import Any

import pyuca
from pyuca.collator import COLL_ELEMENT_PATTERN

_ENTRY = re.compile(r"^([0-9A-F]{4,6}(?: [0-9A-F]{4,6})*) *;([^#\n]*)", re.MULTILINE)
"""An entry: its code points as written, and what follows the ``;`` up to a comment."""

_IMPLICIT = re.compile(
    r"\n@implicitweights\s+([0-9A-Fa-f]+)\.\.([0-9A-Fa-f]+)\s*;\s*([0-9A-Fa-f]+)"
)
"""A range of code points whose weights are computed (``@implicitweights 17000..18AFF; FB00``),
found by its line's literal start (far faster than ``^`` with ``re.MULTILINE``)."""

Elements = list[list[int]]


class Table:
    """The entries of ``allkeys.txt`` by their code points as written, with the interface of
    pyuca's trie that its collator uses (:meth:`find_prefix`)."""

    def __init__(self, text: str) -> None:
        self._written: dict[str, str] = dict(_ENTRY.findall(text))
        self._read: dict[str, Elements] = {}
        self._prefixes = set(self._written)
        for points in self._written:
            if " " in points:
                parts = points.split(" ")
                self._prefixes.update(" ".join(parts[:end]) for end in range(1, len(parts)))

    def __len__(self) -> int:
        return len(self._written)

    def _elements(self, points: str) -> Elements | None:
        found = self._read.get(points)
        if found is None and points in self._written:
            found = [
                [int(weight, 16) for weight in match.groups()]
                for match in COLL_ELEMENT_PATTERN.finditer(self._written[points].strip())
            ]
            self._read[points] = found
        return found

    def find_prefix(self, key: list[int]) -> tuple[list[int], Elements | None, list[int]]:
        """The longest start of ``key`` with an entry, its elements, and the rest of ``key``."""
        matched, elements = 0, None
        written = ""
        for index, point in enumerate(key):
            written = f"{written} {point:04X}" if index else f"{point:04X}"
            if written not in self._prefixes:
                break
            found = self._elements(written)
            if found:
                matched, elements = index + 1, found
        return key[:matched], elements, key[matched:]


class Collator(pyuca.Collator):  # type: ignore[misc]
    """pyuca's default collator (its ``sort_key`` and all it relies on) over a :class:`Table`."""

    def load(self, filename: str) -> None:
        with open(filename, encoding="utf-8") as stream:
            text = stream.read()
        self.table: Any = Table(text)
        for start, end, base in _IMPLICIT.findall("\n" + text):
            self.implicit_weights.append([int(start, 16), int(end, 16), int(base, 16)])
