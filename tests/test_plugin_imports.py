"""The plugin is loaded by every pytest run in an environment that has the toolkit; a run that
is not a contract run pays for none of the suite's machinery: no HTTP client, no hypothesis."""

from __future__ import annotations

import pytest

UNRELATED = """
import sys

def test_an_unrelated_project():
    loaded = {"requests", "hypothesis", "campaign_contract.harness._contract", "jinja2"}
    assert "campaign_contract.pytest_plugin" in sys.modules
    assert sorted(loaded & set(sys.modules)) == []
"""


def test_a_run_that_is_not_a_contract_run_imports_no_client_and_no_hypothesis(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_unrelated=UNRELATED)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
