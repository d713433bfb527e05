"""Hypothesis strategies for documented-valid and data-aware request bodies.

Enums, minima and field names come from the request schema (:mod:`._request_model`), so a
schema change flows into generation. Values the page leaves ambiguous are never generated:
``page``/``limit`` 0 and fractions (S-20), ``Agentless`` filters (S-04), unknown top-level
fields (S-21), ``null``; dialingMode goes to voice requests only unless asked for (S-23).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from hypothesis import strategies as st

from campaign_contract.generation._model import (
    MAX_LIMIT,
    MAX_PAGE,
    MAX_SKIP,
    CountField,
    request_model,
)

START, END = "startDate", "endDate"
EARLIEST = datetime(2020, 1, 1)
LATEST = datetime(2030, 12, 31, 23, 59, 59)
Body = dict[str, Any]
T = TypeVar("T")


def _types(campaign_type: str | None) -> st.SearchStrategy[str]:
    types = request_model().types
    if campaign_type is None:
        return st.sampled_from(types)
    if campaign_type not in types:
        raise ValueError(f"campaign type must be one of {', '.join(types)}, not {campaign_type!r}")
    return st.just(campaign_type)


def format_timestamp(moment: datetime, *, millis: bool = True) -> str:
    """``moment`` (naive = UTC) as the page writes timestamps: ``2025-12-01T00:00:00.000Z``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{moment.microsecond // 1000:03d}Z" if millis else f"{text}Z"


def count_values(field: CountField, upper: int) -> st.SearchStrategy[int | str]:
    """Whole numbers from the field's minimum to ``upper``, and now and then its blank."""
    numbers: st.SearchStrategy[int | str] = st.integers(field.minimum, max(field.minimum, upper))
    if field.blank is None:
        return numbers
    return st.one_of(numbers, numbers, numbers, st.just(field.blank))


@functools.cache
def sort_specs(min_keys: int = 1) -> st.SearchStrategy[dict[str, str]]:
    """``min_keys`` or more sort keys in random order, each with a direction (built once: a
    strategy is validated each time it is built).

    Drawn as two whole numbers: how many keys, then which of the orders of that many keys, each
    with its directions, it is (3 keys in 2 directions: 6, 24 or 48 of them). A list unique by
    key would make hypothesis filter its draws, and a permutation with a direction for each key
    takes several choices more. It shrinks towards the first key alone, ascending.
    """
    model = request_model()
    keys, directions = model.sort_keys, tuple(model.directions)
    return st.integers(min_keys, len(keys)).flatmap(
        lambda count: _sorts_of(keys, directions, count)
    )


@functools.cache
def _sorts_of(
    keys: tuple[str, ...], directions: tuple[str, ...], count: int
) -> st.SearchStrategy[dict[str, str]]:
    orders = tuple(
        tuple(zip(order, chosen, strict=True))
        for order in itertools.permutations(keys, count)
        for chosen in itertools.product(directions, repeat=count)
    )
    return st.integers(0, len(orders) - 1).map(lambda index: dict(orders[index]))


def filter_values(name: str, *, empty: bool = False) -> st.SearchStrategy[list[Any]]:
    """A subset of the filter's allowed values, without repeats (``[]`` only if ``empty``).

    The subset is drawn as one whole number, its bits saying which values are in, and given
    in an order drawn as a second number (a rotation): two choices, where a list would make
    hypothesis draw two for each value. It shrinks towards the first value alone (towards
    ``[]`` when ``empty``).
    """
    values = tuple(request_model().filters[name])
    if not values:
        return st.just([])
    return st.tuples(
        st.integers(0 if empty else 1, 2 ** len(values) - 1), st.integers(0, len(values) - 1)
    ).map(lambda drawn: _subset(values, *drawn))


def _subset(values: tuple[Any, ...], bits: int, turn: int) -> list[Any]:
    chosen = [value for index, value in enumerate(values) if bits >> index & 1]
    turn %= max(1, len(chosen))
    return chosen[turn:] + chosen[:turn]


def filter_specs(
    campaign_type: str, *, sms_dialing_mode: bool = False, empty_filters: bool = False
) -> st.SearchStrategy[dict[str, list[Any]]]:
    """A ``filters`` object: any subset of the filters that apply to ``campaign_type``."""
    names = request_model().filters_for(campaign_type, voice_only_for_sms=sms_dialing_mode)
    optional = {name: filter_values(name, empty=empty_filters) for name in names}
    return some_fields({}, optional)


def some_fields(
    fixed: Mapping[str, Any], optional: Mapping[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """``fixed`` with any subset of ``optional``'s fields, in ``optional``'s order.

    Which fields are present is one whole number drawn, its bits saying which; then each
    present field's value is drawn. ``st.fixed_dictionaries(optional=…)`` draws two choices
    for each field it keeps and shuffles the keys with more, at twice the cost of a body's
    other draws. It shrinks towards ``fixed`` alone.
    """
    names = tuple(optional)

    @functools.cache
    def present(mask: int) -> st.SearchStrategy[dict[str, Any]]:
        chosen = tuple(name for index, name in enumerate(names) if mask >> index & 1)
        values = st.tuples(*[optional[name] for name in chosen])
        return values.map(lambda drawn: {**fixed, **dict(zip(chosen, drawn, strict=True))})

    return st.integers(0, 2 ** len(names) - 1).flatmap(present)


SPAN_MS = (LATEST - EARLIEST) // timedelta(milliseconds=1)


def timestamps() -> st.SearchStrategy[datetime]:
    """Moments between 2020 and 2030, to the millisecond: one whole number of milliseconds
    drawn (``st.datetimes`` draws each of a moment's seven parts)."""
    return st.integers(0, SPAN_MS).map(lambda ms: EARLIEST + timedelta(milliseconds=ms))


WINDOW_KEYS = ("", START, END, START + END)
"""Which bounds a window has: neither, either or both."""


@functools.cache
def _window_for(which: str) -> st.SearchStrategy[dict[str, str]]:
    moments = st.tuples(*[timestamps()] * (2 if which == START + END else 1 if which else 0))
    return st.tuples(moments, st.booleans()).map(lambda drawn: _window(which, *drawn))


def _window(which: str, moments: tuple[datetime, ...], millis: bool) -> dict[str, str]:
    texts = [format_timestamp(moment, millis=millis) for moment in sorted(moments)]
    bounds = [key for key in (START, END) if key in which]
    return dict(zip(bounds, texts, strict=True))


@functools.cache
def date_windows() -> st.SearchStrategy[dict[str, str]]:
    """``startDate``/``endDate`` (either, both or neither) with ``startDate <= endDate``; a
    moment is drawn only for a bound the window has."""
    return st.integers(0, len(WINDOW_KEYS) - 1).flatmap(lambda i: _window_for(WINDOW_KEYS[i]))


def _merge(parts: tuple[Body, dict[str, str]]) -> Body:
    body, window = parts
    return {**body, **window}


@functools.cache
def _valid_for(campaign_type: str, sms_dialing_mode: bool, empty_filters: bool) -> Any:
    model = request_model()
    uppers = {"skip": MAX_SKIP, "page": MAX_PAGE, "limit": MAX_LIMIT}
    optional: dict[str, st.SearchStrategy[Any]] = {
        name: count_values(field, uppers.get(name, MAX_PAGE))
        for name, field in model.counts.items()
    }
    optional["sortBy"] = sort_specs()
    optional["filters"] = filter_specs(
        campaign_type, sms_dialing_mode=sms_dialing_mode, empty_filters=empty_filters
    )
    return st.tuples(some_fields({"type": campaign_type}, optional), date_windows()).map(_merge)


def valid_requests(
    campaign_type: str | None = None,
    *,
    sms_dialing_mode: bool = False,
    empty_filters: bool = False,
) -> st.SearchStrategy[Body]:
    """Documented-valid request bodies for ``campaign_type`` (both types when ``None``).

    Any subset of the optional fields; ``""`` for skip/page/limit now and then; filters with
    subsets of their allowed values; one or more sort keys in random order; date windows with
    ``startDate <= endDate``. ``sms_dialing_mode`` also puts dialingMode filters on SMS
    requests (S-23); ``empty_filters`` allows ``[]`` filter arrays (S-22).
    """
    return _types(campaign_type).flatmap(
        lambda kind: _valid_for(kind, sms_dialing_mode, empty_filters)
    )


@dataclass(frozen=True)
class _Anchor:
    """One returned campaign: the filter values it would match and its creation time."""

    values: Mapping[str, Any]
    created: tuple[datetime, str] | None


def _parse_moment(text: Any) -> datetime | None:
    if not isinstance(text, str) or "T" not in text or not request_model().date_pattern.match(text):
        return None  # a date without a time would make an inclusive endDate ambiguous
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _filter_value(name: str, campaign: Mapping[str, Any]) -> Any:
    """The allowed filter value ``campaign`` carries for ``name`` (priority "5" → 5), else None."""
    raw = campaign.get(name)
    if raw is None or isinstance(raw, bool | dict | list):
        return None
    for allowed in request_model().filters[name]:
        if str(allowed) == str(raw):
            return allowed
    return None


def _anchors(campaigns: Sequence[Any], names: Sequence[str]) -> list[_Anchor]:
    anchors = []
    for campaign in campaigns:
        if not isinstance(campaign, Mapping):
            continue
        values = {n: v for n in names if (v := _filter_value(n, campaign)) is not None}
        moment = _parse_moment(campaign.get("createdAt"))
        created = (moment, str(campaign["createdAt"])) if moment is not None else None
        anchors.append(_Anchor(values, created))
    return anchors


@functools.lru_cache(maxsize=512)
def sampled(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """``st.sampled_from(values)``, built once for each tuple of values: a check drawing from
    the same few choices in every example does not have hypothesis validate a new strategy
    each time."""
    return st.sampled_from(values)


def _pick(draw: st.DrawFn, values: Sequence[T]) -> T:
    """One of ``values``, drawn by its index. ``st.integers`` is cached by its bounds, so the
    strategy is built and validated once per length, where a ``sampled_from`` of the values
    would be built and validated anew in every example."""
    return values[draw(st.integers(0, len(values) - 1))]


def _some(draw: st.DrawFn, values: Sequence[T], *, min_size: int = 0) -> list[T]:
    """Distinct ``values`` in the order drawn (at least ``min_size``), drawn by index as in
    :func:`_pick`."""
    indexes = st.lists(st.integers(0, len(values) - 1), unique=True, min_size=min_size)
    return [values[i] for i in draw(indexes)]


@st.composite
def _data_aware(
    draw: st.DrawFn,
    campaign_type: str,
    anchors: Sequence[_Anchor],
    pools: Mapping[str, Sequence[Any]],
    created: Sequence[tuple[datetime, str]],
) -> Body:
    anchor = _pick(draw, anchors)
    available = sorted(anchor.values) + (["window"] if anchor.created else [])
    chosen = _some(draw, available, min_size=1) if available else []
    body: Body = {"type": campaign_type}
    filters: dict[str, list[Any]] = {}
    for name in chosen:
        if name == "window" and anchor.created is not None:
            moment = anchor.created[0]
            starts = [text for when, text in created if when <= moment]
            ends = [text for when, text in created if when >= moment]
            which = _pick(draw, (START, END, START + END))
            if START in which:
                body[START] = _pick(draw, starts)
            if END in which:
                body[END] = _pick(draw, ends)
        elif name != "window":
            value = anchor.values[name]
            others = [v for v in pools[name] if v != value]
            extra = _some(draw, others) if others else []
            # the anchor's own value at a drawn place among the others
            filters[name] = [*extra]
            filters[name].insert(draw(st.integers(0, len(extra))), value)
    if filters:
        body["filters"] = filters
    if draw(st.booleans()):
        body["sortBy"] = draw(sort_specs())
    if draw(st.booleans()):
        body["limit"] = draw(st.integers(request_model().counts["limit"].minimum, MAX_LIMIT))
    return body


def data_aware_requests(campaigns: Sequence[Any], campaign_type: str) -> st.SearchStrategy[Body]:
    """Valid bodies whose filters and date window select at least one of ``campaigns``.

    An anchor campaign is drawn; each chosen filter holds the anchor's own value plus other
    values present among ``campaigns``; window bounds are real ``createdAt`` values on either
    side of the anchor's (S-09: inclusive, by ``createdAt``). Only allowed filter values are
    used (never ``Agentless``, S-04); dialingMode only for voice (S-23).
    """
    _types(campaign_type)
    names = request_model().filters_for(campaign_type)
    anchors = _anchors(campaigns, names)
    if not anchors:
        raise ValueError(f"no {campaign_type} campaigns to draw filter values from")
    pools = {
        name: [
            v
            for v in request_model().filters[name]
            if any(a.values.get(name) == v for a in anchors)
        ]
        for name in names
    }
    created = sorted({a.created for a in anchors if a.created is not None})
    return _data_aware(campaign_type, anchors, pools, created)
