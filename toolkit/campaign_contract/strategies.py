"""Hypothesis strategies for request bodies of the Get All SMS/Voice Campaigns API.

- :func:`valid_requests` — documented-valid bodies;
- :func:`data_aware_requests` — valid bodies whose filters select campaigns a server returned;
- :func:`invalid_requests` — bodies with one field made invalid, as :class:`InvalidRequest`.
"""

from __future__ import annotations

from campaign_contract.generation._invalid import InvalidRequest, invalid_requests
from campaign_contract.generation._strategies import (
    data_aware_requests,
    date_windows,
    filter_specs,
    format_timestamp,
    sort_specs,
    valid_requests,
)

__all__ = [
    "InvalidRequest",
    "data_aware_requests",
    "date_windows",
    "filter_specs",
    "format_timestamp",
    "invalid_requests",
    "sort_specs",
    "valid_requests",
]
