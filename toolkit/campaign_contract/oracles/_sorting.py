"""Sort order per SPEC_NOTES S-07: the requested keys in some fixed priority order; two names
judged wherever every accepted collation orders them alike (code point, case-insensitive,
numeric, ICU root, accent- and punctuation-blind), elsewhere by code point or case-insensitively
where those decide, or by a locale's tailored collation (Danish, Czech…) where it explains a
whole listing; free ties."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from campaign_contract.oracles._common import (
    identity,
    instant,
    listing_items,
    remembered_when_short,
)

SORT_FIELDS = ("name", "createdAt", "updatedAt")
DIRECTIONS = ("asc", "desc")
SortSpec = tuple[tuple[str, bool], ...]  # (field, descending) in body order


@dataclass(frozen=True)
class Collation:
    """One accepted way of ordering names; ``folds_case`` makes case variants incomparable.
    A ``tailored`` collation is a locale's (:func:`tailored_collations`): it orders every pair
    by its own key, and a pair it breaks is undecided only where the standard collations leave
    it open (:func:`_tailored_names`)."""

    label: str
    key: Callable[[str], Any]
    folds_case: bool
    tailored: bool = False


def _code_units(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


# Code point order (byte order of UTF-8, e.g. a database) and UTF-16 code unit order (e.g. a
# JavaScript sort) agree except beyond U+FFFF; the case-insensitive forms differ only in how
# they fold special letters. Pairs where any of these, or an ICU, locale or numeric collation,
# may part are undecided and never judged (``undecided_names``, S-07); on the pairs left the
# labels tell code point order from case-insensitive order.
COLLATIONS: tuple[Collation, ...] = (
    Collation("code point", lambda text: text, False),
    Collation("UTF-16 code unit", _code_units, False),
    Collation("case-insensitive", str.casefold, True),
    Collation("lower-cased", str.lower, True),
    Collation("upper-cased", str.upper, True),
)


_DIGIT_RUNS = re.compile(r"(\d+)")


def _natural(fold: Callable[[str], Any]) -> Callable[[str], tuple[Any, ...]]:
    """A numeric ("natural") collation over ``fold``: digit runs compare by their value (as
    MongoDB's ``numericOrdering`` or ``localeCompare(…, {numeric: true})``), the text between
    them by ``fold``. Values compare as (length, digits), so no run is too long to compare."""

    def key(text: str) -> tuple[Any, ...]:
        parts = _DIGIT_RUNS.split(text)
        out: list[Any] = []
        for index, part in enumerate(parts):
            if index % 2:
                digits = part.lstrip("0") or "0"
                out.append((len(digits), digits))
            else:
                out.append(fold(part))
        return tuple(out)

    return key


def _uca_keys() -> tuple[Callable[[str], Any], ...]:
    """ICU's root collation (PyICU, from ``pyicu-wheels``) and its numeric form, and the
    Unicode Collation Algorithm's default table through the pure-Python ``pyuca`` (its table
    read by :mod:`._uca_table`); those of them that are installed."""
    keys: list[Callable[[str], Any]] = []
    try:
        import icu
    except ImportError:
        pass
    else:
        root = icu.Collator.createInstance(icu.Locale.getRoot())
        numeric = icu.Collator.createInstance(icu.Locale.getRoot())
        numeric.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
        keys += [root.getSortKey, numeric.getSortKey]
    try:
        from campaign_contract.oracles._uca_table import Collator
    except ImportError:
        return tuple(keys)
    # pure Python and slow, and the same names are compared many times in a run
    uca: Callable[[str], tuple[int, ...]] = remembered_when_short(
        Collator().sort_key, longest=256, maxsize=1 << 16
    )

    def primary(text: str) -> tuple[int, ...]:
        weights = uca(text)
        return weights[: weights.index(0)] if 0 in weights else weights

    numeric = _natural(primary)

    def uca_numeric(text: str) -> tuple[Any, ...]:
        return numeric(text), uca(text)

    keys += [uca, uca_numeric]
    return tuple(keys)


@functools.cache
def tailored_collations() -> tuple[Collation, ...]:
    """ICU's collation for each locale that tailors the root order (PyICU), one per distinct
    tailoring: Danish ``aa`` after ``z``, Czech ``ch`` after ``h``, Estonian ``z`` after ``s``,
    as MongoDB's ``{locale: …}`` or ``Intl.Collator(locale)`` order names (S-07). ``()`` when
    ICU is not installed. Built when a listing first needs them, not at start-up."""
    try:
        import icu
    except ImportError:  # pragma: no cover - a dependency; kept optional at run time
        return ()
    found: dict[str, Collation] = {}
    for locale in icu.Collator.getAvailableLocales():
        collator = icu.Collator.createInstance(icu.Locale(locale))
        rules = collator.getRules()
        if rules and rules not in found:
            found[rules] = Collation(f"ICU {locale}", collator.getSortKey, False, tailored=True)
    return tuple(found.values())


@functools.cache
def agreement_keys() -> tuple[Callable[[str], Any], ...]:
    """Every accepted collation as a sort key: those of :data:`COLLATIONS`, numeric forms of
    code point and case-insensitive order, ICU's root collation (and its numeric form), and an
    accent-, case- and punctuation-blind one (ICU at primary strength with ``alternate:
    shifted``, a glibc locale). Two names are judged on their own wherever all of them agree."""
    return (
        *(collation.key for collation in COLLATIONS),
        _natural(lambda text: text),
        _natural(str.casefold),
        *_uca_keys(),
        name_class,
        _natural(name_class),
    )


@functools.lru_cache(maxsize=1 << 16)
def agreed_order(a: str, b: str) -> int:
    """-1 when every accepted collation puts ``a`` first, 1 when every one puts ``b`` first,
    0 when they part (or some ties them): then only today's rule (:func:`undecided_names`)
    may decide the pair."""
    agreed = 0
    for ka, kb in zip(_agreement_values(a), _agreement_values(b), strict=True):
        sign = _sign(ka, kb)
        if sign == 0 or (agreed and sign != agreed):
            return 0
        agreed = sign
    return agreed


def _values_under_keys(name: str) -> tuple[Any, ...]:
    return tuple(key(name) for key in agreement_keys())


_agreement_values = remembered_when_short(_values_under_keys, longest=256, maxsize=1 << 14)
"""``name`` under every key of :func:`agreement_keys`: worked out once for a name, which
meets many others in a run."""


_CODE_POINT_NUMBERS = _natural(lambda text: text)


def digit_reading(names: Sequence[str]) -> str | None:
    """How an ascending listing orders numbers inside names, where code point and numeric order
    part ("Campaign 9" / "Campaign 10"): ``"numeric"``, ``"code point"``, ``"mixed"``, or
    ``None`` when no adjacent pair tells them apart. An observation (S-07), never a failure."""
    seen = set()
    for a, b in itertools.pairwise(names):
        by_text = (a > b) - (a < b)
        by_number = _sign(_CODE_POINT_NUMBERS(a), _CODE_POINT_NUMBERS(b))
        if by_text and by_number and by_text != by_number:
            seen.add("numeric" if by_number < 0 else "code point")
    if not seen:
        return None
    return seen.pop() if len(seen) == 1 else "mixed"


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def sort_spec(request: Any) -> SortSpec:
    """The request's sort keys in body order, up to the first one that cannot be judged."""
    sort_by = request.get("sortBy") if isinstance(request, dict) else None
    if not isinstance(sort_by, dict):
        return ()
    spec: list[tuple[str, bool]] = []
    for field, direction in sort_by.items():
        if field not in SORT_FIELDS or direction not in DIRECTIONS:
            break
        spec.append((field, direction == "desc"))
    return tuple(spec)


def describe(spec: SortSpec) -> str:
    return "{" + ", ".join(f"{f}: {'desc' if d else 'asc'}" for f, d in spec) + "}"


def sort_permutations(spec: SortSpec) -> list[SortSpec]:
    """Every priority order of the requested keys, each with its direction, body order first.

    JSON object members are unordered (RFC 8259), so a server may apply the keys in any fixed
    priority (S-07); three keys give at most six orders.
    """
    return list(itertools.permutations(spec))


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _first_difference(a: str, b: str) -> int | None:
    """The index of the first differing character; ``None`` when one is a prefix of the other."""
    for index, (char_a, char_b) in enumerate(zip(a, b, strict=False)):
        if char_a != char_b:
            return index
    return None


def undecided_names(a: str, b: str) -> bool:
    """True when the accepted collations leave the order of two different names open (S-07).

    A pair every accepted collation orders alike is decided (:func:`agreed_order`):
    "Campaign-141" before "Campaign-186". Where they part, ICU, locale and numeric collations
    part from code point and case-insensitive order at digits, punctuation, whitespace and
    non-ASCII characters, and on names that are equal or prefixes of each other once case is
    folded: such a pair is decided only when the names first differ, both as written and
    case-folded, at an ASCII letter on both sides ("Campaign 9" and "Campaign 10" are not).
    """
    if a == b or agreed_order(a, b):
        return False
    for x, y in ((a.casefold(), b.casefold()), (a, b)):
        index = _first_difference(x, y)
        if index is None:
            return True
        if not (_is_ascii_letter(x[index]) and _is_ascii_letter(y[index])):
            return True
    return False


def sort_value(item: Any, field: str) -> Any:
    """The comparable value of one sort field: a name string or an instant; ``None`` if unusable."""
    value = item.get(field) if isinstance(item, dict) else None
    if field == "name":
        return value if isinstance(value, str) else None
    return instant(value)


Outcome = Literal["ordered", "tie", "unknown", "undecided", "broken"]


def compare(a: Any, b: Any, spec: SortSpec, collation: Collation) -> tuple[Outcome, str]:
    """Whether ``b`` may follow ``a``; on ``broken`` also the field that decides it.

    ``unknown``: a sort value is missing or unreadable; ``undecided``: two names whose order
    the accepted collations leave open (:func:`undecided_names`). Neither is ever broken.
    """
    for field, descending in spec:
        va, vb = sort_value(a, field), sort_value(b, field)
        if va is None or vb is None:
            return "unknown", field
        if field == "name":
            if va == vb:
                continue
            outcome = (
                _tailored_names(va, vb, descending, collation)
                if collation.tailored
                else _names(va, vb, descending, collation)
            )
            if outcome is None:
                continue
            return outcome, field
        if va != vb:
            return ("ordered" if (va > vb) == descending else "broken"), field
        if (field, descending) != spec[-1] and not (_fine(a.get(field)) and _fine(b.get(field))):
            # written alike to the millisecond or coarser, the instants may still differ below
            # it (a database's microseconds behind JavaScript's milliseconds, S-38): the server
            # may have sorted them on this key, so the later keys do not decide their order
            return "undecided", field
    return "tie", ""


def _names(a: str, b: str, descending: bool, collation: Collation) -> Outcome | None:
    """How two different names compare under one standard collation; ``None`` when it ties
    them and the next key decides."""
    agreed = agreed_order(a, b)
    if agreed:
        return "ordered" if (agreed > 0) == descending else "broken"
    if undecided_names(a, b):
        return "undecided"
    ka, kb = collation.key(a), collation.key(b)
    if ka == kb:
        return "ordered" if collation.folds_case else None
    return "ordered" if (ka > kb) == descending else "broken"


def _tailored_names(a: str, b: str, descending: bool, collation: Collation) -> Outcome:
    """Two different names under a locale's collation: in order when it puts them so (or ties
    them); else undecided where the standard collations leave them open (:func:`undecided_names`),
    so that a locale's order may still read numbers, case or punctuation as they may."""
    sign = _sign(collation.key(a), collation.key(b))
    if sign == 0 or (sign > 0) == descending:
        return "ordered"
    return "undecided" if undecided_names(a, b) else "broken"


_FRACTION = re.compile(r"[.,](\d+)")


def _fine(stamp: Any) -> bool:
    """Whether a timestamp is written to the microsecond or finer, so that two written alike
    are equal as the server holds them."""
    found = _FRACTION.search(stamp) if isinstance(stamp, str) else None
    return found is not None and len(found.group(1)) >= 6


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
    if uses_names and not any(_before_names(spec, b.field) for b in best[1]):
        # a locale's order, tried only where no standard collation explains them and none of
        # their breaks is decided before the names are compared (such a break is one under
        # every collation); the pairs the best of them broke are compared first, where a
        # locale that does not explain the sequence either most often breaks too
        broken = [b.index for b in best[1]]
        first = set(broken)
        ordered = broken + [index for index in indexes if index not in first]
        for collation in tailored_collations():
            if all(_unbroken(items, index, spec, collation) for index in ordered):
                return collation, []
    return best


def _before_names(spec: SortSpec, field: str) -> bool:
    """Whether ``field`` is a key of ``spec`` before any name key: what it decides, it decides
    under every collation."""
    for key, _ in spec:
        if key == "name":
            return False
        if key == field:
            return True
    return False


def _unbroken(items: Sequence[Any], index: int, spec: SortSpec, collation: Collation) -> bool:
    return compare(items[index - 1], items[index], spec, collation)[0] != "broken"


@dataclass(frozen=True)
class Fit:
    """How well one priority order of the keys explains a sequence: no ``breaks`` means it does."""

    order: SortSpec
    collation: Collation
    breaks: list[Break]


def best_fit(items: Sequence[Any], spec: SortSpec, pairs: Sequence[int] | None = None) -> Fit:
    """The priority order of ``spec`` (S-07) that explains ``items`` best.

    The first order, body order first, under which some collation leaves no break; else the
    one with the fewest breaks (the earliest among equals).
    """
    best: Fit | None = None
    for order in sort_permutations(spec):
        collation, breaks = sort_breaks(items, order, pairs)
        if not breaks:
            return Fit(order, collation, [])
        if best is None or len(breaks) < len(best.breaks):
            best = Fit(order, collation, breaks)
    assert best is not None
    return best


def fitting_orders(
    items: Sequence[Any], spec: SortSpec, pairs: Sequence[int] | None = None
) -> list[SortSpec]:
    """Every priority order of ``spec`` under which ``items`` are in order, body order first."""
    return [order for order in sort_permutations(spec) if not sort_breaks(items, order, pairs)[1]]


def sort_permutations_that_fit(request: Any, results: Any) -> list[tuple[str, ...]]:
    """The priority orders of the request's sort keys under which ``results`` are in order.

    ``results`` is a list of campaigns, a response body or a crawl (its pages' results taken
    as one sequence, so one order must hold throughout). Each order is a tuple of field names,
    each key keeping its requested direction; body order comes first when it fits. ``[]``
    means no order fits (the page is out of order); ``[()]`` means the request has no sort
    key to judge. Which order a server uses is an observation (S-07).
    """
    spec = sort_spec(request)
    items = listing_items(results)
    return [tuple(field for field, _ in order) for order in fitting_orders(items, spec)]


def undecided_pairs(items: Sequence[Any], spec: SortSpec) -> list[int]:
    """Indexes ``i`` where items ``i - 1`` and ``i`` meet on names the collations leave open."""
    found = []
    for index in range(1, len(items)):
        outcome, _ = compare(items[index - 1], items[index], spec, COLLATIONS[0])
        if outcome == "undecided":
            found.append(index)
    return found


_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def name_class(name: str) -> str:
    """What is left of a name when every difference some collation may ignore is dropped.

    Case, accents, punctuation and whitespace go, and numbers lose leading zeros: the names of
    one class may be tied by a case-, accent- or punctuation-blind or numeric collation.
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _NOT_ALPHANUMERIC.sub("", text)
    return _DIGITS.sub(lambda match: match.group().lstrip("0") or "0", text)


def coarse_key(item: Any, spec: SortSpec) -> tuple[Any, ...]:
    """A key under which every pair the server may leave tied compares equal.

    Names compare by :func:`name_class`; timestamps compare as instants.
    """
    parts: list[Any] = []
    for field, _ in spec:
        value = sort_value(item, field)
        if field == "name" and value is not None:
            value = name_class(value)
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
