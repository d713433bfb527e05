"""campaign-contract: contract tests and validation for the Get All SMS/Voice Campaigns API."""

from __future__ import annotations

from ._schemas import PROFILES, Profile, schema, schema_dir
from ._validate import (
    CampaignType,
    detect_type,
    validate_error,
    validate_request,
    validate_response,
)
from ._violations import Severity, Violation, pointer

__version__ = "0.1.0"

__all__ = [
    "PROFILES",
    "CampaignType",
    "Profile",
    "Severity",
    "Violation",
    "__version__",
    "detect_type",
    "pointer",
    "schema",
    "schema_dir",
    "validate_error",
    "validate_request",
    "validate_response",
]
