"""campaign-contract: contract tests and validation for the Get All SMS/Voice Campaigns API."""

from __future__ import annotations

from ._auth import resolve_token, sign_token
from ._captures import Document, iter_documents
from ._client import (
    BudgetExhausted,
    CampaignClient,
    ClientError,
    RequestRefused,
    TargetUnreachable,
    ThrottleEvent,
)
from ._mock import FAULTS, Fault, MockServer, fault_names, start_mock
from ._oracles import (
    PAIR_CHECKS,
    check_crawl,
    check_names,
    check_pair,
    check_same_sequence,
    metamorphic_deterministic,
    metamorphic_filter_narrows,
    metamorphic_sms_ignores_dialing_mode,
    metamorphic_sort_reverse,
    metamorphic_status_union,
    metamorphic_window_narrows,
)
from ._report import (
    CheckResult,
    Failure,
    Observation,
    RunRecord,
    TargetInfo,
    Totals,
    record_from_validation,
    scrub,
    validation_html,
    write_reports,
)
from ._schemas import PROFILES, Profile, schema, schema_dir
from ._settings import Settings, SettingsError, resolve_settings
from ._validate import (
    CampaignType,
    detect_type,
    validate_error,
    validate_request,
    validate_response,
)
from ._validation_run import (
    DocumentResult,
    ValidationRun,
    validate_document,
    validate_inputs,
    validate_paths,
)
from ._violations import Severity, Violation, pointer

__version__ = "0.1.0"

__all__ = [
    "FAULTS",
    "PAIR_CHECKS",
    "PROFILES",
    "BudgetExhausted",
    "CampaignClient",
    "CampaignType",
    "CheckResult",
    "ClientError",
    "Document",
    "DocumentResult",
    "Failure",
    "Fault",
    "MockServer",
    "Observation",
    "Profile",
    "RequestRefused",
    "RunRecord",
    "Settings",
    "SettingsError",
    "Severity",
    "TargetInfo",
    "TargetUnreachable",
    "ThrottleEvent",
    "Totals",
    "ValidationRun",
    "Violation",
    "__version__",
    "check_crawl",
    "check_names",
    "check_pair",
    "check_same_sequence",
    "detect_type",
    "fault_names",
    "iter_documents",
    "metamorphic_deterministic",
    "metamorphic_filter_narrows",
    "metamorphic_sms_ignores_dialing_mode",
    "metamorphic_sort_reverse",
    "metamorphic_status_union",
    "metamorphic_window_narrows",
    "pointer",
    "record_from_validation",
    "resolve_settings",
    "resolve_token",
    "schema",
    "schema_dir",
    "scrub",
    "sign_token",
    "start_mock",
    "validate_document",
    "validate_error",
    "validate_inputs",
    "validate_paths",
    "validate_request",
    "validate_response",
    "validation_html",
    "write_reports",
]
