"""The run's plan: breadth first, then deeper where the catalogue finds most per request."""

from __future__ import annotations

from campaign_contract.harness._plan import COSTS, HEADROOM, NOT_PLANNED, PROBE, Cost, make_plan

CHECKS = [(name, 3) for name in COSTS]


def test_without_a_budget_every_check_gets_its_examples() -> None:
    plan = make_plan(CHECKS, None, 0.0)
    assert all(share.examples == (3 if COSTS[n].each else 1) for n, share in plan.shares.items())
    assert plan.estimate == PROBE + sum(c.first + 2 * c.each for c in COSTS.values())
    assert "about" in plan.text() and "budget" not in plan.text()


def test_breadth_first_every_check_has_a_first_example_before_any_a_second() -> None:
    firsts = sum(c.first for c in COSTS.values()) + PROBE
    for budget in range(10, 400, 7):
        plan = make_plan(CHECKS, budget, 1.0)
        deepened = any(share.examples > 1 for share in plan.shares.values())
        assert not (deepened and plan.unplanned), budget
        assert plan.estimate <= budget
        if budget * HEADROOM >= firsts:
            assert not plan.unplanned


def test_deepening_goes_where_most_faults_are_caught_per_request() -> None:
    checks = [("cheap-finder", 5), ("costly-finder", 5)]
    costs = {"cheap-finder": Cost(1, 1, 6), "costly-finder": Cost(1, 4, 2)}
    original = dict(COSTS)
    COSTS.update(costs)
    try:
        plan = make_plan(checks, 10, 1.0)
    finally:
        COSTS.clear()
        COSTS.update(original)
    assert plan.shares["cheap-finder"].examples == 5
    assert plan.shares["costly-finder"].examples == 1
    assert plan.estimate <= 10 * HEADROOM


def test_a_budget_too_small_leaves_out_the_checks_finding_least_per_request() -> None:
    plan = make_plan(CHECKS, 60, 1.0)
    assert plan.unplanned and plan.estimate <= 60
    left_out = plan.unplanned[0]
    kept = [n for n in plan.shares if n not in plan.unplanned]
    ratio = COSTS[left_out].catches / COSTS[left_out].first
    assert all(COSTS[k].catches / COSTS[k].first >= ratio for k in kept)
    assert plan.skip_reason(left_out).startswith(NOT_PLANNED)
    assert "left out" in plan.text()


def test_the_estimate_names_requests_minutes_and_rate() -> None:
    plan = make_plan(CHECKS, 180, 1.0)
    text = plan.text()
    assert f"about {plan.estimate} requests of a budget of 180" in text
    assert "minutes at 1/s" in text
    data = plan.as_dict()
    assert data["estimate"] == plan.estimate and set(data["shares"]) == set(COSTS)


def test_budget_the_estimate_leaves_over_is_shared_out_as_slack() -> None:
    budget = 400
    plan = make_plan(CHECKS, budget, 1.0)
    assert not plan.unplanned
    assert all(share.examples == (3 if COSTS[n].each else 1) for n, share in plan.shares.items())
    allowed = PROBE + sum(share.allowance for share in plan.shares.values())
    assert plan.estimate < allowed <= budget * HEADROOM
    assert all(s.allowance >= s.requests for s in plan.shares.values())
    assert plan.shares["crawl"].slack > 0  # the checks with the largest estimates get most
    assert plan.as_dict()["shares"]["crawl"]["slack"] == plan.shares["crawl"].slack


def test_a_budget_the_estimate_fills_leaves_no_slack_to_speak_of() -> None:
    plan = make_plan(CHECKS, 60, 1.0)
    assert sum(share.slack for share in plan.shares.values()) <= max(
        c.first for c in COSTS.values()
    )


def test_heaviest_first_orders_by_planned_requests_ties_kept_in_order() -> None:
    names = ["default-limit", "auth-missing", "crawl", "unknown-field", "sort-order[name-asc]"]
    plan = make_plan([(name, 3) for name in names], None, 0.0)
    requests = {name: plan.shares[name].requests for name in names}
    assert requests == {
        "default-limit": 1, "auth-missing": 2, "crawl": 12, "unknown-field": 1,
        "sort-order[name-asc]": 3,
    }  # fmt: skip
    assert plan.heaviest_first([*names, "crawl"]) == [
        "crawl", "sort-order[name-asc]", "auth-missing", "default-limit", "unknown-field",
    ]  # fmt: skip
    assert plan.heaviest_first(["not-planned", "auth-missing"]) == ["auth-missing", "not-planned"]


def test_the_plan_is_the_same_whatever_order_the_checks_come_in() -> None:
    """A controller of workers plans from the checks in the workers' run order (heaviest
    first), the workers from their collection: both must share the budget alike."""
    names = [*COSTS, "a-check-of-ones-own", "another-of-ones-own"]
    for budget in (None, 40, 60, 100, 180, 300):
        for examples in (1, 3, 5, 10):
            plan = make_plan([(name, examples) for name in names], budget, 1.0)
            for order in (names[::-1], plan.heaviest_first(names), sorted(names)):
                other = make_plan([(name, examples) for name in order], budget, 1.0)
                assert other.as_dict() == plan.as_dict(), (budget, examples)
