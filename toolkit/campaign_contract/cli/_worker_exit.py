"""A pytest plugin ``verify`` hands its workers (``-n``): once a worker's ``pytest`` is over,
its session finished, every plugin unconfigured and every cleanup run, the worker leaves as the
console script does (``_leave``).

The controller waits for each worker's process to end; without this it waits for the
worker's interpreter to free, one by one, everything its share of the suite built. The worker
has sent its results by then (xdist's "workerfinished", written before the session's end
returns), so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from campaign_contract.cli._leave import leave


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> Generator[None, object, object]:
    result = yield
    if getattr(config, "workerinput", None) is not None:
        leave(0)
    return result
