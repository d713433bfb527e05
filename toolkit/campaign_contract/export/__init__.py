"""Handing the contract and a tenant's data to other tools: an OpenAPI document, a recording."""

from __future__ import annotations

from campaign_contract.export._anonymise import anonymise
from campaign_contract.export._openapi import openapi_document
from campaign_contract.export._record import Recording, record_tenant, recording_document

__all__ = ["Recording", "anonymise", "openapi_document", "record_tenant", "recording_document"]
