"""The garbage collector's pace during a contract run: set, frozen, and put back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from campaign_contract.harness._collector import RUN_THRESHOLDS, CollectorPace
from test_plugin_runs import run_suite


@pytest.fixture
def collector() -> Iterator[tuple[int, int, int]]:
    """The thresholds as they were; whatever a test did, they and the frozen count are
    restored after it."""
    saved = gc.get_threshold()
    yield saved
    gc.unfreeze()
    gc.set_threshold(*saved)


def test_a_run_sets_the_thresholds_then_puts_them_back(collector: tuple[int, int, int]) -> None:
    pace = CollectorPace()
    pace.start()
    assert gc.get_threshold() == RUN_THRESHOLDS
    pace.freeze()
    assert gc.get_freeze_count() > 0
    pace.stop()
    assert gc.get_threshold() == collector and gc.get_freeze_count() == 0
    pace.stop()  # a second stop changes nothing
    assert gc.get_threshold() == collector


def test_freezing_before_the_run_started_freezes_nothing(collector: tuple[int, int, int]) -> None:
    pace = CollectorPace()
    pace.freeze()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == collector


def test_a_suite_run_in_this_process_leaves_the_collector_as_it_found_it(
    pytester: pytest.Pytester, collector: tuple[int, int, int]
) -> None:
    result = run_suite(pytester, "-k", "auth_missing or schema")
    assert result.ret == 0
    assert gc.get_threshold() == collector and gc.get_freeze_count() == 0
