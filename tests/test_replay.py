"""Later items of a parametrized check replay their first item's examples, exactly or not at
all: the replay itself, and the suite's items through ``pytester``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from campaign_contract.cli._verify import suite_dir
from campaign_contract.harness import _ledger as ledgers
from campaign_contract.harness._contract import set_aside
from campaign_contract.harness._replay import Diverged, Example, ReplayedData, Replays, replay
from hypothesis import strategies as st

INTEGERS = st.integers(0, 9)


@pytest.fixture
def ledger() -> Any:
    opened = ledgers.begin("page-size", "pagination", "test_pagination.py::test_page[page-size]")
    yield opened
    ledgers.end()


def counting(seen: list[Any]) -> Any:
    def inner(check: str, body: dict[str, Any]) -> None:
        ledger = ledgers.current()
        assert ledger is not None
        ledger.examples += 1
        seen.append((check, body))
        if body.get("aside"):
            set_aside("not applicable")
        if body.get("bad"):
            raise AssertionError("the page is wrong")

    return inner


def test_every_example_replays_with_the_fixtures_and_a_copy_of_its_arguments(ledger: Any) -> None:
    examples = [Example({"body": {"limit": 3}}, judged=True), Example({"body": {"aside": 1}})]
    seen: list[Any] = []
    assert replay(counting(seen), {"check": "page-size"}, examples)
    assert seen == [("page-size", {"limit": 3}), ("page-size", {"aside": 1})]
    assert seen[0][1] is not examples[0].arguments["body"]
    assert ledger.examples == 2


@pytest.mark.parametrize(
    "examples",
    [
        [Example({"body": {"limit": 3}}, judged=True), Example({"body": {"bad": 1}}, judged=True)],
        [Example({"body": {"aside": 1}}, judged=True)],  # judged first, set aside now
        [Example({"body": {"limit": 3}}, judged=False)],  # set aside first, judged now
    ],
    ids=["fails", "set-aside-now", "judged-now"],
)
def test_an_example_ending_otherwise_hands_the_item_back_untouched(
    ledger: Any, examples: list[Example]
) -> None:
    ledger.examples = 7
    ledger.inputs = ["kept"]
    assert not replay(counting([]), {"check": "page-size"}, examples)
    assert ledger.examples == 7 and ledger.inputs == ["kept"] and ledger.failures == []


def test_replayed_draws_must_ask_for_the_strategies_first_drawn() -> None:
    data = ReplayedData([(INTEGERS, 4), (INTEGERS, [1, 2])])
    assert data.draw(INTEGERS) == 4
    with pytest.raises(Diverged):
        data.draw(st.integers(0, 8))  # not the strategy the first item drew from
    with pytest.raises(Diverged):
        ReplayedData([]).draw(INTEGERS)


def test_only_a_shared_function_records_and_only_a_pass_keeps_it(ledger: Any) -> None:
    def first() -> None: ...
    def alone() -> None: ...

    replays = Replays()
    replays.share([first, alone, first])
    replays.start(alone, ledger)
    assert ledger.recording is None
    replays.start(first, ledger)
    assert ledger.recording == []
    ledger.recording.append(Example({"body": {}}, judged=True))
    assert replays.examples(first) is None
    replays.passed(first, ledger)
    assert replays.examples(first) == [Example({"body": {}}, judged=True)]
    assert ledger.recording is None
    replays.start(first, ledger)
    assert ledger.recording is None  # the later items replay instead


SUITE = str(suite_dir())


def checks_of(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    report_dir = pytester.path / "reports"
    result = pytester.runpytest(
        SUITE, "-p", "no:randomly", f"--campaign-report-dir={report_dir}", *args
    )
    data = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return result, {check["name"]: check for check in data["checks"]}


def test_page_checks_after_the_first_judge_its_examples_without_drawing_them(
    pytester: pytest.Pytester,
) -> None:
    result, checks = checks_of(
        pytester, "-k", "test_page or test_filter and not recall and not window_bounds",
        "--campaign-max-examples=12", "--hypothesis-seed=5",
    )  # fmt: skip
    assert result.ret == 0
    pages = [checks[name] for name in ("page-size", "page-fill", "has-more", "total-results")]
    assert len({check["examples"] for check in pages}) == 1
    assert [check["requests"] for check in pages[1:]] == [0, 0, 0]
    filters = [c for c in checks.values() if "test_filters.py::test_filter[" in c["nodeid"]]
    first, *later = filters  # the first counts the examples hypothesis dropped unrun too
    assert len(later) >= 2 and {check["requests"] for check in later} == {0}
    assert len({check["examples"] for check in later}) == 1
    assert 1 < later[0]["examples"] <= first["examples"]


def test_a_later_page_check_that_fails_is_searched_and_shrunk_by_hypothesis(
    pytester: pytest.Pytester,
) -> None:
    options = ("--hypothesis-seed=1", "--campaign-fault=total-pages-floor")
    _, alone = checks_of(pytester, "-k", "test_page and total and pages", *options)
    result, together = checks_of(pytester, "-k", "test_page and not edges", *options)
    assert together["total-pages"]["outcome"] == alone["total-pages"]["outcome"] == "failed"
    assert together["page-size"]["outcome"] == together["total-results"]["outcome"] == "passed"
    assert result.ret == 1
    assert "test_page(" in result.stdout.str()  # hypothesis's own report of its example
