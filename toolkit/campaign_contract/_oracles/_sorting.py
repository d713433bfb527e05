"""Sort order per SPEC_NOTES S-07: keys in body order, two name collations, free ties."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ._common import identity, instant

SORT_FIELDS = ("name", "createdAt", "updatedAt")
SortSpec = tuple[tuple[str, bool], ...]  # (field, descending) in body order


@dataclass(frozen=True)
class Collation:
    """One accepted way of ordering names; ``folds_case`` makes case variants incomparable."""

    label: str
    key: Callable[[str], Any]
    folds_case: bool


def _code_units(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


# Code point order (byte order of UTF-8, e.g. a database) and UTF-16 code unit order (e.g. a
# JavaScript sort) agree except beyond U+FFFF; the case-insensitive forms differ only in how
# they fold special letters. Under a case-folding collation two names that differ only in case
# are treated as undecided: either order is accepted (S-07).
COLLATIONS: tuple[Collation, ...] = (
    Collation("code point", lambda text: text, False),
    Collation("UTF-16 code unit", _code_units, False),
    Collation("case-insensitive", str.casefold, True),
    Collation("lower-cased", str.lower, True),
    Collation("upper-cased", str.upper, True),
)


def sort_spec(request: Any) -> SortSpec:
    """The request's sort keys in body order, up to the first one that cannot be judged."""
    sort_by = request.get("sortBy") if isinstance(request, dict) else None
    if not isinstance(sort_by, dict):
        return ()
    spec: list[tuple[str, bool]] = []
    for field, direction in sort_by.items():
        if field not in SORT_FIELDS or direction not in ("asc", "desc"):
            break
        spec.append((field, direction == "desc"))
    return tuple(spec)


def describe(spec: SortSpec) -> str:
    return "{" + ", ".join(f"{f}: {'desc' if d else 'asc'}" for f, d in spec) + "}"


def sort_value(item: Any, field: str) -> Any:
    """The comparable value of one sort field: a name string or an instant; ``None`` if unusable."""
    value = item.get(field) if isinstance(item, dict) else None
    if field == "name":
        return value if isinstance(value, str) else None
    return instant(value)


Outcome = Literal["ordered", "tie", "unknown", "broken"]


def compare(a: Any, b: Any, spec: SortSpec, collation: Collation) -> tuple[Outcome, str]:
    """Whether ``b`` may follow ``a``; on ``broken`` also the field that decides it."""
    for field, descending in spec:
        va, vb = sort_value(a, field), sort_value(b, field)
        if va is None or vb is None:
            return "unknown", field
        if field == "name":
            ka, kb = collation.key(va), collation.key(vb)
            if ka == kb:
                if va != vb and collation.folds_case:
                    return "ordered", field
                continue
        else:
            ka, kb = va, vb
            if ka == kb:
                continue
        return ("ordered" if (ka > kb) == descending else "broken"), field
    return "tie", ""


@dataclass(frozen=True)
class Break:
    """Items ``index - 1`` and ``index`` are out of order; ``field`` decides it."""

    index: int
    field: str


def sort_breaks(
    items: Sequence[Any], spec: SortSpec, pairs: Sequence[int] | None = None
) -> tuple[Collation, list[Break]]:
    """The places where ``items`` break ``spec`` under the most forgiving accepted collation.

    ``pairs`` restricts the check to those indexes (each compared with its predecessor). When
    some collation explains the whole sequence no breaks are returned; otherwise those of the
    collation with the fewest.
    """
    indexes = range(1, len(items)) if pairs is None else [i for i in pairs if 0 < i < len(items)]
    uses_names = any(field == "name" for field, _ in spec)
    best: tuple[Collation, list[Break]] | None = None
    for collation in COLLATIONS if uses_names else COLLATIONS[:1]:
        found = []
        for index in indexes:
            outcome, field = compare(items[index - 1], items[index], spec, collation)
            if outcome == "broken":
                found.append(Break(index, field))
        if not found:
            return collation, []
        if best is None or len(found) < len(best[1]):
            best = (collation, found)
    assert best is not None
    return best


def coarse_key(item: Any, spec: SortSpec) -> tuple[Any, ...]:
    """A key under which every pair the server may leave tied compares equal.

    Names fold case in every accepted way at once; timestamps compare as instants.
    """
    parts: list[Any] = []
    for field, _ in spec:
        value = sort_value(item, field)
        if field == "name" and value is not None:
            value = value.upper().casefold()
        parts.append(value)
    return tuple(parts)


Groups = list[tuple[tuple[Any, ...], Counter[Any]]]


def tie_groups(items: Sequence[Any], spec: SortSpec) -> Groups:
    """Runs of consecutive items with equal coarse keys, each as (key, multiset of identities).

    Two correctly sorted listings of the same campaigns have equal group sequences however
    the server orders ties; when every key is distinct this is an exact comparison of ids.
    """
    groups: Groups = []
    for item in items:
        key = coarse_key(item, spec)
        if groups and groups[-1][0] == key:
            groups[-1][1][identity(item)] += 1
        else:
            groups.append((key, Counter([identity(item)])))
    return groups


def first_group_difference(a: Groups, b: Groups) -> tuple[int, int] | None:
    """``(group index, item position in b)`` of the first differing group, ``None`` if equal."""
    position = 0
    for index in range(max(len(a), len(b))):
        if index >= len(a) or index >= len(b) or a[index] != b[index]:
            return index, position
        position += sum(b[index][1].values())
    return None
