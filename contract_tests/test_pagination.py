"""Pagination: page invariants on every answer, full crawls, and the doc-silent paging choices."""

from __future__ import annotations

import pytest
from campaign_contract.checks import pagination as paging
from campaign_contract.checks._crawl import walked
from campaign_contract.checks._draw import query
from campaign_contract.harness._contract import Contract
from campaign_contract.strategies import valid_requests
from hypothesis import given
from hypothesis import strategies as st

LIMITS = st.sampled_from([3, 7, 10, 25])


@pytest.mark.parametrize("check", paging.PAGE_CHECKS)
@given(body=valid_requests())
def test_page(contract: Contract, check: str, body: dict) -> None:
    contract.judged(body, [check])


@pytest.mark.contract_check(scale=0.5)
@given(data=st.data(), limit=LIMITS)
def test_crawl(contract: Contract, data: st.DataObject, limit: int) -> None:
    walked(contract, query(data, contract), limit=limit)


@pytest.mark.contract_check(scale=0.5)
@given(data=st.data(), sizes=st.lists(LIMITS, min_size=2, max_size=2, unique=True))
def test_crawl_same_sequence(contract: Contract, data: st.DataObject, sizes: list[int]) -> None:
    paging.same_sequence(contract, query(data, contract), sizes)


@pytest.mark.contract_check(scale=0.5)
@given(data=st.data(), limit=LIMITS)
def test_crawl_skip_vs_page(contract: Contract, data: st.DataObject, limit: int) -> None:
    paging.skip_vs_page(contract, query(data, contract), limit)


def test_skip_past_end(contract: Contract) -> None:
    paging.skip_past_end(contract)


def test_page_edges(contract: Contract) -> None:
    paging.probe_page_edges(contract)


def test_skip_and_page_together(contract: Contract) -> None:
    paging.observe_skip_page_precedence(contract)


def test_default_limit(contract: Contract) -> None:
    paging.observe_default_limit(contract)
