"""The pair checks of the registry and :func:`check_pair`; the oracle check names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

# The checks register themselves when their modules load, in report order.
from campaign_contract.oracles import _crawl, _filters, _metamorphic, _page  # noqa: F401
from campaign_contract.oracles._context import PairContext, read_pair
from campaign_contract.oracles._registry import REGISTRY, PairChecks
from campaign_contract.validation._validators import CampaignType
from campaign_contract.validation._violations import Violation

PairCheck = Callable[[PairContext], list[Violation]]

PAIR_CHECKS: Mapping[str, PairCheck] = PairChecks()
"""The registered pair checks by name, in report order (a check a user registers included)."""

CheckFamily = Literal["pair", "crawl", "metamorphic"]

CRAWL_CHECK_NAMES = REGISTRY.names("crawl")
"""The checks over whole crawls and pairs of listings."""
METAMORPHIC_CHECK_NAMES = REGISTRY.names("metamorphic")
"""The relations between the answers to related requests."""


def check_names(family: CheckFamily | None = None) -> tuple[str, ...]:
    """The oracle check names, in report order; ``family`` restricts to one kind."""
    kinds: tuple[CheckFamily, ...] = ("pair", "crawl", "metamorphic")
    return tuple(name for kind in kinds if family in (None, kind) for name in REGISTRY.names(kind))


def check_pair(
    request: Any,
    response: Any,
    campaign_type: CampaignType | None = None,
    *,
    status_code: int | None = None,
    checks: Iterable[str] | None = None,
) -> list[Violation]:
    """Judge one request/response pair semantically; pointers point into the response body.

    Only a success (2xx, or ``status_code`` not given) with a ``data`` object is judged;
    whatever cannot be read is skipped, since schema validation reports it. The expected
    campaign type is the request's ``type``, else ``campaign_type``, else detected from the
    results. ``checks`` restricts the run to those names of :data:`PAIR_CHECKS`.
    """
    registered = dict(PAIR_CHECKS)
    wanted = (
        set(registered) if checks is None else {checks} if isinstance(checks, str) else set(checks)
    )
    unknown = sorted(wanted - set(registered))
    if unknown:
        raise ValueError(
            f"unknown check name(s): {', '.join(unknown)}; known: {', '.join(registered)}"
        )
    if status_code is not None and not 200 <= status_code < 300:
        return []
    ctx = read_pair(request, response, campaign_type)
    if ctx is None:
        return []
    return [
        violation
        for name, check in registered.items()
        if name in wanted
        for violation in check(ctx)
    ]
