"""The client's rate limit and request budget, within a process and shared across processes."""

from __future__ import annotations

import itertools
import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import BudgetExhausted, CampaignClient
from campaign_contract.client._exchange import Target
from campaign_contract.client._pacing import SharedPacer
from client_stub import StubServer

BODY = {"type": "sms"}


def make_client(url: str, **options: Any) -> CampaignClient:
    return CampaignClient(Target(url, "st-app", "acct", "tok"), **options)


def gaps(server: StubServer) -> list[float]:
    arrivals = sorted(seen.at for seen in server.seen)
    return [later - earlier for earlier, later in itertools.pairwise(arrivals)]


def test_rate_spaces_requests(server: StubServer) -> None:
    client = make_client(server.url, rate=20)
    started = time.monotonic()
    for _ in range(5):
        client.post(BODY)
    assert time.monotonic() - started >= 0.2
    # Measured where the requests arrive, with room for scheduling jitter on a busy machine:
    # unpaced, five loopback requests arrive within a few milliseconds.
    assert min(gaps(server)) >= 0.02
    assert sum(gaps(server)) >= 0.15


def test_loopback_default_is_unlimited(server: StubServer) -> None:
    client = make_client(server.url)
    started = time.monotonic()
    for _ in range(5):
        client.post(BODY)
    assert time.monotonic() - started < 1.0
    assert client.requests_made == 5


def test_budget_is_enforced_before_sending(server: StubServer) -> None:
    client = make_client(server.url, budget=2)
    client.post(BODY)
    client.post(BODY)
    with pytest.raises(BudgetExhausted, match="budget of 2 is spent"):
        client.post(BODY)
    assert len(server.seen) == 2
    assert client.requests_made == 2
    assert client.pacer.used() == 2


def test_zero_budget_sends_nothing(server: StubServer) -> None:
    with pytest.raises(BudgetExhausted):
        make_client(server.url, budget=0).post(BODY)
    assert server.seen == []


def test_retries_count_against_the_budget(server: StubServer) -> None:
    from client_stub import Reply

    server.script.append(Reply(503, {}, b""))
    client = make_client(server.url, budget=1, backoff=0.01)
    with pytest.raises(BudgetExhausted):
        client.post(BODY)
    assert len(server.seen) == 1


def test_pacer_state_is_shared_through_the_state_dir(tmp_path: Path) -> None:
    first = SharedPacer(rate=0, budget=3, state_dir=tmp_path)
    second = SharedPacer(rate=0, budget=3, state_dir=tmp_path)
    first.acquire()
    second.acquire()
    assert (first.used(), second.used()) == (2, 2)
    first.acquire()
    with pytest.raises(BudgetExhausted):
        second.acquire()


def test_negative_rate_or_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="rate"):
        SharedPacer(rate=-1)
    with pytest.raises(ValueError, match="budget"):
        SharedPacer(budget=-1)


def _send_from_another_process(
    url: str, state_dir: str, count: int, start: Any, results: Any
) -> None:
    client = make_client(url, rate=10, budget=4, state_dir=Path(state_dir))
    start.wait()
    sent = refused = 0
    for _ in range(count):
        try:
            client.post(BODY)
            sent += 1
        except BudgetExhausted:
            refused += 1
    results.put((sent, refused))


def test_rate_and_budget_hold_across_processes(server: StubServer, tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(
            target=_send_from_another_process,
            args=(server.url, str(tmp_path), 3, start, results),
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert sum(sent for sent, _ in outcomes) == 4
    assert sum(refused for _, refused in outcomes) == 2
    assert len(server.seen) == 4
    # Two processes pacing on their own at 10/s would send in pairs: the four arrivals would
    # span about 0.1 s. One shared schedule spaces all four (about 0.33 s). Single gaps at the
    # server carry the arrival jitter of a busy machine, so the span is what is asserted.
    assert sum(gaps(server)) >= 0.25
    assert SharedPacer(state_dir=tmp_path).used() == 4


def _most_in_any_window(arrivals: list[float], period: float) -> int:
    """The most arrivals any sliding window of ``period`` seconds holds."""
    ordered = sorted(arrivals)
    most, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= period:
            start += 1
        most = max(most, end - start + 1)
    return most


@pytest.mark.parametrize("rate", [5.0, 8.0])
def test_no_sliding_window_at_the_server_holds_more_than_the_rate(
    server: StubServer, rate: float
) -> None:
    # Arrival times are taken by the server. The window is the rate's period less a little
    # tolerance for the server's own clock reading; the pacer plans under the rate.
    client = make_client(server.url, rate=rate)
    for _ in range(int(rate * 2) + 3):
        client.post(BODY)
    arrivals = [seen.at for seen in server.seen]
    assert _most_in_any_window(arrivals, 1.0 - 0.01) <= rate


def test_a_late_wake_up_moves_the_next_slot_on(tmp_path: Path) -> None:
    pacer = SharedPacer(rate=2, state_dir=tmp_path)
    first_slot, _ = pacer._reserve()
    pacer._sent(first_slot, first_slot + 0.3)  # let go 0.3 s late
    second_slot, _ = pacer._reserve()
    assert second_slot - (first_slot + 0.3) >= pacer.interval - 1e-6
    period, count = pacer.window
    assert (period, count) == (1.0, 2)
    assert SharedPacer(rate=0.5).window == (2.0, 1)


def test_sends_are_planned_under_the_rate() -> None:
    assert SharedPacer(rate=1).interval > 1.0
    assert SharedPacer(rate=0).interval == 0.0


def test_an_unpaced_pacer_shares_its_count_in_batches_and_honours_a_hold_back(
    tmp_path: Path,
) -> None:
    from campaign_contract.client._pacing import COUNT_EVERY

    first = SharedPacer(rate=0, budget=None, state_dir=tmp_path)
    second = SharedPacer(rate=0, budget=None, state_dir=tmp_path)
    for _ in range(COUNT_EVERY + 3):
        first.acquire()
    assert first.used() == COUNT_EVERY + 3  # its own sends, all counted
    assert second.used() == COUNT_EVERY  # the other's, as last shared
    second.defer(time.time() + 0.3)
    assert first.reserve() > 0.2  # a hold-back set by another process is honoured
