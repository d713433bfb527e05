"""Names with numbers (S-07): a pair is judged wherever every accepted collation agrees on it."""

from __future__ import annotations

import random
from typing import Any

import pytest
from campaign_contract.oracles import check_crawl, check_pair
from campaign_contract.oracles._sorting import (
    agreed_order,
    agreement_keys,
    digit_reading,
    sort_breaks,
    sort_spec,
    undecided_names,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle_samples import crawl, page, ts, voice

ASC = {"type": "voice", "sortBy": {"name": "asc"}}
DESC = {"type": "voice", "sortBy": {"name": "desc"}}
PAGE_SAMPLES = (
    "Billing Alert Template Campaign-21",
    "Billing Reminder Voice Campaign123",
    "Billing Reminder Voice Campaign61",
)


def named(*names: str) -> list[dict[str, Any]]:
    return [voice(i, ts(1), name=name) for i, name in enumerate(names)]


def sort_failures(request: Any, names: list[str]) -> list[str]:
    return [v.message for v in check_pair(request, page(named(*names)), checks=["sort-order"])]


def test_equal_length_digit_runs_out_of_order_are_caught() -> None:
    assert agreed_order("Campaign-141", "Campaign-186") == -1
    assert sort_failures(ASC, ["Campaign-186", "Campaign-141"])
    assert sort_failures(DESC, ["Campaign-141", "Campaign-186"])
    assert sort_failures(ASC, ["Renewals Q37 b", "Renewals Q35 a"])
    assert not sort_failures(ASC, ["Campaign-141", "Campaign-186"])


def test_digit_runs_of_other_lengths_are_accepted_in_either_order() -> None:
    assert undecided_names("Campaign 9", "Campaign 10")
    for names in (["Campaign 9", "Campaign 10"], ["Campaign 10", "Campaign 9"]):
        assert not sort_failures(ASC, names)
        assert not sort_failures(DESC, names[::-1])


def test_the_pages_own_sample_names_pass_in_every_reading() -> None:
    numeric = list(PAGE_SAMPLES)
    code_point = [PAGE_SAMPLES[0], PAGE_SAMPLES[1], PAGE_SAMPLES[2]]
    natural = [PAGE_SAMPLES[0], PAGE_SAMPLES[2], PAGE_SAMPLES[1]]
    for names in (numeric, code_point, natural):
        assert not sort_failures(ASC, names)
        assert not sort_failures(DESC, names[::-1])
    assert sort_failures(ASC, [PAGE_SAMPLES[1], PAGE_SAMPLES[0]])


NAME_CHARS = st.sampled_from("aAbBcCzZ019 -_.éÉÅß")
NAMES = st.lists(
    st.one_of(
        st.text(NAME_CHARS, min_size=1, max_size=6),
        st.builds(
            lambda base, n, sep: f"{base}{sep}{n}",
            st.sampled_from(["Campaign", "campaign", "Billing Reminder", "Étude"]),
            st.integers(0, 1200),
            st.sampled_from(["", " ", "-"]),
        ),
    ),
    min_size=2,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(NAMES, st.integers(0, len(agreement_keys()) - 1), st.randoms(use_true_random=False))
def test_names_sorted_by_any_accepted_collation_raise_no_false_alarm(
    names: list[str], which: int, rng: random.Random
) -> None:
    key = agreement_keys()[which]
    rng.shuffle(names)  # the order among ties is the server's
    ordered = sorted(names, key=key)
    items = named(*ordered)
    assert check_pair(ASC, page(items), checks=["sort-order"]) == []
    assert check_pair(DESC, page(items[::-1]), checks=["sort-order"]) == []
    assert check_crawl(ASC, crawl(items, 4)) == []


def test_which_reading_of_numbers_a_listing_follows_is_told_apart() -> None:

    assert digit_reading(["Campaign 9", "Campaign 10"]) == "numeric"
    assert digit_reading(["Campaign 10", "Campaign 9"]) == "code point"
    assert digit_reading(["Campaign 10", "Campaign 9", "X 2", "X 11"]) == "mixed"
    assert digit_reading(["Campaign-141", "Campaign-186"]) is None


DANISH = (
    "Aalborg kampagne",
    "Aarhus opkald",
    "Zealand calls",
    "Billing reminder",
    "Kaare outreach",
    "Kabel outreach",
    "Maaned rapport 2",
    "Mandag rapport 10",
    "Mandag rapport 9",
    "Abe campaign",
)


@pytest.mark.parametrize(
    ("locale", "names"),
    [
        ("da", DANISH),  # aa sorts as å, after z
        ("cs", ("Chata", "Hrad", "Cibule", "Dum", "Ivan", "chyba", "Hora")),  # ch after h
        ("et", ("Zeta", "Sara", "Tango", "Ruut")),  # z between s and t
    ],
)
def test_names_in_a_locales_tailored_order_raise_no_false_alarm(
    locale: str, names: tuple[str, ...]
) -> None:
    """MongoDB's ``{locale: …}`` and ``Intl.Collator(locale)`` order names by a locale's own
    collation: a reading S-07 allows, accepted over whole pages and crawls."""
    icu = pytest.importorskip("icu")
    collator = icu.Collator.createInstance(icu.Locale(locale))
    items = named(*sorted(names, key=collator.getSortKey))
    assert check_pair(ASC, page(items), checks=["sort-order"]) == []
    assert check_pair(DESC, page(items[::-1]), checks=["sort-order"]) == []
    assert check_crawl(ASC, crawl(items, 3)) == []
    label = sort_breaks(items, sort_spec(ASC))[0].label
    assert label.startswith("ICU ")


def test_a_locales_order_does_not_excuse_names_out_of_every_order() -> None:
    pytest.importorskip("icu")
    assert sort_failures(ASC, ["Zealand calls", "Billing reminder", "Abe campaign"])
    # Danish puts "Aarhus" after "Zealand", but no collation puts "Abe" there
    assert sort_failures(ASC, ["Zealand calls", "Abe campaign", "Aarhus opkald"])
    assert not sort_failures(ASC, ["Zealand calls", "Aarhus opkald"])


def test_a_break_decided_before_the_names_is_not_retried_under_every_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A break on a key that comes before the name key holds under every collation, so the
    locales' orders are not tried; a break on the names still is, and excused by Danish."""
    pytest.importorskip("icu")
    from campaign_contract.oracles import _sorting

    tried: list[int] = []
    real = _sorting.tailored_collations
    monkeypatch.setattr(_sorting, "tailored_collations", lambda: tried.append(1) or real())
    items = named("Zealand calls", "Aarhus opkald")
    items[0]["createdAt"], items[1]["createdAt"] = ts(2), ts(1)
    by_date_then_name = sort_spec({"sortBy": {"createdAt": "asc", "name": "asc"}})
    collation, breaks = sort_breaks(items, by_date_then_name)
    assert [(b.index, b.field) for b in breaks] == [(1, "createdAt")] and tried == []
    by_name_then_date = sort_spec({"sortBy": {"name": "asc", "createdAt": "asc"}})
    collation, breaks = sort_breaks(items, by_name_then_date)
    assert breaks == [] and collation.label.startswith("ICU ") and tried == [1]


def test_only_short_strings_are_remembered() -> None:
    from campaign_contract.oracles._common import remembered_when_short

    calls: list[str] = []

    def slow(text: str) -> int:
        calls.append(text)
        return len(text)

    lookup = remembered_when_short(slow, longest=4, maxsize=8)
    assert [lookup("name"), lookup("name"), lookup("longer"), lookup("longer")] == [4, 4, 6, 6]
    assert calls == ["name", "longer", "longer"]
