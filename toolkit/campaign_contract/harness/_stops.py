"""Why a contract run stopped before every check ran, as data: the preflight's findings, the
signals that end a run, and the checks a run left out.

Every reason is one line naming what to fix; the run's summary prints it once and every report
carries it as ``incomplete_reason``.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

from campaign_contract.client._exchange import Exchange, Target

PREFLIGHT_BODY = {"type": "voice", "limit": 1}
"""The one documented-valid request sent before any check (the smallest voice page)."""


@dataclass(frozen=True)
class Refusal:
    """How the preflight reads one refusing status: what it means and what to fix."""

    status: int
    what: str
    fix: str

    def reason(self, target: Target) -> str:
        path = urlsplit(target.endpoint()).path
        fields = {"app_id": target.app_id, "account_id": target.account_id, "path": path}
        return (
            f"preflight: {self.what.format(**fields)} (HTTP {self.status}); "
            f"{self.fix.format(**fields)}"
        )


REFUSALS: Mapping[int, Refusal] = MappingProxyType(
    {
        401: Refusal(
            401,
            "the server refused the credentials",
            "check the token, or the client id and client secret",
        ),
        403: Refusal(
            403,
            "the server refused account {account_id} or app {app_id}",
            "check the account id and the app id, and that the app may read the account",
        ),
        404: Refusal(
            404,
            "no endpoint at {path}",
            "check the app id in that path, and that the url is the host root (such as "
            "https://platform.kore.ai) or the endpoint URL from the page",
        ),
    }
)
"""The statuses that mean the run cannot judge anything: credentials, access, path."""


def preflight_problem(target: Target, exchange: Exchange) -> str | None:
    """Why the suite cannot run against ``target``, judging by the answer to the preflight
    request; ``None`` when the answer lets the checks run (any 2xx, a 429, a 5xx, …)."""
    refusal = REFUSALS.get(exchange.status)
    return refusal.reason(target) if refusal is not None else None


SIGNALS: Mapping[int, str] = MappingProxyType(
    {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}
)
"""The signals that end a run as incomplete, by number, with how the reason names them."""


INTERRUPTED_TEARDOWN_FILTER = (
    r"ignore:A plugin raised an exception during an old-style hookwrapper teardown\.\n"
    r"Plugin. [^\n]*\n(KeyboardInterrupt|Terminated). :pluggy.PluggyTeardownRaisedWarning"
)
"""A ``filterwarnings`` line: a signal landing inside an old-style hook wrapper (hypothesis's
report wrapper is one) makes pluggy warn that the wrapper raised while the interrupt unwinds.
The run already says once that it was interrupted; that warning would say it again, with a
frame of pytest's runner. It is matched on the line naming the exception (``:`` written as
``.``, since a ``filterwarnings`` line is split on colons); any other teardown error stays."""


class Terminated(KeyboardInterrupt):
    """Raised by the SIGTERM handler so that pytest ends the run as it does for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(SIGNALS.get(signum, f"signal {signum}"))
        self.signum = signum


def interrupted_reason(by: str | None, not_run: int, planned: int) -> str:
    """The run was interrupted (by a signal, when known)."""
    who = f" by {by}" if by else ""
    return f"interrupted{who}: {_did_not_run(not_run, planned)}"


def stopped_early_reason(not_run: int, planned: int) -> str:
    """-x or --maxfail stopped the run after a failure."""
    return f"-x / --maxfail: {_did_not_run(not_run, planned)}"


def not_selected_line(count: int) -> str:
    """The checks ``-k`` (or ``-m``) left out of the run."""
    checks = "1 check" if count == 1 else f"{count} checks"
    return f"not run: {checks} not selected (-k)"


def _did_not_run(not_run: int, planned: int) -> str:
    if planned <= 0 or not_run <= 0:
        return "the run ended before every check ran"
    return f"{not_run} of {planned} checks did not run"
