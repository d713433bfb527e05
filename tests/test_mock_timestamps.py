"""The mock's timestamps: the fast paths for the form it writes agree with ``datetime``."""

from __future__ import annotations

from datetime import timedelta

from campaign_contract.mock._timestamps import (
    _EPOCH,
    NS_PER_MS,
    format_iso,
    parse_any_iso,
    parse_iso,
)
from hypothesis import given
from hypothesis import strategies as st

# From year 1 to year 9999, as datetime allows.
NANOSECONDS = st.integers(-62_135_596_800 * 10**9, 253_402_300_799 * 10**9)


@given(NANOSECONDS)
def test_format_iso_writes_what_datetime_writes(ns: int) -> None:
    moment = _EPOCH + timedelta(microseconds=ns // 1000)
    day = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    clock = moment.strftime("%H:%M:%S")
    assert format_iso(ns) == f"{day}T{clock}.{ns // NS_PER_MS % 1000:03d}Z"


@given(NANOSECONDS)
def test_what_format_iso_writes_reads_back_to_the_millisecond(ns: int) -> None:
    assert parse_iso(format_iso(ns)) == ns - ns % NS_PER_MS


@given(
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z", fullmatch=True
    )
)
def test_the_fast_reading_of_the_written_form_agrees_with_datetime(text: str) -> None:
    # Out-of-range months, days, hours, minutes and seconds are drawn too: both refuse them.
    assert parse_iso(text) == parse_any_iso(text)


def test_impossible_dates_and_times_in_the_written_form_are_refused() -> None:
    for text in (
        "2025-02-29T00:00:00.000Z",
        "2025-13-01T00:00:00.000Z",
        "2025-01-01T24:00:00.000Z",
        "2025-01-01T23:60:00.000Z",
        "2025-01-01T23:00:60.000Z",
        "0000-01-01T00:00:00.000Z",
    ):
        assert parse_iso(text) is None
    assert parse_iso("2024-02-29T23:59:59.999Z") == parse_any_iso("2024-02-29T23:59:59.999Z")
