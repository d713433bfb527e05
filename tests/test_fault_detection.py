"""Proof of power: the suite passes against the clean mock and catches every named mock fault.

Transport faults (resets, short bodies, 503 bursts, slow answers) are ridden out by the client,
not caught as contract failures; ``tests/test_mock_transport.py`` runs the suite through them.
Each semantic fault runs the packaged suite in-process against the embedded mock with that fault, a
fixed seed and few examples, stopping at the first failing check; the check that caught the
fault is printed and kept as a test property (``caught_by``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from campaign_contract.cli._verify import suite_dir
from campaign_contract.mock import FAULTS, semantic_fault_names

SUITE = str(suite_dir())
EXAMPLES = "--campaign-max-examples=6"
SEED = "--hypothesis-seed=1"


def run_suite(pytester: pytest.Pytester, *extra: str) -> tuple[int, dict[str, str]]:
    reports = pytester.path / "reports"
    result = pytester.runpytest(
        SUITE, "-p", "no:randomly", EXAMPLES, SEED, f"--campaign-report-dir={reports}", *extra
    )
    record = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    return int(result.ret), {check["name"]: check["outcome"] for check in record["checks"]}


@pytest.mark.slow
def test_clean_mock_passes_every_check(pytester: pytest.Pytester) -> None:
    code, outcomes = run_suite(pytester)
    failing = sorted(name for name, outcome in outcomes.items() if outcome != "passed")
    assert (code, failing) == (0, [])
    assert len(outcomes) >= 40


@pytest.mark.slow
@pytest.mark.parametrize("fault", semantic_fault_names())
def test_fault_is_caught(
    pytester: pytest.Pytester, fault: str, record_property: Callable[[str, object], None]
) -> None:
    code, outcomes = run_suite(pytester, f"--campaign-fault={fault}", "-x")
    caught_by = [name for name, outcome in outcomes.items() if outcome in ("failed", "error")]
    record_property("caught_by", ", ".join(caught_by))
    print(f"{fault} ({FAULTS[fault].area}): caught by {', '.join(caught_by) or 'nothing'}")
    assert code == 1, f"the suite did not catch {fault}: {FAULTS[fault].description}"
    assert caught_by
