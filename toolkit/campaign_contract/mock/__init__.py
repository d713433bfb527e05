"""The embedded mock of getAllCampaignDetails: HTTP over SQLite, with named faults."""

from __future__ import annotations

from campaign_contract.mock._data import DEFAULT_CAMPAIGNS, MockDataError, generate, load
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
