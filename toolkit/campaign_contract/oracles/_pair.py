"""The pair checks of the registry and :func:`check_pair`; the oracle check names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

# The checks register themselves when their modules load, in report order.
from campaign_contract.oracles import _crawl, _filters, _metamorphic, _page  # noqa: F401
from campaign_contract.oracles._context import PairContext, read_pair
from campaign_contract.oracles._registry import REGISTRY, PairChecks
from campaign_contract.validation._validators import UNDETECTED, CampaignType, Detection
from campaign_contract.validation._violations import Violation

PairCheck = Callable[[PairContext], list[Violation]]

PAIR_CHECKS = PairChecks()
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
    detected: Detection = UNDETECTED,
) -> list[Violation]:
    """Judge one request/response pair semantically; pointers point into the response body.

    Only a success (2xx, or ``status_code`` not given) with a ``data`` object is judged;
    whatever cannot be read is skipped, since schema validation reports it. The expected
    campaign type is the request's ``type``, else ``campaign_type``, else detected from the
    results (``detected``: what :func:`detect_type` said, when the caller asked it already).
    ``checks`` restricts the run to those names of :data:`PAIR_CHECKS`.
    """
    selected = _selected(checks)
    if status_code is not None and not 200 <= status_code < 300:
        return []
    ctx = read_pair(request, response, campaign_type, detected=detected)
    if ctx is None:
        return []
    return [violation for check in selected for violation in check(ctx)]


def _selected(checks: Iterable[str] | None) -> tuple[PairCheck, ...]:
    """The pair checks ``checks`` names, in report order (all of them for ``None``)."""
    names = None if checks is None else (checks,) if isinstance(checks, str) else tuple(checks)
    return PAIR_CHECKS.select(names)
