"""The embedded mock of getAllCampaignDetails: HTTP over SQLite, with named faults."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_contract._lazy import lazy_attributes
from campaign_contract.mock._faults import (
    AREAS,
    FAULTS,
    Fault,
    FaultName,
    UnknownFaultError,
    check_faults,
    fault_names,
    semantic_fault_names,
)

if TYPE_CHECKING:
    from campaign_contract.mock._data import DEFAULT_CAMPAIGNS, MockDataError, generate, load
    from campaign_contract.mock._server import MAX_BODY, MockServer, start_mock
    from campaign_contract.mock._store import StoreError
    from campaign_contract.mock._tenants import (
        DEFAULT_ACCOUNT_ID,
        DEFAULT_APP_ID,
        DEFAULT_TOKEN,
        Tenant,
        TenantError,
    )
    from campaign_contract.mock._throttle import Latency, OptionError, RateLimit

# The server, its store and its tenants load on first use: a run against another server
# (and the settings that name faults) needs only the fault catalogue.
_LAZY: dict[str, str] = {
    **dict.fromkeys(["DEFAULT_CAMPAIGNS", "MockDataError", "generate", "load"], "_data"),
    **dict.fromkeys(["MAX_BODY", "MockServer", "start_mock"], "_server"),
    "StoreError": "_store",
    **dict.fromkeys(
        ["DEFAULT_ACCOUNT_ID", "DEFAULT_APP_ID", "DEFAULT_TOKEN", "Tenant", "TenantError"],
        "_tenants",
    ),
    **dict.fromkeys(["Latency", "OptionError", "RateLimit"], "_throttle"),
}

__getattr__ = lazy_attributes(
    __name__, {name: f"{__name__}.{module}" for name, module in _LAZY.items()}, globals()
)

__all__ = [
    "AREAS",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_APP_ID",
    "DEFAULT_CAMPAIGNS",
    "DEFAULT_TOKEN",
    "FAULTS",
    "MAX_BODY",
    "Fault",
    "FaultName",
    "Latency",
    "MockDataError",
    "MockServer",
    "OptionError",
    "RateLimit",
    "StoreError",
    "Tenant",
    "TenantError",
    "UnknownFaultError",
    "check_faults",
    "fault_names",
    "generate",
    "load",
    "semantic_fault_names",
    "start_mock",
]
