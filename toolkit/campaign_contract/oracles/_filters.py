"""Pair checks that every result is of the requested type and honours the request's filters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from campaign_contract.oracles._common import enumerate_results, instant, show, whole, window_bound
from campaign_contract.oracles._context import PairContext
from campaign_contract.oracles._registry import register
from campaign_contract.validation._validators import CampaignType, holds_none
from campaign_contract.validation._violations import Violation, pointer

_KIND_NAME = {"voice": "a voice", "sms": "an SMS"}

# Fields that tell a campaign's type (S-32): ``_ACCUSES`` are strong markers, enough to call a
# campaign of that type; ``_DEFENDS`` adds fields a campaign of that type may carry, which
# clear it. ``_id`` is neither (S-01): either type may use it. ``dialingMode`` may sit on an
# SMS campaign (S-32), so it only clears a voice one.
_ACCUSES: dict[CampaignType, frozenset[str]] = {
    "voice": frozenset({"connection", "isFiltersEnabled"}),
    "sms": frozenset({"format", "message", "experienceFlow"}),
}
_DEFENDS: dict[CampaignType, frozenset[str]] = {
    "voice": _ACCUSES["voice"] | {"dialingMode"},
    "sms": _ACCUSES["sms"] | {"totalMessagesSent", "campaignExecutionType"},
}
_OTHER: dict[CampaignType, CampaignType] = {"voice": "sms", "sms": "voice"}


@register("result-type", family="filters", kind="pair")
def check_result_type(ctx: PairContext) -> Iterator[Violation]:
    """Every result is a campaign of the requested type (else the given, else detected type).

    A result is of the other type only when it carries a strong marker of that type and no
    field of the expected one (S-32): ``connection``/``isFiltersEnabled`` for voice;
    ``format``, ``message``, ``experienceFlow``, ``totalMessagesSent``,
    ``campaignExecutionType`` for SMS.
    """
    expected = ctx.campaign_type
    if expected is None:
        return
    other = _OTHER[expected]
    accuses, defends = _ACCUSES[other], _DEFENDS[expected]
    if set(map(type, ctx.results)) <= {dict} and holds_none(ctx.results, accuses):
        return  # no result carries a marker of the other type (C-level passes: every page)
    for index, item in enumerate_results(ctx.response):
        if accuses.isdisjoint(item) or not defends.isdisjoint(item):
            continue
        telling = sorted(accuses.intersection(item))
        yield Violation(
            pointer("data", "results", index),
            f"type {expected!r} {ctx.type_source}; result is {_KIND_NAME[other]} campaign "
            f"(has {', '.join(telling)} and nothing of {_KIND_NAME[expected]} campaign)",
        )


def _string_filter(ctx: PairContext, name: str) -> list[str] | None:
    """A non-empty filter of strings; ``None`` for absent, empty (S-22) or unreadable."""
    values = ctx.filters.get(name)
    if not isinstance(values, list) or not values:
        return None
    if not all(isinstance(value, str) for value in values):
        return None
    return values


def _membership(ctx: PairContext, name: str) -> Iterator[Violation]:
    wanted = _string_filter(ctx, name)
    if wanted is None:
        return
    for index, item in enumerate_results(ctx.response):
        value = item.get(name)
        if isinstance(value, str) and value not in wanted:
            yield Violation(
                pointer("data", "results", index, name),
                f"filters.{name} asked for {show(wanted)}; result has {name} {show(value)}",
            )


@register("filter-status", family="filters", kind="pair")
def check_filter_status(ctx: PairContext) -> Iterator[Violation]:
    """Every result's status is one of ``filters.status`` (an empty list filters nothing)."""
    yield from _membership(ctx, "status")


def _priorities(ctx: PairContext) -> list[int] | None:
    values = ctx.filters.get("priority")
    if not isinstance(values, list) or not values:
        return None
    wanted = []
    for value in values:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        number = whole(value)
        if number is None:
            return None
        wanted.append(number)
    return wanted


@register("filter-priority", family="filters", kind="pair")
def check_filter_priority(ctx: PairContext) -> Iterator[Violation]:
    """Every result's priority matches ``filters.priority``: the string ``str(p)`` (S-02).

    A number where the string belongs is the schema's concern; here it matches by value.
    """
    wanted = _priorities(ctx)
    if wanted is None:
        return
    texts = {str(p) for p in wanted}
    for index, item in enumerate_results(ctx.response):
        value = item.get("priority")
        if isinstance(value, str):
            matches = value in texts
        elif whole(value) is not None or isinstance(value, float):
            matches = value in wanted
        else:
            continue
        if not matches:
            yield Violation(
                pointer("data", "results", index, "priority"),
                f"filters.priority asked for {show(wanted)}; result has priority {show(value)}",
            )


@register("filter-dialing-mode", family="filters", kind="pair")
def check_filter_dialing_mode(ctx: PairContext) -> Iterator[Violation]:
    """Voice only: every result's dialingMode is one of ``filters.dialingMode`` (S-23)."""
    if ctx.campaign_type != "voice":
        return
    yield from _membership(ctx, "dialingMode")


_OTHER_TIMES = ("updatedAt", "campaignInstanceUpdatedAt")


@register("filter-date-window", family="filters", kind="pair")
def check_filter_date_window(ctx: PairContext) -> Iterator[Violation]:
    """Every result's createdAt lies within [startDate, endDate], both inclusive (S-09).

    Outside by createdAt but inside by updatedAt or campaignInstanceUpdatedAt is a warning
    (another timestamp may be the one filtered); outside by all of them is an error.
    """
    start_text, end_text = ctx.request.get("startDate"), ctx.request.get("endDate")
    start = window_bound(start_text, upper=False)
    end = window_bound(end_text, upper=True)
    if start is None and end is None:
        return
    asked = f"startDate {show(start_text) if start is not None else '(none)'}, endDate " + (
        show(end_text) if end is not None else "(none)"
    )

    def inside(moment: int) -> bool:
        return (start is None or moment >= start) and (end is None or moment <= end)

    for index, item in enumerate_results(ctx.response):
        created_text = item.get("createdAt")
        created = instant(created_text)
        if created is None or inside(created):
            continue
        side = "before startDate" if start is not None and created < start else "after endDate"
        others = [name for name in _OTHER_TIMES if _inside_at(item.get(name), inside)]
        if others:
            yield Violation(
                pointer("data", "results", index, "createdAt"),
                f"{asked} asked; createdAt {show(created_text)} is {side}, though "
                f"{' and '.join(others)} {'is' if len(others) == 1 else 'are'} inside",
                severity="warning",
            )
        else:
            yield Violation(
                pointer("data", "results", index, "createdAt"),
                f"{asked} asked; createdAt {show(created_text)} is {side} "
                "(and no other timestamp of the campaign is inside)",
            )


def _inside_at(value: Any, inside: Callable[[int], bool]) -> bool:
    moment = instant(value)
    return moment is not None and inside(moment)
