"""A pytest plugin ``verify`` hands its workers (``-n``): once a worker's session is over and
every other cleanup has run, the worker leaves as the console script does (``_leave``).

The controller waits for each worker's process to end; without this it waits for the
worker's interpreter to free, one by one, everything its share of the suite built. The worker
has sent its results by then (xdist's "workerfinished", written before the session's end
returns), so nothing is lost.
"""

from __future__ import annotations

import pytest

from campaign_contract.cli._leave import leave


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if getattr(config, "workerinput", None) is not None:
        # the first cleanup registered is the last to run: after every plugin's own
        config.add_cleanup(lambda: leave(0))
