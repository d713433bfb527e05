"""The contract suite of getAllCampaignDetails. Its presence marks a run as a contract run."""

from __future__ import annotations

CAMPAIGN_CONTRACT_SUITE = True
