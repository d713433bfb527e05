"""The catalogue of named faults the mock can be told to ship.

Each fault is a defect a real implementation of getAllCampaignDetails could plausibly have, and
each is visible through the documented interface alone (status codes, headers and bodies), so
the contract suite can be measured by how many of them it catches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Area = Literal["pagination", "filters", "sorting", "schema", "status-codes", "headers", "auth"]
AREAS: tuple[Area, ...] = (
    "pagination",
    "filters",
    "sorting",
    "schema",
    "status-codes",
    "headers",
    "auth",
)


@dataclass(frozen=True)
class Fault:
    """One named defect: ``name`` for ``--fault``, a one-line ``description``, its ``area``."""

    name: str
    description: str
    area: Area


_CATALOGUE: tuple[Fault, ...] = (
    # pagination
    Fault(
        "skip-off-by-one", "the page starts one campaign after the offset it echoes", "pagination"
    ),
    Fault(
        "has-more-always-true", "hasMore is true on every page, the last one included", "pagination"
    ),
    Fault(
        "total-results-page-count",
        "totalResults counts the campaigns on this page instead of all matches",
        "pagination",
    ),
    Fault(
        "total-results-ignores-filters",
        "totalResults and totalPages count every campaign of the type, ignoring the filters",
        "pagination",
    ),
    Fault("total-pages-floor", "totalPages rounds down (totalResults // limit)", "pagination"),
    Fault(
        "limit-ignored",
        "every page holds up to 25 campaigns whatever limit asks; data.limit echoes the request",
        "pagination",
    ),
    Fault(
        "page-ignored",
        "page is ignored: without skip every request gets the first page",
        "pagination",
    ),
    Fault(
        "duplicate-across-pages",
        "each page after the first repeats the last campaign of the page before",
        "pagination",
    ),
    Fault(
        "last-page-dropped",
        "a trailing partial page (after the first) comes back with no results",
        "pagination",
    ),
    # filters
    Fault("status-filter-ignored", "filters.status is not applied", "filters"),
    Fault(
        "priority-type-mismatch",
        "priority filter compares numbers with the stored strings, so it matches nothing",
        "filters",
    ),
    Fault(
        "dialing-mode-applied-to-sms",
        "filters.dialingMode is applied to SMS campaigns, which have none: the page is empty",
        "filters",
    ),
    Fault(
        "filter-first-value-only",
        "status, priority and dialingMode filters use only the first value of each array",
        "filters",
    ),
    Fault(
        "date-window-exclusive",
        "startDate and endDate exclude campaigns created exactly on the bound",
        "filters",
    ),
    Fault(
        "end-date-ignored", "endDate is not applied; only startDate bounds the window", "filters"
    ),
    Fault(
        "date-window-day-granularity",
        "the window compares whole days: start rounds down to midnight, end up to the day's end",
        "filters",
    ),
    Fault(
        "type-ignored", "type does not select: voice and SMS campaigns come back mixed", "filters"
    ),
    # sorting
    Fault("sort-desc-ignored", "every sort key is applied ascending, desc included", "sorting"),
    Fault("sort-wrong-field", "sortBy.updatedAt sorts by createdAt", "sorting"),
    Fault(
        "sort-keys-last-wins",
        "several sort keys apply in reverse: the last key written is the primary one",
        "sorting",
    ),
    Fault(
        "sort-unstable",
        "campaigns that tie on the sort keys come back in a random order on every request",
        "sorting",
    ),
    # schema / serialisation
    Fault(
        "priority-as-number", "priority is serialised as a number (5) instead of a string", "schema"
    ),
    Fault("id-missing", "campaigns come back without their identifier (_id / id)", "schema"),
    Fault(
        "created-at-not-iso",
        "createdAt is written like JavaScript's Date.toString(), not ISO 8601",
        "schema",
    ),
    Fault(
        "results-null-when-empty",
        "data.results is null instead of [] when nothing is on the page",
        "schema",
    ),
    Fault("limit-as-string", 'data.limit is serialised as a string ("10")', "schema"),
    Fault(
        "skip-echo-raw",
        'data.skip echoes the request\'s skip verbatim: "" for an empty string, null when absent',
        "schema",
    ),
    # status codes
    Fault(
        "server-error-on-bad-input", "invalid request bodies get 500 instead of 400", "status-codes"
    ),
    Fault(
        "invalid-enum-accepted",
        "values outside the enums (type, status, priority, dialingMode, sort) are ignored: 200",
        "status-codes",
    ),
    Fault(
        "empty-string-rejected",
        '"" for skip, page or limit (which the doc allows) is rejected with 400',
        "status-codes",
    ),
    Fault(
        "negative-skip-accepted",
        "a negative skip is accepted (200) instead of rejected",
        "status-codes",
    ),
    Fault(
        "missing-type-defaults-voice",
        "a body without type lists voice campaigns (200)",
        "status-codes",
    ),
    Fault(
        "error-status-200", "errors are answered with HTTP 200 and an error body", "status-codes"
    ),
    # headers
    Fault("content-type-html", "responses are labelled Content-Type: text/html", "headers"),
    Fault("content-type-missing", "responses carry no Content-Type header", "headers"),
    # auth
    Fault("auth-not-checked", "the auth header is not checked: any or no token is served", "auth"),
    Fault(
        "account-not-checked",
        "accountId / accountid are not checked: another or no account is served this one's data",
        "auth",
    ),
    Fault(
        "iid-not-checked", "the iid header is not checked against the app id in the path", "auth"
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
