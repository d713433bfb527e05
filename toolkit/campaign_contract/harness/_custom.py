"""The rows of the checks users registered: one test report each, made when the run ends.

A user's check judges every pair the suite's pair checks judge, inside whichever check sends
it; what it finds travels in that check's ledger (:class:`~.._ledger.Judged`). When the run
ends the controller turns the sum into one report per user's check (setup, call, teardown,
as pytest makes them), so the check is a row of its own in the terminal, junit.xml and every
report, failed by its first failure, skipped when it judged nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from _pytest.reports import TestReport

from campaign_contract.harness._ledger import PROPERTY, Judged, Ledger

FAMILY = "custom"
NODE_PREFIX = "campaign-contract/custom.py::"
"""How the node id of a user's check starts (junit's classname is ``campaign-contract.custom``)."""


def custom_reports(
    names: Iterable[str], found: dict[str, Judged], seed: int | None
) -> list[TestReport]:
    """The setup, call and teardown reports of each user's check in ``names``."""
    reports = []
    for name in names:
        judged = found.get(name, Judged())
        nodeid = NODE_PREFIX + name
        location = (NODE_PREFIX.split("::", 1)[0], None, name)
        ledger = Ledger(name, FAMILY, nodeid, examples=judged.pairs)
        longrepr: tuple[str, int, str] | str | None = None
        outcome: Literal["passed", "failed", "skipped"] = "passed"
        if judged.failure is not None:
            ledger.failures.append(judged.failure)
            from campaign_contract.harness._contract import describe_failure

            outcome, longrepr = "failed", describe_failure(judged.failure, seed)
        elif judged.pairs == 0:
            outcome = "skipped"
            longrepr = (location[0], 0, "Skipped: the run judged no success answer")
        properties = [("check", name)]
        whens: tuple[Literal["setup", "call", "teardown"], ...] = ("setup", "call", "teardown")
        for when in whens:
            extra = [(PROPERTY, ledger.to_property())] if when == "teardown" else []
            report = TestReport(
                nodeid,
                location,
                {name: 1},
                outcome if when == "call" else "passed",
                longrepr if when == "call" else None,
                when,
                user_properties=[*properties, *extra],
            )
            reports.append(report)
    return reports
