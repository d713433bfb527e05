"""pytest plugin for campaign-contract: options, fixtures and hooks (logic lives in the library)."""

from __future__ import annotations
