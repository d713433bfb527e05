"""Filters: every result satisfies every filter, nothing that matches is left out, and the
metamorphic relations between related requests hold."""

from __future__ import annotations

import pytest
from campaign_contract.checks import filters as filtering
from campaign_contract.checks._draw import campaign_types, query
from campaign_contract.harness._contract import Contract
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize("check", filtering.FILTER_CHECKS)
@given(data=st.data())
def test_filter(contract: Contract, check: str, data: st.DataObject) -> None:
    body = query(data, contract, aware_only=True)
    contract.judged(body, [check])


@pytest.mark.contract_check(scale=0.5)
@given(data=st.data())
def test_filter_recall(contract: Contract, data: st.DataObject) -> None:
    filtering.recall(contract, query(data, contract, aware_only=True))


@given(data=st.data())
def test_metamorphic_filter_narrows(contract: Contract, data: st.DataObject) -> None:
    filtering.filter_narrows(contract, data, query(data, contract, aware_only=True))


@given(data=st.data(), kind=campaign_types())
def test_metamorphic_status_union(contract: Contract, data: st.DataObject, kind: str) -> None:
    filtering.status_union(contract, data, kind)


@given(data=st.data())
def test_metamorphic_window_narrows(contract: Contract, data: st.DataObject) -> None:
    filtering.window_narrows(contract, data, query(data, contract, aware_only=True))


@given(data=st.data())
def test_metamorphic_sms_ignores_dialing_mode(contract: Contract, data: st.DataObject) -> None:
    filtering.sms_ignores_dialing_mode(contract, data, query(data, contract, "sms"))


def test_agentless_filter(contract: Contract) -> None:
    filtering.observe_agentless(contract)


def test_end_date_before_start_date(contract: Contract) -> None:
    filtering.end_before_start(contract)


@given(data=st.data(), kind=campaign_types())
def test_filter_window_bounds(contract: Contract, data: st.DataObject, kind: str) -> None:
    filtering.window_bounds(contract, data, kind)


def test_filter_totals(contract: Contract) -> None:
    filtering.filter_totals(contract)
