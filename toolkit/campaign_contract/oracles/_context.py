"""What one request/response pair says, read once and leniently for every pair check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campaign_contract.oracles._common import data_of, request_int, whole
from campaign_contract.oracles._sorting import SortSpec, sort_spec
from campaign_contract.validation._validators import (
    UNDETECTED,
    CampaignType,
    Detection,
    detect_type,
    results_of,
)

_MINIMUM = {"skip": 0, "page": 1, "limit": 1}


@dataclass(frozen=True)
class PairContext:
    """One pair, read for the checks.

    ``request`` has every ``""`` field dropped (S-05). ``skip``/``page``/``limit`` are the
    requested numbers (``None`` when absent); ``unjudgeable`` names those present with a
    value no reading covers (S-20), which the checks that need them then leave alone.
    """

    request: dict[str, Any]
    response: Any
    data: dict[str, Any]
    results: list[Any]
    campaign_type: CampaignType | None
    type_source: str
    skip: int | None
    page: int | None
    limit: int | None
    unjudgeable: frozenset[str]
    sort: SortSpec
    sent: Any = None
    """The request body as it was sent (``request`` is read from it)."""

    @property
    def results_listed(self) -> bool:
        """True when ``data.results`` is a list, so the page's length can be judged."""
        return isinstance(self.data.get("results"), list)

    @property
    def filters(self) -> dict[str, Any]:
        found = self.request.get("filters")
        return found if isinstance(found, dict) else {}

    def figure(self, name: str) -> int | None:
        """An integer from ``data`` (``skip``, ``limit``, ``totalPages``, ``totalResults``)."""
        return whole(self.data.get(name))

    def page_sizes(self) -> list[int]:
        """Every page size a reading may use: the requested limit and ``data.limit``."""
        sizes = []
        if self.limit is not None:
            sizes.append(self.limit)
        applied = self.figure("limit")
        if applied is not None and applied >= 1 and applied not in sizes:
            sizes.append(applied)
        return sizes


def read_pair(
    request: Any,
    response: Any,
    campaign_type: CampaignType | None = None,
    *,
    detected: Detection = UNDETECTED,
) -> PairContext | None:
    """The pair's context, or ``None`` when the response holds no ``data`` object to judge.

    ``detected`` is what :func:`detect_type` said of ``response`` when the caller asked it
    already (it is asked here otherwise, when neither request nor caller names the type).
    """
    data = data_of(response)
    if data is None:
        return None
    body = request if isinstance(request, dict) else {}
    body = {key: value for key, value in body.items() if value != ""}
    numbers: dict[str, int | None] = {}
    unjudgeable = set()
    for name, minimum in _MINIMUM.items():
        ok, value = request_int(body.get(name), minimum)
        numbers[name] = value
        if not ok:
            unjudgeable.add(name)
    kind, source = _expected_type(body, response, campaign_type, detected)
    return PairContext(
        request=body,
        response=response,
        data=data,
        results=results_of(response),
        campaign_type=kind,
        type_source=source,
        skip=numbers["skip"],
        page=numbers["page"],
        limit=numbers["limit"],
        unjudgeable=frozenset(unjudgeable),
        sort=sort_spec(body),
        sent=request,
    )


def _expected_type(
    body: dict[str, Any], response: Any, campaign_type: CampaignType | None, detected: Detection
) -> tuple[CampaignType | None, str]:
    asked = body.get("type")
    if asked == "voice" or asked == "sms":
        return asked, "requested"
    if campaign_type is not None:
        return campaign_type, "expected"
    if detected is UNDETECTED:
        return detect_type(response), "detected"
    return detected, "detected"
