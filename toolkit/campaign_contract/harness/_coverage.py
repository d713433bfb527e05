"""Semantic coverage: which values of each dimension of the contract a run exercised, and which
it judged on a response where the check could have failed.

A value is *exercised* when a request asked for it (a status in ``filters.status``, a sort key
and direction, a date-window shape, an auth case) and *judged* when, on top, a check judged an
answer that could have broken the contract for it: a status only where results of that status
came back; a sort key only on a page holding two or more distinct values of it (among results
equal on the keys before it); a paging shape only where the page had that shape; a date-window
shape only where results came back. Only the checks that judge a dimension count for it.

:func:`facts` turns one judged exchange into the keys it exercised and judged (plain strings,
``dimension/value``, cheap to carry in a ledger across pytest-xdist workers);
:func:`summarise` folds a run's keys into the report's :class:`~campaign_contract.report.Coverage`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from campaign_contract.oracles._common import instant
from campaign_contract.report import Coverage, CoverageDimension, CoverageValue
from campaign_contract.validation._schemas import documents, schema


def _enum(definition: str) -> tuple[str, ...]:
    return tuple(str(v) for v in documents()["common.json"]["$defs"][definition]["enum"])


def _sort_keys() -> tuple[str, ...]:
    return tuple(schema("request")["properties"]["sortBy"]["properties"])


STATUSES = _enum("campaignStatus")
PRIORITIES = _enum("filterPriority")
DIALING_MODES = _enum("filterDialingMode")
DIRECTIONS = _enum("sortDirection")
SORT_KEYS = _sort_keys()
AUTH_FAMILY: Final = "auth"


_AUTH_CASES: dict[str, str] = {}
"""The auth cases once this process knows them (:func:`auth_cases`, :func:`learn_auth_cases`)."""


def auth_cases() -> Mapping[str, str]:
    """The auth family's checks, from the registry (or as :func:`learn_auth_cases` was told
    them), and the case each sends (``auth-other-account`` → ``other account``)."""
    if not _AUTH_CASES:
        import campaign_contract.checks  # noqa: F401 - registers the suite's checks
        from campaign_contract.oracles._registry import REGISTRY

        names = REGISTRY.names(family=AUTH_FAMILY, builtin=True)
        _AUTH_CASES.update({n: n.removeprefix(f"{AUTH_FAMILY}-").replace("-", " ") for n in names})
    return _AUTH_CASES


def learn_auth_cases(cases: Mapping[str, str]) -> None:
    """Take the auth cases as a process that has the checks loaded read them (a worker, for
    its controller: :mod:`._checks_index`), so that this one need not import the checks."""
    if not _AUTH_CASES:
        _AUTH_CASES.update(cases)


PAGING_SHAPES = (
    "first page",
    "middle page",
    "last page",
    "exact multiple of limit",
    "past the end",
    '"" values',
    "by page",
    "by skip",
)
WINDOW_SHAPES = (
    "start only",
    "end only",
    "both",
    "date only",
    "with offset",
    "campaign on a bound",
)


@dataclass(frozen=True)
class Dimension:
    """One dimension of the contract: its values and the checks whose verdicts judge it
    (a check counts when its name starts with one of ``judges``)."""

    name: str
    title: str
    values: tuple[str, ...]
    judges: tuple[str, ...]

    def judged_by(self, checks: Iterable[str]) -> bool:
        return any(c.startswith(self.judges) for c in checks)


_PAGING_CHECKS = (
    "page-",
    "limit-echo",
    "skip-echo",
    "has-more",
    "total-",
    "crawl",
    "skip-past-end",
    "blank-paging",
    "paging-edge-values",
    "skip-and-page-together",
)


@functools.cache
def dimensions() -> tuple[Dimension, ...]:
    """Every dimension, in report order."""
    return (
        Dimension("type", "Campaign type", ("voice", "sms"), ("result-type", "schema", "crawl")),
        Dimension(
            "status",
            "Status filter",
            STATUSES,
            ("filter-status", "filter-recall", "filter-totals", "metamorphic-status-union"),
        ),
        Dimension(
            "priority",
            "Priority filter",
            PRIORITIES,
            ("filter-priority", "filter-recall", "filter-totals", "metamorphic-filter-narrows"),
        ),
        Dimension(
            "dialing-mode",
            "Dialing-mode filter",
            DIALING_MODES,
            ("filter-dialing-mode", "filter-recall", "filter-totals", "metamorphic-filter-narrows"),
        ),
        Dimension(
            "sort",
            "Sort key × direction",
            tuple(f"{k} {d}" for k in SORT_KEYS for d in DIRECTIONS),
            ("sort-order", "sort-keys", "metamorphic-sort-reverse", "crawl"),
        ),
        Dimension(
            "sort-keys",
            "Multi-key orders",
            tuple(f"{n} keys" for n in range(2, len(SORT_KEYS) + 1)),
            ("sort-order", "sort-keys", "metamorphic-sort-reverse"),
        ),
        Dimension("paging", "Paging shapes", PAGING_SHAPES, _PAGING_CHECKS),
        Dimension(
            "date-window",
            "Date-window shapes",
            WINDOW_SHAPES,
            ("filter-date-window", "filter-window-bounds", "metamorphic-window-narrows"),
        ),
        Dimension("auth", "Auth cases", tuple(auth_cases().values()), ("auth-",)),
    )


def key(dimension: str, value: str) -> str:
    return f"{dimension}/{value}"


@dataclass
class Facts:
    """What one exchange exercised and what it judged, as ``dimension/value`` keys."""

    exercised: set[str] = field(default_factory=set)
    judged: set[str] = field(default_factory=set)

    def add(self, dimension: str, value: str, *, judged: bool) -> None:
        self.exercised.add(key(dimension, value))
        if judged:
            self.judged.add(key(dimension, value))


def _results(response: Any) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    data = response.get("data") if isinstance(response, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(results, list):
        return None
    return data, [r for r in results if isinstance(r, dict)]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _filter_values(request: Mapping[str, Any], name: str) -> list[Any]:
    filters = request.get("filters")
    values = filters.get(name) if isinstance(filters, dict) else None
    return values if isinstance(values, list) else []


def _filters(facts: Facts, request: Mapping[str, Any], results: list[dict[str, Any]]) -> None:
    for dimension, name, known in (
        ("status", "status", STATUSES),
        ("priority", "priority", PRIORITIES),
        ("dialing-mode", "dialingMode", DIALING_MODES),
    ):
        if name == "dialingMode" and request.get("type") != "voice":
            continue
        asked = _filter_values(request, name)
        came_back = {str(r.get(name)) for r in results} if asked else set()
        for value in asked:
            text = str(value)
            if text in known and not isinstance(value, bool):
                facts.add(dimension, text, judged=text in came_back)


def _deciding(results: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[bool]:
    """For each of ``keys``, whether it decides the order of two results equal on the keys
    before it (the first decides where two results differ on it)."""
    rows = [tuple(repr(item.get(k)) for k in keys) for item in results]
    decides = []
    for position in range(len(keys)):
        groups: dict[tuple[str, ...], str] = {}
        found = False
        for row in rows:
            seen = groups.setdefault(row[:position], row[position])
            if seen != row[position]:
                found = True
                break
        decides.append(found)
    return decides


def _sorting(facts: Facts, request: Mapping[str, Any], results: list[dict[str, Any]]) -> None:
    sort_by = request.get("sortBy")
    if not isinstance(sort_by, dict):
        return
    keys = [k for k, d in sort_by.items() if k in SORT_KEYS and d in DIRECTIONS]
    decides = _deciding(results, keys)
    for name, judged in zip(keys, decides, strict=True):
        facts.add("sort", f"{name} {sort_by[name]}", judged=judged)
    if len(keys) >= 2:
        facts.add("sort-keys", f"{len(keys)} keys", judged=all(decides[1:]))


def _paging(facts: Facts, request: Mapping[str, Any], data: Mapping[str, Any], count: int) -> None:
    skip, limit = _int(data.get("skip")), _int(data.get("limit"))
    total, more = _int(data.get("totalResults")), data.get("hasMore")
    if skip is not None and count:
        if skip == 0 and more is True:
            facts.add("paging", "first page", judged=True)
        elif skip > 0 and more is True:
            facts.add("paging", "middle page", judged=True)
        elif skip > 0 and more is False:
            facts.add("paging", "last page", judged=True)
    if total and limit and total % limit == 0 and more is False and count:
        facts.add("paging", "exact multiple of limit", judged=True)
    if total and count == 0:
        facts.add("paging", "past the end", judged=True)
    if any(request.get(f) == "" for f in ("skip", "page", "limit")):
        facts.add("paging", '"" values', judged=True)
    asked_skip, asked_page = _int(request.get("skip")), _int(request.get("page"))
    if asked_page is not None and asked_page >= 2 and asked_skip is None:
        facts.add("paging", "by page", judged=count > 0)
    if asked_skip is not None and asked_skip > 0 and asked_page is None:
        facts.add("paging", "by skip", judged=count > 0)


def _has_offset(bound: str) -> bool:
    _, t, clock = bound.partition("T")
    return bool(t) and ("+" in clock or "-" in clock)


def _window(facts: Facts, request: Mapping[str, Any], results: list[dict[str, Any]]) -> None:
    bounds = [b for b in (request.get("startDate"), request.get("endDate")) if isinstance(b, str)]
    if not bounds:
        return
    start, end = isinstance(request.get("startDate"), str), isinstance(request.get("endDate"), str)
    shape = "both" if start and end else "start only" if start else "end only"
    came_back = bool(results)
    facts.add("date-window", shape, judged=came_back)
    if any("T" not in b for b in bounds):
        facts.add("date-window", "date only", judged=came_back)
    if any(_has_offset(b) for b in bounds):
        facts.add("date-window", "with offset", judged=came_back)
    instants = {instant(b) for b in bounds} - {None}
    on_bound = any(instant(r.get("createdAt")) in instants for r in results)
    facts.add("date-window", "campaign on a bound", judged=on_bound)


def facts(
    check: str,
    request: Any,
    status: int | None,
    response: Any,
    judges: Iterable[str] = (),
) -> Facts:
    """The coverage keys one exchange exercised and judged. ``check`` is the check that sent
    it, ``judges`` the further checks (pair checks) its answer was judged on."""
    found = Facts()
    checks = {check, *judges}
    cases = auth_cases()
    if check in cases:
        found.add("auth", cases[check], judged=status is not None)
    if not isinstance(request, dict) or status is None or not 200 <= status < 300:
        return found
    page = _results(response)
    if page is None:
        return found
    data, results = page
    kind = request.get("type")
    if kind in ("voice", "sms"):
        found.add("type", str(kind), judged=bool(results))
    _filters(found, request, results)
    _sorting(found, request, results)
    _paging(found, request, data, len(results))
    _window(found, request, results)
    # a value counts as judged only where a check that judges its dimension ran
    judging = _judging(frozenset(checks))
    found.judged = {k for k in found.judged if k.partition("/")[0] in judging}
    return found


@functools.lru_cache(maxsize=1024)
def _judging(checks: frozenset[str]) -> frozenset[str]:
    """The dimensions some of ``checks`` judge."""
    return frozenset(d.name for d in dimensions() if d.judged_by(checks))


def summarise(
    exercised: Mapping[str, Iterable[str]],
    judged: Mapping[str, Iterable[str]],
    *,
    min_percent: float | None = None,
) -> Coverage:
    """The run's coverage from every check's keys (key → the checks that exercised / judged
    it); ``min_percent`` marks the dimensions below it as short."""
    found: list[CoverageDimension] = []
    for each in dimensions():
        values = []
        for value in each.values:
            k = key(each.name, value)
            by = sorted(set(judged.get(k, ())))
            sent = sorted(set(exercised.get(k, ())))
            values.append(CoverageValue(value, bool(sent or by), bool(by), by or sent))
        found.append(CoverageDimension(each.name, each.title, values))
    short = [d.name for d in found if min_percent is not None and d.percent < min_percent - 1e-9]
    return Coverage(found, min_percent, short)


def merge_keys(into: dict[str, set[str]], keys: Iterable[str], check: str) -> None:
    for k in keys:
        into.setdefault(k, set()).add(check)


__all__ = [
    "Dimension",
    "Facts",
    "auth_cases",
    "dimensions",
    "facts",
    "learn_auth_cases",
    "merge_keys",
    "summarise",
]
