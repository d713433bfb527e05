"""The catalogue of named faults the mock can be told to ship.

Each semantic fault is a defect a real implementation of getAllCampaignDetails could plausibly
have, and each is visible through the documented interface alone (status codes, headers and
bodies), so the contract suite can be measured by how many of them it catches. Each transport
fault misbehaves on the wire now and then (a reset, a short body, a 503 burst, a slow first
byte) so that a client's retries and patience can be tested; it names the behaviour it
exercises.

Every fault name is written once, as a member of :class:`FaultName`; the mock tests membership
with the members (``FaultName.SKIP_OFF_BY_ONE in faults``), so a misspelt name cannot run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, get_args

Area = Literal[
    "pagination", "filters", "sorting", "schema", "status-codes", "headers", "auth", "transport"
]
AREAS: tuple[Area, ...] = get_args(Area)
TRANSPORT: Area = "transport"


class FaultName(StrEnum):
    """The name of every fault; a member equals (and hashes like) its ``--fault`` string."""

    SKIP_OFF_BY_ONE = "skip-off-by-one"
    HAS_MORE_ALWAYS_TRUE = "has-more-always-true"
    TOTAL_RESULTS_PAGE_COUNT = "total-results-page-count"
    TOTAL_RESULTS_IGNORES_FILTERS = "total-results-ignores-filters"
    TOTAL_PAGES_FLOOR = "total-pages-floor"
    LIMIT_IGNORED = "limit-ignored"
    PAGE_IGNORED = "page-ignored"
    DUPLICATE_ACROSS_PAGES = "duplicate-across-pages"
    LAST_PAGE_DROPPED = "last-page-dropped"
    SERVER_ERROR_ABOVE_LIMIT = "server-error-above-limit"
    HAS_MORE_OFF_BY_ONE = "has-more-off-by-one"
    PAGE_SIZE_OFF_BY_ONE = "page-size-off-by-one"
    STATUS_FILTER_IGNORED = "status-filter-ignored"
    PRIORITY_FILTER_IGNORED = "priority-filter-ignored"
    DIALING_MODE_FILTER_IGNORED = "dialing-mode-filter-ignored"
    PRIORITY_TYPE_MISMATCH = "priority-type-mismatch"
    DIALING_MODE_APPLIED_TO_SMS = "dialing-mode-applied-to-sms"
    FILTER_FIRST_VALUE_ONLY = "filter-first-value-only"
    END_DATE_IGNORED = "end-date-ignored"
    DATE_WINDOW_DAY_GRANULARITY = "date-window-day-granularity"
    TYPE_IGNORED = "type-ignored"
    SORT_DESC_IGNORED = "sort-desc-ignored"
    SORT_ASC_IGNORED = "sort-asc-ignored"
    SORT_WRONG_FIELD = "sort-wrong-field"
    SORT_NAMES_IGNORE_NUMBERS = "sort-names-ignore-numbers"
    SORT_UNSTABLE = "sort-unstable"
    PRIORITY_AS_NUMBER = "priority-as-number"
    ID_MISSING = "id-missing"
    CREATED_AT_NOT_ISO = "created-at-not-iso"
    RESULTS_NULL_WHEN_EMPTY = "results-null-when-empty"
    LIMIT_AS_STRING = "limit-as-string"
    SKIP_ECHO_RAW = "skip-echo-raw"
    SERVER_ERROR_ON_BAD_INPUT = "server-error-on-bad-input"
    INVALID_ENUM_ACCEPTED = "invalid-enum-accepted"
    EMPTY_STRING_REJECTED = "empty-string-rejected"
    NEGATIVE_SKIP_ACCEPTED = "negative-skip-accepted"
    MISSING_TYPE_DEFAULTS_VOICE = "missing-type-defaults-voice"
    ERROR_STATUS_200 = "error-status-200"
    CONTENT_TYPE_HTML = "content-type-html"
    CONTENT_TYPE_MISSING = "content-type-missing"
    AUTH_NOT_CHECKED = "auth-not-checked"
    ACCOUNT_NOT_CHECKED = "account-not-checked"
    IID_NOT_CHECKED = "iid-not-checked"
    CONNECTION_RESET_MID_BODY = "connection-reset-mid-body"
    TRUNCATED_BODY = "truncated-body"
    SERVICE_UNAVAILABLE_BURSTS = "service-unavailable-bursts"
    SLOW_FIRST_BYTE = "slow-first-byte"


F = FaultName


@dataclass(frozen=True)
class Fault:
    """One named defect: ``name`` for ``--fault``, a one-line ``description``, its ``area``, and
    for a transport fault the check or client behaviour it ``exercises``."""

    name: FaultName
    description: str
    area: Area
    exercises: str = ""

    @property
    def transport(self) -> bool:
        """True for a fault on the wire (the suite should ride it out, not fail)."""
        return self.area == TRANSPORT


def _area(area: Area, *faults: tuple[FaultName, str]) -> tuple[Fault, ...]:
    """The ``(name, description)`` faults of one area."""
    return tuple(Fault(name, description, area) for name, description in faults)


_CATALOGUE: tuple[Fault, ...] = (
    *_area(
        "pagination",
        (F.SKIP_OFF_BY_ONE, "the page starts one campaign after the offset it echoes"),
        (F.HAS_MORE_ALWAYS_TRUE, "hasMore is true on every page, the last one included"),
        (
            F.TOTAL_RESULTS_PAGE_COUNT,
            "totalResults counts the campaigns on this page instead of all matches",
        ),
        (
            F.TOTAL_RESULTS_IGNORES_FILTERS,
            "totalResults and totalPages count every campaign of the type, ignoring the filters",
        ),
        (F.TOTAL_PAGES_FLOOR, "totalPages rounds down (totalResults // limit)"),
        (
            F.LIMIT_IGNORED,
            "every page holds up to 25 campaigns whatever limit asks; "
            "data.limit echoes the request",
        ),
        (F.PAGE_IGNORED, "page is ignored: without skip every request gets the first page"),
        (
            F.DUPLICATE_ACROSS_PAGES,
            "each page after the first repeats the last campaign of the page before",
        ),
        (
            F.LAST_PAGE_DROPPED,
            "a trailing partial page (after the first) comes back with no results",
        ),
        (
            F.SERVER_ERROR_ABOVE_LIMIT,
            "a limit above 1000, which the page allows, is answered with HTTP 500",
        ),
        (
            F.HAS_MORE_OFF_BY_ONE,
            "hasMore is false when exactly one matching campaign remains after the page",
        ),
        (
            F.PAGE_SIZE_OFF_BY_ONE,
            "every page holds one campaign more than limit; data.limit echoes the request",
        ),
    ),
    *_area(
        "filters",
        (F.STATUS_FILTER_IGNORED, "filters.status is not applied"),
        (F.PRIORITY_FILTER_IGNORED, "filters.priority is not applied: every priority comes back"),
        (
            F.DIALING_MODE_FILTER_IGNORED,
            "filters.dialingMode is not applied to voice campaigns",
        ),
        (
            F.PRIORITY_TYPE_MISMATCH,
            "priority filter compares numbers with the stored strings, so it matches nothing",
        ),
        (
            F.DIALING_MODE_APPLIED_TO_SMS,
            "filters.dialingMode is applied to SMS campaigns, which have none: the page is empty",
        ),
        (
            F.FILTER_FIRST_VALUE_ONLY,
            "status, priority and dialingMode filters use only the first value of each array",
        ),
        (F.END_DATE_IGNORED, "endDate is not applied; only startDate bounds the window"),
        (
            F.DATE_WINDOW_DAY_GRANULARITY,
            "the window compares whole days: start rounds down to midnight, "
            "end up to the day's end",
        ),
        (F.TYPE_IGNORED, "type does not select: voice and SMS campaigns come back mixed"),
    ),
    *_area(
        "sorting",
        (F.SORT_DESC_IGNORED, "every sort key is applied ascending, desc included"),
        (F.SORT_ASC_IGNORED, "every sort key is applied descending, asc included"),
        (F.SORT_WRONG_FIELD, "sortBy.updatedAt sorts by createdAt"),
        (
            F.SORT_NAMES_IGNORE_NUMBERS,
            "sortBy.name compares names with their digits removed: Campaign37 and Campaign35 "
            "tie and come back in id order",
        ),
        (
            F.SORT_UNSTABLE,
            "campaigns that tie on the sort keys come back in a random order on every request",
        ),
    ),
    *_area(
        "schema",
        (F.PRIORITY_AS_NUMBER, "priority is serialised as a number (5) instead of a string"),
        (F.ID_MISSING, "campaigns come back without their identifier (_id / id)"),
        (
            F.CREATED_AT_NOT_ISO,
            "createdAt is written like JavaScript's Date.toString(), not ISO 8601",
        ),
        (
            F.RESULTS_NULL_WHEN_EMPTY,
            "data.results is null instead of [] when nothing is on the page",
        ),
        (F.LIMIT_AS_STRING, 'data.limit is serialised as a string ("10")'),
        (
            F.SKIP_ECHO_RAW,
            'data.skip echoes the request\'s skip verbatim: "" for an empty string, '
            "null when absent",
        ),
    ),
    *_area(
        "status-codes",
        (F.SERVER_ERROR_ON_BAD_INPUT, "invalid request bodies get 500 instead of 400"),
        (
            F.INVALID_ENUM_ACCEPTED,
            "values outside the enums (type, status, priority, dialingMode, sort) are ignored: 200",
        ),
        (
            F.EMPTY_STRING_REJECTED,
            '"" for skip, page or limit (which the doc allows) is rejected with 400',
        ),
        (F.NEGATIVE_SKIP_ACCEPTED, "a negative skip is accepted (200) instead of rejected"),
        (F.MISSING_TYPE_DEFAULTS_VOICE, "a body without type lists voice campaigns (200)"),
        (F.ERROR_STATUS_200, "errors are answered with HTTP 200 and a body saying success"),
    ),
    *_area(
        "headers",
        (F.CONTENT_TYPE_HTML, "responses are labelled Content-Type: text/html"),
        (F.CONTENT_TYPE_MISSING, "responses carry no Content-Type header"),
    ),
    *_area(
        "auth",
        (F.AUTH_NOT_CHECKED, "the auth header is not checked: any or no token is served"),
        (
            F.ACCOUNT_NOT_CHECKED,
            "the account named by accountId / accountid selects the data unchecked: "
            "another account id is served that account's campaigns",
        ),
        (
            F.IID_NOT_CHECKED,
            "the iid header selects the application's data unchecked: "
            "another app id in iid is served that app's campaigns",
        ),
    ),
    Fault(
        F.CONNECTION_RESET_MID_BODY,
        "one answer in 5: the headers and half the body, then a TCP reset",
        TRANSPORT,
        "the client's retry of a connection error, with backoff",
    ),
    Fault(
        F.TRUNCATED_BODY,
        "one answer in 5: Content-Length announces the whole body, half of it comes, "
        "then the connection closes",
        TRANSPORT,
        "the client's refusal to judge half a body, and its retry",
    ),
    Fault(
        F.SERVICE_UNAVAILABLE_BURSTS,
        "one request in 20 starts a burst: it and the next answer 503 with Retry-After: 1",
        TRANSPORT,
        "the client's retry honouring Retry-After; throttling reported, never a failure",
    ),
    Fault(
        F.SLOW_FIRST_BYTE,
        "one answer in 10 waits 2 s before its first byte",
        TRANSPORT,
        "the client's read timeout: a slow answer is waited for, not failed",
    ),
)

FAULTS: Mapping[str, Fault] = MappingProxyType({fault.name: fault for fault in _CATALOGUE})
"""Every named fault, by name, grouped by area in catalogue order."""

if set(FAULTS) != set(FaultName):  # pragma: no cover - a fault added to one place only
    raise RuntimeError(f"faults without a catalogue entry: {sorted(set(FaultName) - set(FAULTS))}")


def fault_names() -> list[str]:
    """The names of every fault, in catalogue order."""
    return [str(name) for name in FAULTS]


def semantic_fault_names() -> list[str]:
    """The faults the contract suite must catch (every one but the transport faults)."""
    return [str(fault.name) for fault in FAULTS.values() if not fault.transport]


class UnknownFaultError(ValueError):
    """A fault name that is not in :data:`FAULTS`."""


def check_faults(names: Iterable[str]) -> frozenset[FaultName]:
    """``names`` as a frozenset of members, or :class:`UnknownFaultError` naming the first
    unknown one."""
    chosen = frozenset(str(name) for name in names)
    unknown = sorted(chosen - FAULTS.keys())
    if unknown:
        raise UnknownFaultError(
            f"unknown fault {unknown[0]!r}; `campaign-contract mock --list-faults` lists them"
        )
    return frozenset(FaultName(name) for name in chosen)
