"""The run's plan: how the request budget is shared among the checks before the first request.

Breadth first: every check gets the requests of its first example before any check gets a
second; what is left deepens the checks where the fault catalogue shows the most faults caught
per request (:data:`COSTS`, measured by ``benchmarks/bench_live.py``), and what is still left once
every check has its examples is shared out as slack, so that an estimate that falls short does
not stop a check while the budget has room. A check whose first
example the budget cannot cover is not planned: it is skipped with the reason, and the run is
incomplete. Without a budget every check gets its examples and the plan is only an estimate.

The plan is a pure function of the check names, the examples asked for and the budget, so
every process of a run (pytest-xdist workers and their controller) computes the same one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from campaign_contract.harness._ledger import StopReason

HEADROOM = 0.9
"""The share of the budget the plan hands out; the rest absorbs estimates that fall short."""
PROBE = 1
"""The request that learns whether the server can be reached, before any check."""
NOT_PLANNED = str(StopReason.UNPLANNED)
"""How the skip reason of a check the budget could not cover starts."""


@dataclass(frozen=True)
class Cost:
    """What a check costs and what it finds: requests of its first example and of each further
    one (0: a check that runs once), and faults of the catalogue it caught in the reference
    run (the loopback profile, every check run)."""

    first: int
    each: int
    catches: int


DEFAULT_COST = Cost(first=2, each=1, catches=1)
"""A check the table does not know yet (a new check): cheap, one catch."""
COSTS: dict[str, Cost] = {
    "auth-missing": Cost(2, 0, 2),
    "auth-wrong": Cost(2, 0, 2),
    "auth-other-account": Cost(2, 0, 2),
    "auth-wrong-iid": Cost(2, 0, 2),
    "schema": Cost(2, 1, 7),
    "content-type": Cost(1, 1, 2),
    "error-schema": Cost(1, 1, 1),
    "result-type": Cost(4, 1, 1),
    "filter-status": Cost(1, 1, 1),
    "filter-priority": Cost(1, 1, 1),
    "filter-dialing-mode": Cost(1, 1, 1),
    "filter-date-window": Cost(1, 1, 1),
    "filter-recall": Cost(2, 2, 21),
    "metamorphic-filter-narrows": Cost(2, 2, 1),
    "metamorphic-status-union": Cost(3, 3, 4),
    "metamorphic-window-narrows": Cost(3, 2, 1),
    "metamorphic-sms-ignores-dialing-mode": Cost(2, 2, 1),
    "agentless-filter": Cost(1, 0, 1),
    "end-date-before-start-date": Cost(1, 0, 3),
    "filter-window-bounds": Cost(4, 4, 9),
    "filter-totals": Cost(5, 0, 7),
    "page-size": Cost(1, 1, 3),
    "page-fill": Cost(1, 1, 3),
    "limit-echo": Cost(1, 1, 1),
    "skip-echo": Cost(1, 1, 1),
    "has-more": Cost(1, 1, 2),
    "total-pages": Cost(1, 1, 2),
    "total-results": Cost(1, 1, 2),
    "crawl": Cost(4, 4, 20),
    "crawl-same-sequence": Cost(3, 3, 21),
    "crawl-skip-vs-page": Cost(4, 4, 21),
    "skip-past-end": Cost(9, 0, 8),
    "page-edges": Cost(4, 0, 7),
    "skip-and-page-together": Cost(1, 0, 5),
    "default-limit": Cost(1, 0, 3),
    "valid-accepted": Cost(2, 1, 13),
    "optional-fields": Cost(6, 0, 12),
    "blank-paging": Cost(5, 0, 4),
    "invalid-rejected": Cost(12, 1, 5),
    "malformed-json": Cost(3, 0, 2),
    "unknown-field": Cost(1, 0, 3),
    "paging-edge-values": Cost(5, 0, 1),
    "unknown-sort-key": Cost(3, 0, 1),
    "sort-order[name-asc]": Cost(1, 1, 5),
    "sort-order[name-desc]": Cost(1, 1, 5),
    "sort-order[createdAt-asc]": Cost(1, 1, 4),
    "sort-order[createdAt-desc]": Cost(1, 1, 2),
    "sort-order[updatedAt-asc]": Cost(1, 1, 3),
    "sort-order[updatedAt-desc]": Cost(1, 1, 3),
    "sort-keys": Cost(1, 1, 5),
    "sort-key-priority": Cost(3, 0, 12),
    "metamorphic-sort-reverse": Cost(4, 4, 19),
    "metamorphic-deterministic": Cost(1, 1, 2),
    "name-collation": Cost(3, 0, 10),
}
"""Requests sent per example on the embedded mock (250 campaigns per type, the live profile with
a budget, answers reused across checks in run order: a check that walks or loops takes what its
share allows, so its figure is the least it needs) and, of the 43 faults of the catalogue, how
many each check caught in the reference run (the loopback profile, every check run, seed 1).
``python benchmarks/bench_live.py costs`` prints the catches from measurements."""


def cost_of(check: str) -> Cost:
    return COSTS.get(check, DEFAULT_COST)


@dataclass
class Share:
    """One check's part of the plan: the examples and the requests it may use."""

    check: str
    examples: int
    requests: int
    slack: int = 0
    """Requests beyond the estimate the check may use (the budget the estimate leaves over,
    shared out): a check whose examples cost more than the table says still runs them."""

    @property
    def planned(self) -> bool:
        return self.examples > 0

    @property
    def allowance(self) -> int:
        """The most requests the check may send before it stops drawing examples."""
        return self.requests + self.slack


@dataclass
class Plan:
    """The shares of every check, the budget they come from and the estimate of the run."""

    budget: int | None
    rate: float
    shares: dict[str, Share] = field(default_factory=dict)

    @property
    def estimate(self) -> int:
        """Requests the plan expects the run to send (the reachability probe included)."""
        return PROBE + sum(share.requests for share in self.shares.values())

    @property
    def checks(self) -> int:
        return len(self.shares)

    @property
    def unplanned(self) -> list[str]:
        """Checks the budget could not give a first example."""
        return [name for name, share in self.shares.items() if not share.planned]

    def share(self, check: str) -> Share | None:
        return self.shares.get(check)

    def heaviest_first(self, checks: Iterable[str]) -> list[str]:
        """``checks`` with those planned the most requests first (ties in the order given): the
        order in which workers that share a run end close together, the long checks started
        early and the short ones left to fill the gaps at the end."""
        listed = list(dict.fromkeys(checks))
        weight = {name: share.requests for name, share in self.shares.items()}
        return sorted(listed, key=lambda name: -weight.get(name, 0))

    def position(self, check: str) -> int:
        """The 1-based position of ``check`` among the planned checks (0 when unknown)."""
        for index, name in enumerate(self.shares, 1):
            if name == check:
                return index
        return 0

    def seconds(self, requests: int | None = None) -> float | None:
        """Seconds ``requests`` (the estimate by default) take at the rate; None if unpaced."""
        count = self.estimate if requests is None else requests
        return count / self.rate if self.rate > 0 else None

    def skip_detail(self) -> str:
        """Why a check is not in the plan (its skip message follows :data:`NOT_PLANNED`)."""
        return (
            f"the request budget of {self.budget} does not cover a first example of every "
            f"check ({len(self.unplanned)} of {self.checks} left out; raise --budget)"
        )

    def skip_reason(self, check: str) -> str:
        return f"{NOT_PLANNED}: {self.skip_detail()}"

    def text(self) -> str:
        """The estimate printed before the first request."""
        line = f"plan: {self.checks} checks, about {self.estimate} requests"
        if self.budget is not None:
            line += f" of a budget of {self.budget}"
        seconds = self.seconds()
        if seconds is not None:
            line += f", about {_minutes(seconds)} at {self.rate:g}/s"
        if self.unplanned:
            line += f"; {len(self.unplanned)} checks left out: {', '.join(self.unplanned)}"
        return line

    def as_dict(self) -> dict[str, Any]:
        """The plan for the reports (what each check was given; the report rows add what it
        spent)."""
        return {
            "budget": self.budget,
            "rate": self.rate,
            "estimate": self.estimate,
            "estimated_seconds": self.seconds(),
            "checks": self.checks,
            "unplanned": self.unplanned,
            "shares": {
                name: {"examples": s.examples, "requests": s.requests, "slack": s.slack}
                for name, s in self.shares.items()
            },
        }


def _minutes(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{math.ceil(seconds / 60)} minutes"


def make_plan(checks: Iterable[tuple[str, int]], budget: int | None, rate: float = 0.0) -> Plan:
    """Share ``budget`` among ``checks`` (name, examples asked for, in any order: the plan is
    the same for every order, ties going to the check listed first in :data:`COSTS`).

    Breadth first: a first example for every check (in order of faults caught per request
    when the budget cannot cover them all); then one example more at a time to the check with
    the most catches per request, until the budget (less :data:`HEADROOM`) is used or every
    check has the examples asked for. A check without further examples (``each`` 0) runs once.
    """
    asked: dict[str, int] = {}
    for name, examples in checks:
        asked[name] = max(asked.get(name, 0), max(1, examples))
    # one order whatever the order the checks came in (a controller of workers hears of them
    # in the workers' run order): the table's, then by name
    known = {name: index for index, name in enumerate(COSTS)}
    asked = dict(sorted(asked.items(), key=lambda item: (known.get(item[0], len(known)), item[0])))
    plan = Plan(budget, rate)
    plan.shares = {name: Share(name, 0, 0) for name in asked}
    if budget is None:
        for name, examples in asked.items():
            cost = cost_of(name)
            runs = examples if cost.each else 1
            plan.shares[name] = Share(name, runs, cost.first + cost.each * (runs - 1))
        return plan
    room = budget - PROBE - math.floor(budget * (1 - HEADROOM))
    order = {name: index for index, name in enumerate(asked)}
    firsts = sorted(asked, key=lambda n: (-cost_of(n).catches / cost_of(n).first, order[n]))
    for name in firsts:
        if cost_of(name).first <= room:
            plan.shares[name] = Share(name, 1, cost_of(name).first)
            room -= cost_of(name).first
    while not plan.unplanned:
        deeper = [
            name
            for name, share in plan.shares.items()
            if cost_of(name).each
            and 0 < share.examples < asked[name]
            and cost_of(name).each <= room
        ]
        if not deeper:
            break
        chosen = max(deeper, key=lambda n: (_value(n, plan.shares[n].examples), -order[n]))
        plan.shares[chosen].examples += 1
        plan.shares[chosen].requests += cost_of(chosen).each
        room -= cost_of(chosen).each
    _share_out(plan, room)
    return plan


def _share_out(plan: Plan, room: int) -> None:
    """Hand the budget the estimate leaves over to the planned checks, in proportion to their
    estimates, as slack: the table's costs are estimates, and a budget is there to be spent."""
    planned = [share for share in plan.shares.values() if share.planned]
    total = sum(share.requests for share in planned)
    if room <= 0 or not total:
        return
    for share in planned:
        share.slack = room * share.requests // total


def _value(check: str, examples: int) -> float:
    """Faults caught per request of one example more, with diminishing returns: the k-th
    further example of a check is worth 1/k of the first further one."""
    cost = cost_of(check)
    return cost.catches / cost.each / examples
