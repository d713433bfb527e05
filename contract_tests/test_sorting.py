"""Sorting: every key and direction, several keys, reversal, and identical answers to
identical requests."""

from __future__ import annotations

import pytest
from campaign_contract.checks import sorting
from campaign_contract.checks._draw import query
from campaign_contract.harness._contract import Contract
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("key", "direction"), sorting.sort_cases(), ids=sorting.SORT_ORDER.variants
)
@given(data=st.data())
def test_sort_order(contract: Contract, key: str, direction: str, data: st.DataObject) -> None:
    body = sorting.sorted_by(
        query(data, contract), key, direction, with_name=contract.sort_name_required
    )
    contract.judged(body, [sorting.SORT_ORDER.name])


@given(data=st.data(), sort_by=sorting.several_keys())
def test_sort_keys(contract: Contract, data: st.DataObject, sort_by: dict) -> None:
    sort_by = sorting.with_sort_name(sort_by, contract.sort_name_required)
    body = {**query(data, contract), "sortBy": sort_by}
    contract.judged(body, [sorting.SORT_ORDER.name])


def test_sort_key_priority(contract: Contract) -> None:
    sorting.observe_key_priority(contract)


@pytest.mark.contract_check(scale=0.5)
@given(data=st.data())
def test_metamorphic_sort_reverse(contract: Contract, data: st.DataObject) -> None:
    sorting.reverse(contract, data, query(data, contract, aware_only=True))


@given(data=st.data())
def test_metamorphic_deterministic(contract: Contract, data: st.DataObject) -> None:
    sorting.deterministic(contract, query(data, contract), data)


def test_name_collation(contract: Contract) -> None:
    sorting.observe_collation(contract)
