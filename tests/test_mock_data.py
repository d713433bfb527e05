"""The mock's generated data set: deterministic from the seed, with the variety tests need."""

from __future__ import annotations

import re
from collections import Counter

from campaign_contract import validate_response
from campaign_contract.mock import generate
from campaign_contract.mock._request import STATUSES
from oracle_samples import page


def test_same_seed_same_data_other_seed_other_data() -> None:
    assert generate(3, 40) == generate(3, 40)
    assert generate(3, 40) != generate(4, 40)


def test_requested_count_per_type() -> None:
    data = generate(0, 17)
    assert len(data["voice"]) == len(data["sms"]) == 17
    assert generate(0, 0) == {"voice": [], "sms": []}


def test_small_sets_still_cover_every_status_priority_and_mode() -> None:
    data = generate(9, 8)
    for kind in ("voice", "sms"):
        assert {c["status"] for c in data[kind]} == set(STATUSES)
        assert {c["priority"] for c in data[kind]} == {"1", "2", "3", "4", "5"}
    assert {c["dialingMode"] for c in data["voice"]} == {"Progressive", "Preview", "Agentless"}
    assert {c["format"] for c in data["sms"]} == {"simple", "advanced"}


def test_default_set_has_ties_mixed_case_and_months_of_spread() -> None:
    data = generate()
    for kind in ("voice", "sms"):
        items = data[kind]
        assert len(items) == 250
        created = Counter(c["createdAt"] for c in items)
        names = Counter(c["name"] for c in items)
        assert max(created.values()) > 1 and max(names.values()) > 1
        assert any(n[0].islower() for n in names) and any(n[0].isupper() for n in names)
        assert any(n.isupper() for n in names)
        months = {c["createdAt"][:7] for c in items}
        assert len(months) >= 6
        ids = [c.get("_id", c.get("id")) for c in items]
        assert len(set(ids)) == len(ids)


def test_optional_fields_are_sometimes_present_and_sometimes_absent() -> None:
    data = generate()
    for kind in ("voice", "sms"):
        for field in ("dncLists", "campaignInstanceId"):
            present = sum(field in c for c in data[kind])
            assert 0 < present < len(data[kind]), (kind, field)
    simple = [c for c in data["sms"] if c["format"] == "simple"]
    assert 0 < sum("templateId" in c["message"] for c in simple) < len(simple)
    assert all(re.fullmatch(r"[A-Za-z0-9+/=]+", c["message"]["message"]) for c in simple)


def test_generated_campaigns_validate_against_their_schemas() -> None:
    data = generate(5, 120)
    for kind in ("voice", "sms"):
        assert validate_response(page(data[kind], limit=len(data[kind])), kind) == []


def test_some_sms_were_updated_before_they_were_created_like_the_doc_samples() -> None:
    sms = generate()["sms"]
    assert any(c["updatedAt"] < c["createdAt"] for c in sms)
    assert all(c["updatedAt"] >= c["createdAt"] for c in generate()["voice"])
