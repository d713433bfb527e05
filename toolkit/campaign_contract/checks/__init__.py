"""The contract checks' bodies, one module per family of the contract suite.

Importing this package registers every check of the suite (:mod:`..oracles._registry`).
"""

from campaign_contract.checks import (
    auth,
    conformance,
    filters,
    pagination,
    request_handling,
    sorting,
)
from campaign_contract.oracles._registry import REGISTRY

__all__ = [
    "REGISTRY",
    "auth",
    "conformance",
    "filters",
    "pagination",
    "request_handling",
    "sorting",
]
