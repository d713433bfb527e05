"""The catalogue of named faults the mock can be told to ship.

Each fault is a defect a real implementation of getAllCampaignDetails could plausibly have, and
each is visible through the documented interface alone (status codes, headers and bodies), so
the contract suite can be measured by how many of them it catches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

Area = Literal["pagination", "filters", "sorting", "schema", "status-codes", "headers", "auth"]
AREAS: tuple[Area, ...] = get_args(Area)


@dataclass(frozen=True)
class Fault:
    """One named defect: ``name`` for ``--fault``, a one-line ``description``, its ``area``."""

    name: str
    description: str
    area: Area


def _area(area: Area, *faults: tuple[str, str]) -> tuple[Fault, ...]:
    """The ``(name, description)`` faults of one area."""
    return tuple(Fault(name, description, area) for name, description in faults)


_CATALOGUE: tuple[Fault, ...] = (
    *_area(
        "pagination",
        ("skip-off-by-one", "the page starts one campaign after the offset it echoes"),
        ("has-more-always-true", "hasMore is true on every page, the last one included"),
        (
            "total-results-page-count",
            "totalResults counts the campaigns on this page instead of all matches",
        ),
        (
            "total-results-ignores-filters",
            "totalResults and totalPages count every campaign of the type, ignoring the filters",
        ),
        ("total-pages-floor", "totalPages rounds down (totalResults // limit)"),
        (
            "limit-ignored",
            "every page holds up to 25 campaigns whatever limit asks; "
            "data.limit echoes the request",
        ),
        ("page-ignored", "page is ignored: without skip every request gets the first page"),
        (
            "duplicate-across-pages",
            "each page after the first repeats the last campaign of the page before",
        ),
        (
            "last-page-dropped",
            "a trailing partial page (after the first) comes back with no results",
        ),
        (
            "server-error-above-limit",
            "a limit above 1000, which the page allows, is answered with HTTP 500",
        ),
        (
            "has-more-off-by-one",
            "hasMore is false when exactly one matching campaign remains after the page",
        ),
        (
            "page-size-off-by-one",
            "every page holds one campaign more than limit; data.limit echoes the request",
        ),
    ),
    *_area(
        "filters",
        ("status-filter-ignored", "filters.status is not applied"),
        ("priority-filter-ignored", "filters.priority is not applied: every priority comes back"),
        (
            "dialing-mode-filter-ignored",
            "filters.dialingMode is not applied to voice campaigns",
        ),
        (
            "priority-type-mismatch",
            "priority filter compares numbers with the stored strings, so it matches nothing",
        ),
        (
            "dialing-mode-applied-to-sms",
            "filters.dialingMode is applied to SMS campaigns, which have none: the page is empty",
        ),
        (
            "filter-first-value-only",
            "status, priority and dialingMode filters use only the first value of each array",
        ),
        ("end-date-ignored", "endDate is not applied; only startDate bounds the window"),
        (
            "date-window-day-granularity",
            "the window compares whole days: start rounds down to midnight, "
            "end up to the day's end",
        ),
        ("type-ignored", "type does not select: voice and SMS campaigns come back mixed"),
    ),
    *_area(
        "sorting",
        ("sort-desc-ignored", "every sort key is applied ascending, desc included"),
        ("sort-asc-ignored", "every sort key is applied descending, asc included"),
        ("sort-wrong-field", "sortBy.updatedAt sorts by createdAt"),
        (
            "sort-names-ignore-numbers",
            "sortBy.name compares names with their digits removed: Campaign37 and Campaign35 "
            "tie and come back in id order",
        ),
        (
            "sort-unstable",
            "campaigns that tie on the sort keys come back in a random order on every request",
        ),
    ),
    *_area(
        "schema",
        ("priority-as-number", "priority is serialised as a number (5) instead of a string"),
        ("id-missing", "campaigns come back without their identifier (_id / id)"),
        (
            "created-at-not-iso",
            "createdAt is written like JavaScript's Date.toString(), not ISO 8601",
        ),
        (
            "results-null-when-empty",
            "data.results is null instead of [] when nothing is on the page",
        ),
        ("limit-as-string", 'data.limit is serialised as a string ("10")'),
        (
            "skip-echo-raw",
            'data.skip echoes the request\'s skip verbatim: "" for an empty string, '
            "null when absent",
        ),
    ),
    *_area(
        "status-codes",
        ("server-error-on-bad-input", "invalid request bodies get 500 instead of 400"),
        (
            "invalid-enum-accepted",
            "values outside the enums (type, status, priority, dialingMode, sort) are ignored: 200",
        ),
        (
            "empty-string-rejected",
            '"" for skip, page or limit (which the doc allows) is rejected with 400',
        ),
        ("negative-skip-accepted", "a negative skip is accepted (200) instead of rejected"),
        ("missing-type-defaults-voice", "a body without type lists voice campaigns (200)"),
        ("error-status-200", "errors are answered with HTTP 200 and an error body"),
    ),
    *_area(
        "headers",
        ("content-type-html", "responses are labelled Content-Type: text/html"),
        ("content-type-missing", "responses carry no Content-Type header"),
    ),
    *_area(
        "auth",
        ("auth-not-checked", "the auth header is not checked: any or no token is served"),
        (
            "account-not-checked",
            "the account named by accountId / accountid selects the data unchecked: "
            "another account id is served that account's campaigns",
        ),
        (
            "iid-not-checked",
            "the iid header selects the application's data unchecked: "
            "another app id in iid is served that app's campaigns",
        ),
    ),
)

FAULTS: Mapping[str, Fault] = MappingProxyType({fault.name: fault for fault in _CATALOGUE})
"""Every named fault, by name, grouped by area in catalogue order."""


def fault_names() -> list[str]:
    """The names of every fault, in catalogue order."""
    return list(FAULTS)


class UnknownFaultError(ValueError):
    """A fault name that is not in :data:`FAULTS`."""


def check_faults(names: Iterable[str]) -> frozenset[str]:
    """``names`` as a frozenset, or :class:`UnknownFaultError` naming the first unknown one."""
    chosen = frozenset(names)
    unknown = sorted(chosen - FAULTS.keys())
    if unknown:
        raise UnknownFaultError(
            f"unknown fault {unknown[0]!r}; `campaign-contract mock --list-faults` lists them"
        )
    return chosen
