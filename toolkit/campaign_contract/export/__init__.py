"""Handing the contract and a tenant's data to other tools: an OpenAPI document, a recording."""

from __future__ import annotations

from campaign_contract.export._openapi import openapi_document

__all__ = ["openapi_document"]
