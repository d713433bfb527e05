"""The garbage collector's pace during a contract run: set, frozen, and put back."""

from __future__ import annotations

import gc
import json
import signal
import weakref
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


RECORDER = """
import gc, json, signal, pathlib

def pytest_runtest_call(item):
    seen = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
            "sigint": getattr(signal.getsignal(signal.SIGINT), "__name__", "ignored")}
    pathlib.Path("seen.json").write_text(json.dumps(seen))
"""


def test_a_suite_run_in_this_process_paces_the_collector_then_leaves_it_as_it_found_it(
    pytester: pytest.Pytester, collector: tuple[int, int, int]
) -> None:
    pytester.makepyfile(recorder=RECORDER)
    pytester.syspathinsert()
    handler = signal.getsignal(signal.SIGINT)
    result = run_suite(pytester, "-p", "recorder", "-k", "auth_missing")
    assert result.ret == 0
    seen = json.loads((pytester.path / "seen.json").read_text())
    assert tuple(seen["threshold"]) == RUN_THRESHOLDS and seen["frozen"] > 0
    # Python's own SIGINT handler is replaced for the run; one set aside (ignored, as in a
    # background job) is left as it was.
    if handler is signal.default_int_handler:
        assert seen["sigint"] not in {"default_int_handler", "ignored"}
    else:
        assert seen["sigint"] == getattr(handler, "__name__", "ignored")
    assert gc.get_threshold() == collector and gc.get_freeze_count() == 0
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_process_with_its_collector_off_is_left_alone(collector: tuple[int, int, int]) -> None:
    gc.disable()
    try:
        pace = CollectorPace()
        pace.start()
        pace.freeze()
        assert gc.get_threshold() == collector and gc.get_freeze_count() == 0
    finally:
        gc.enable()


class _Cycle:
    """An object only the collector frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def _started_with_garbage(*, old: bool) -> tuple[CollectorPace, weakref.ref[_Cycle]]:
    """A started pace, and a cycle nothing refers to any more (moved to the oldest generation
    while still referred to, when ``old``)."""
    pace = CollectorPace()
    pace.start()
    cycle = _Cycle()
    alive = weakref.ref(cycle)
    if old:
        gc.collect(1)  # still referenced: promoted to the oldest generation
    del cycle
    return pace, alive


def test_settling_collects_what_the_run_left_then_freezes_the_rest(
    collector: tuple[int, int, int],
) -> None:
    pace, alive = _started_with_garbage(old=False)
    pace.settle()
    assert alive() is None and gc.get_freeze_count() > 0
    pace.stop()
    assert gc.get_freeze_count() == 0


def test_old_garbage_is_frozen_at_the_end_and_collected_once_the_collector_is_put_back(
    collector: tuple[int, int, int],
) -> None:
    pace, alive = _started_with_garbage(old=True)
    pace.settle()
    assert alive() is not None  # the oldest generation was not scanned again
    pace.stop()
    gc.collect()
    assert alive() is None
