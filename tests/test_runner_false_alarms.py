"""The suite's runner accepts every reading the page allows and still catches the defects.

Each test drives the runner's own functions against the fake vendor (tests/fake_vendor.py)
switched to one allowed reading, and where it matters to the defect next to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from campaign_contract.checks import auth as access
from campaign_contract.checks import conformance, sorting
from campaign_contract.checks import filters as filtering
from campaign_contract.checks import pagination as paging
from campaign_contract.checks import request_handling as handling
from campaign_contract.checks._crawl import LISTING_LIMIT, MAX_PAGES, crawl, listing
from campaign_contract.checks._recall import check_recall
from campaign_contract.harness import _ledger as ledgers
from campaign_contract.harness._contract import Compared
from campaign_contract.harness._ledger import Ledger
from campaign_contract.oracles import check_crawl
from campaign_contract.strategies import InvalidRequest
from fake_vendor import Vendor, campaigns, serving
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle_samples import page


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    """The ledger of a check running in this test."""
    yield ledgers.begin("check", "family", "node")
    ledgers.end()


def notes(ledger: Ledger, spec_note: str | None) -> list[str]:
    return [o.message for o in ledger.observations if o.spec_note == spec_note]


def with_data(run: Callable[[st.DataObject], None], examples: int = 4) -> None:
    """Run ``run`` as a hypothesis test of a few examples."""

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def test(data: st.DataObject) -> None:
        run(data)

    test()


# D15c: the crawl's page cap follows the page size the server used ------------------------


@pytest.mark.parametrize(("count", "limit"), [(300, 100), (701, 25)])
def test_crawl_walks_a_listing_in_the_page_size_the_server_caps_at(count: int, limit: int) -> None:
    vendor = Vendor(listings={"voice": campaigns(count), "sms": []}, cap=50)
    with serving(vendor) as contract:
        walk = crawl(contract, {"type": "voice"}, limit=limit)
    assert walk.complete and len(walk.ids) == count
    assert [v for v in check_crawl(walk.request, walk.pages) if v.severity == "error"] == []


def test_crawl_never_asks_for_more_than_a_hundred() -> None:
    vendor = Vendor(listings={"voice": campaigns(250), "sms": []}, cap=500)
    with serving(vendor) as contract:
        walk = crawl(contract, {"type": "voice"}, limit=500)
    assert walk.complete and len(walk.ids) == 250
    assert max(body["limit"] for body in vendor.requests) == LISTING_LIMIT


def test_a_listing_too_long_to_walk_skips_the_crawl_and_leaves_the_listing_partial() -> None:
    vendor = Vendor(listings={"voice": campaigns(MAX_PAGES * 50 + 10), "sms": []}, cap=50)
    with serving(vendor) as contract:
        with pytest.raises(pytest.skip.Exception, match=f"more than the cap of {MAX_PAGES} pages"):
            crawl(contract, {"type": "voice"}, limit=100)
        assert len(vendor.requests) == 1
        universe = listing(contract, "voice")
    assert not universe.complete and len(universe.exchanges) == MAX_PAGES


# D4: window bounds may be exclusive; recall needs only what is strictly inside -------------


def test_recall_needs_only_campaigns_strictly_inside_the_window() -> None:
    item = {"id": "c1", "status": "Ready", "priority": "5", "createdAt": "2025-01-08T10:00:00Z"}
    on_bounds = {"type": "voice", "startDate": item["createdAt"], "endDate": item["createdAt"]}
    assert check_recall(on_bounds, [item], []) == []
    sms = {**item, "updatedAt": "2025-01-08T09:59:59.900Z"}  # updatedAt before createdAt (S-13)
    window = {"type": "sms", "startDate": sms["updatedAt"], "endDate": sms["createdAt"]}
    assert check_recall(window, [sms], []) == []
    around = {
        "type": "voice",
        "startDate": "2025-01-08T09:00:00Z",
        "endDate": "2025-01-09T00:00:00Z",
    }
    (missing,) = check_recall(around, [item], [])
    assert missing.check == "filter-recall" and "c1" in missing.message


@pytest.mark.parametrize("exclusive", ["start", "end", "both"])
def test_exclusive_window_bounds_are_an_observation(ledger: Ledger, exclusive: str) -> None:
    vendor = Vendor(start_exclusive=exclusive != "end", end_exclusive=exclusive != "start")
    with serving(vendor) as contract:
        with_data(lambda data: filtering.window_bounds(contract, data, "voice"))
    assert ledger.failures == [] and ledger.provisional is None
    assert any("a bound is exclusive" in m for m in notes(ledger, "S-09"))


def test_window_bounds_still_fail_when_whole_days_are_listed(ledger: Ledger) -> None:
    with serving(Vendor(day_granularity=True)) as contract:
        with pytest.raises(AssertionError, match="filter-date-window"):
            with_data(lambda data: filtering.window_bounds(contract, data, "voice"))


def test_a_window_written_at_other_offsets_lists_the_same_campaigns(ledger: Ledger) -> None:
    with serving(Vendor()) as contract:
        with_data(lambda data: filtering.window_bounds(contract, data, "voice"))
    assert ledger.failures == []
    with serving(Vendor(offsets_ignored=True)) as contract:
        with pytest.raises(AssertionError, match=r"the offset is not read as ISO 8601 says"):
            with_data(lambda data: filtering.window_bounds(contract, data, "voice"))


def test_a_zero_time_is_never_moved_out_of_the_years_a_bound_can_write(ledger: Ledger) -> None:
    """Go writes a missing time as ``0001-01-01T00:00:00Z``, a valid ISO 8601 instant (S-13):
    a window is built from the campaign's other timestamps instead of crashing the check."""
    voice = [{**c, "updatedAt": "0001-01-01T00:00:00Z"} for c in campaigns(12)]
    vendor = Vendor(listings={"voice": voice, "sms": campaigns(4, "sms")})
    with serving(vendor) as contract:
        with_data(lambda data: filtering.window_bounds(contract, data, "voice"))
    assert ledger.failures == []


def test_a_window_written_at_other_offsets_refused_is_an_observation(ledger: Ledger) -> None:
    with serving(OnlyTheSamplesForms()) as contract:
        with_data(lambda data: filtering.window_bounds(contract, data, "voice"))
    assert ledger.failures == []
    assert notes(ledger, "S-08")


def test_recall_fails_when_a_campaign_strictly_inside_is_missing(ledger: Ledger) -> None:
    body = {"type": "voice", "startDate": "2025-01-01T00:00:00Z", "endDate": "2025-01-03T06:00Z"}
    with serving(Vendor(end_exclusive=True)) as contract:
        filtering.recall(contract, body)
    assert ledger.failures == []
    with serving(Vendor(lost_in_windows=frozenset({"voice-00003"}))) as contract:
        with pytest.raises(AssertionError, match="voice-00003"):
            filtering.recall(contract, body)


# D7: a listing that moves between two requests --------------------------------------------


def test_identical_requests_that_disagree_once_are_asked_again(ledger: Ledger) -> None:
    with serving(Vendor(moving_until=2)) as contract:
        sorting.deterministic(contract, {"type": "voice", "limit": 100})
    assert ledger.failures == [] and ledger.requests == 4
    (drift,) = notes(ledger, "S-42")
    assert "[metamorphic-deterministic]" in drift and "asked again" in drift


def test_identical_requests_that_keep_disagreeing_fail(ledger: Ledger) -> None:
    with serving(Vendor(moving_until=10**6)) as contract:
        with pytest.raises(AssertionError, match="identical requests"):
            sorting.deterministic(contract, {"type": "voice", "limit": 100})
    assert ledger.requests == 4 and ledger.failures


def test_identical_requests_that_disagree_on_equal_totals_fail_at_once(ledger: Ledger) -> None:
    with serving(Vendor(swapping=True)) as contract:
        with pytest.raises(AssertionError, match="voice-00000-swapped"):
            sorting.deterministic(contract, {"type": "voice", "limit": 100})
    assert ledger.requests == 2


def test_identical_requests_keep_one_order_among_ties() -> None:
    tied = [{**c, "createdAt": "2025-01-01T00:00:00.000Z"} for c in campaigns(3)]
    first, second = page(tied, limit=10), page([tied[1], tied[0], tied[2]], limit=10)
    (violation,) = sorting.one_order(first, second)
    assert violation.check == "metamorphic-deterministic" and violation.pointer.endswith("/0")
    assert sorting.one_order(first, page(tied, limit=10)) == []
    assert sorting.one_order(first, page(tied[:2], limit=10)) == []  # the oracles judge that


# D9: a skip past the end may be refused ----------------------------------------------------


def test_skip_past_the_end_answered_4xx_is_an_observation(ledger: Ledger) -> None:
    with serving(Vendor(skip_past_end_status=400)) as contract:
        paging.skip_past_end(contract)
    assert any("answered HTTP 400" in m for m in notes(ledger, "S-26"))


def test_skip_past_the_end_answered_5xx_fails(ledger: Ledger) -> None:
    with serving(Vendor(skip_past_end_status=500)) as contract:
        with pytest.raises(AssertionError, match="server error"):
            paging.skip_past_end(contract)


def test_a_generated_request_past_the_end_refused_with_4xx_is_set_aside(ledger: Ledger) -> None:
    with serving(Vendor(skip_past_end_status=400)) as contract:

        def paged(data: st.DataObject) -> None:
            offset = data.draw(st.sampled_from([{"page": 9}, {"skip": 40}, {"skip": 3}]))
            contract.judged({"type": "voice", "limit": 5, **offset})

        with_data(paged, examples=12)
        handling.accepted(contract, {"type": "voice", "page": 30}, "past the end")
    assert ledger.failures == [] and ledger.provisional is None
    assert any("past the last of its" in m for m in notes(ledger, "S-26"))


class RefusesEverySkip(Vendor):
    """Refuses any skip, even one well before the end (a defect)."""

    def page(self, body: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, str, bytes]:
        if body.get("skip"):
            return self.refuse(400, "no skip")
        return super().page(body, items)


@pytest.mark.parametrize("share", [None, 1], ids=["no-plan", "share-spent"])
def test_a_request_before_the_end_refused_with_4xx_still_fails(
    ledger: Ledger, share: int | None
) -> None:
    # the first page asked to read the refusal is sent past a spent share, so it never sets
    # aside the example whose failure it confirms
    ledger.share, ledger.finished = share, 1
    with serving(RefusesEverySkip()) as contract:
        with pytest.raises(AssertionError, match="HTTP 400"):
            contract.ok({"type": "voice", "skip": 3, "limit": 5})
    assert notes(ledger, "S-26") == []


class RefusesBlanks(Vendor):
    """Refuses ``""`` for skip, page or limit, which the page allows (a defect)."""

    def page(self, body: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, str, bytes]:
        if "" in (body.get("skip"), body.get("page"), body.get("limit")):
            return self.refuse(400, "blank number")
        return super().page(body, items)


def test_a_blank_refused_is_not_taken_for_a_refusal_past_the_end(ledger: Ledger) -> None:
    with serving(RefusesBlanks(skip_past_end_status=400)) as contract:
        with pytest.raises(AssertionError, match="HTTP 400"):
            contract.ok({"type": "voice", "skip": "", "page": 30, "limit": 5})
    assert notes(ledger, "S-26") == []


# Forms of optional fields the samples do not show (S-08, S-22) -----------------------------


@dataclass
class OnlyTheSamplesForms(Vendor):
    """Answers ``status`` to a date bound not written as the samples write theirs, or to an
    empty filter array: a refusal (4xx) the page allows, or a server error (5xx), a defect."""

    status: int = 400

    def page(self, body: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, str, bytes]:
        dated = any(len(str(body.get(k, "x" * 24))) != 24 for k in ("startDate", "endDate"))
        empty = any(v == [] for v in (body.get("filters") or {}).values())
        if dated or empty:
            return self.refuse(self.status, "only what the samples show")
        return super().page(body, items)


def test_a_refusal_of_forms_the_samples_do_not_show_is_an_observation(ledger: Ledger) -> None:
    with serving(OnlyTheSamplesForms()) as contract:
        for what, body in handling.OTHER_FORMS:
            assert handling.accepted(contract, body, what) is None
    assert ledger.failures == []
    assert {n for n in ("S-08", "S-22") if notes(ledger, n)} == {"S-08", "S-22"}


def test_a_server_error_on_forms_the_samples_do_not_show_fails(ledger: Ledger) -> None:
    with serving(OnlyTheSamplesForms(status=500)) as contract:
        for what, body in handling.OTHER_FORMS:
            with pytest.raises(AssertionError, match="HTTP 500"):
                handling.accepted(contract, body, what)


# An optional field a server leaves out of some campaigns ----------------------------------


def _with_dialing_modes() -> dict[str, list[dict[str, Any]]]:
    voice = [
        {**c, "dialingMode": ("Preview", "Progressive")[i % 2]} for i, c in enumerate(campaigns(40))
    ]
    return {"voice": voice, "sms": campaigns(20, "sms")}


@dataclass
class HidesSomeDialingModes(Vendor):
    """Filters voice campaigns by their dialingMode but leaves it out of every fourth campaign it
    lists (an optional field, S-28); with ``wrong_total`` its filtered totals are also too high,
    a defect."""

    listings: dict[str, list[dict[str, Any]]] = field(default_factory=_with_dialing_modes)
    wrong_total: int = 0

    def select(self, body: dict[str, Any], tenant: bool) -> list[dict[str, Any]]:
        items = super().select(body, tenant)
        modes = (body.get("filters") or {}).get("dialingMode")
        return [c for c in items if c.get("dialingMode") in modes] if modes else items

    def page(self, body: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, str, bytes]:
        shown = [
            {k: v for k, v in c.items() if k != "dialingMode" or int(c["id"][-5:]) % 4 != 1}
            for c in items
        ]
        status, kind, raw = super().page(body, shown)
        if self.wrong_total and (body.get("filters") or {}).get("dialingMode"):
            doc = json.loads(raw)
            doc["data"]["totalResults"] += self.wrong_total
            raw = json.dumps(doc).encode()
        return status, kind, raw


def test_filter_totals_allow_campaigns_that_do_not_show_the_field(ledger: Ledger) -> None:
    with serving(HidesSomeDialingModes()) as contract:
        for mode in ("Preview", "Progressive"):
            total = filtering._total_matches(contract, "voice", "dialingMode", [mode])
            contract.stable(total)
    assert ledger.failures == []


def test_filter_totals_still_fail_past_what_the_hidden_fields_allow(ledger: Ledger) -> None:
    with serving(HidesSomeDialingModes(wrong_total=40)) as contract:
        with pytest.raises(AssertionError, match="show no dialingMode"):
            contract.stable(filtering._total_matches(contract, "voice", "dialingMode", ["Preview"]))


def test_filter_totals_hold_a_required_field_left_out_to_the_exact_count(ledger: Ledger) -> None:
    with serving(HidesSomeStatuses()) as contract:
        with pytest.raises(AssertionError, match=r"holds [0-9]+ such campaigns; totalResults"):
            contract.stable(filtering._total_matches(contract, "voice", "status", ["Ready"]))


def test_filter_totals_count_a_repeated_value_once(ledger: Ledger) -> None:
    twice = ["Ready", "Ready"]
    with serving(Vendor()) as contract:
        contract.stable(filtering._total_matches(contract, "voice", "status", twice))
    assert ledger.failures == []
    with serving(Vendor(counts_repeats=True)) as contract:
        with pytest.raises(AssertionError, match=r"counts once, S-36"):
            contract.stable(filtering._total_matches(contract, "voice", "status", twice))


def test_filter_totals_send_every_other_value_twice(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[list[Any]] = []

    def total_matches(contract: Any, kind: str, name: str, values: list[Any]) -> Any:
        sent.append(values)
        return Compared

    monkeypatch.setattr(filtering, "_total_matches", total_matches)
    with serving(Vendor()) as contract:
        filtering.filter_totals(contract)
    assert [len(values) for values in sent[:4]] == [1, 2, 1, 2]
    assert all(values[0] == values[-1] for values in sent)


class HidesSomeStatuses(Vendor):
    """Leaves ``status``, a required field, out of every fourth campaign it lists (a defect)."""

    def page(self, body: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, str, bytes]:
        shown = [
            {k: v for k, v in c.items() if k != "status" or int(c["id"][-5:]) % 4 != 1}
            for c in items
        ]
        return super().page(body, shown)


# D10: the page's own rule that sortBy must include name -----------------------------------


def test_a_server_requiring_sort_by_name_is_recorded_not_failed(ledger: Ledger) -> None:
    with serving(Vendor(requires_sort_name=True)) as contract:
        handling.optional_fields(contract)
        assert contract.sort_name_required

        def sorted_request(data: st.DataObject) -> None:
            key = data.draw(st.sampled_from(["createdAt", "updatedAt", "name"]))
            contract.judged({"type": "voice", "sortBy": {key: "asc"}})

        with_data(sorted_request, examples=10)
    assert ledger.failures == [] and ledger.provisional is None
    assert any("sortBy without name answered HTTP 400" in m for m in notes(ledger, "S-06"))


def test_a_sort_by_with_name_refused_still_fails(ledger: Ledger) -> None:
    with serving(Vendor(requires_sort_name=True)) as contract:
        with pytest.raises(AssertionError, match="HTTP 400"):
            handling.accepted(contract, {"type": "voice", "sortBy": {"name": "up"}}, "x")


# D11: access ------------------------------------------------------------------------------


def test_the_account_taken_from_the_token_is_an_observation(ledger: Ledger) -> None:
    with serving(Vendor(account="token")) as contract:
        access.other_account(contract)
        access.wrong_app(contract)
    messages = notes(ledger, "S-41")
    assert len(messages) == 6 and all("served our own campaigns" in m for m in messages)


@pytest.mark.parametrize("where", ["query", "header"])
def test_another_tenant_served_by_one_of_the_two_account_ids_fails(
    ledger: Ledger, where: str
) -> None:
    """The page names the account in the query and in a header (S-24): a server that checks
    one and serves by the other leaks another tenant's campaigns."""
    with serving(Vendor(account=where)) as contract:
        with pytest.raises(AssertionError, match="another tenant's data"):
            access.other_account(contract)


def test_another_tenants_campaigns_fail(ledger: Ledger) -> None:
    with serving(Vendor(account="tenant")) as contract:
        with pytest.raises(AssertionError, match="another tenant's data"):
            access.other_account(contract)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_any_4xx_refuses_a_missing_or_wrong_token(ledger: Ledger, status: int) -> None:
    with serving(Vendor(missing_auth_status=status)) as contract:
        access.missing_auth(contract)
        access.wrong_auth(contract)
    assert f"no auth header answered HTTP {status}" in notes(ledger, "S-41")


@pytest.mark.parametrize("status", [200, 500])
def test_a_missing_token_answered_2xx_or_5xx_fails(ledger: Ledger, status: int) -> None:
    # a 200 refusing in an error envelope is allowed (S-46); a login page under 200 is not
    page = b"<html>sign in</html>" if status == 200 else None
    with serving(Vendor(missing_auth_status=status, error_body=page)) as contract:
        with pytest.raises(AssertionError, match=f"got HTTP {status}"):
            access.missing_auth(contract)


# D12: error answers the page does not document ------------------------------------------


def test_error_answers_that_are_not_json_are_observations(ledger: Ledger) -> None:
    bad = InvalidRequest({"type": "email"}, "type", "/type", "type is 'email'")
    with serving(Vendor(error_body=b"<html>Bad Request</html>")) as contract:
        conformance.error_schema(contract, bad)
        conformance.content_type(contract, {"type": "voice"})
    found = notes(ledger, "S-17")
    assert any("[content-type]" in m for m in found)
    assert any("[error-schema]" in m for m in found)


def test_error_answers_with_a_server_error_fail(ledger: Ledger) -> None:
    bad = InvalidRequest({"type": "email"}, "type", "/type", "type is 'email'")
    with serving(Vendor(server_errors=True)) as contract:
        with pytest.raises(AssertionError, match="HTTP 500"):
            conformance.error_schema(contract, bad)


def test_refusals_in_the_body_under_http_200_are_observations(ledger: Ledger) -> None:
    """The page documents no error status, and its envelope's status is "typically success or
    error": a server refusing with HTTP 200 and ``status: error`` refuses (S-46)."""
    bad = InvalidRequest({"type": "email"}, "type", "/type", "type is 'email'")
    with serving(Vendor(refusal_status=200, requires_sort_name=True)) as contract:
        handling.rejected(contract, contract.post(bad.body), bad.description)
        handling.malformed_json(contract)
        access.missing_auth(contract)
        access.wrong_auth(contract)
        access.other_account(contract)
        conformance.error_schema(contract, bad)
        without_name = {"type": "voice", "sortBy": {"createdAt": "desc"}}
        assert handling.accepted(contract, without_name, "sortBy without name") is None
    assert ledger.failures == []
    found = notes(ledger, "S-46")
    assert found and all('HTTP 200 with status "error"' in m for m in found)
    assert any("refused" in m for m in notes(ledger, "S-41"))
    assert notes(ledger, "S-06")  # the allowed refusal is recognised in the body too


@dataclass
class RefusesListings(Vendor):
    """Refuses every request it would list campaigns for, under HTTP 200 (S-46)."""

    refusal_status: int | None = 200

    def page(self, body: dict[str, Any], items: list[dict[str, Any]]) -> tuple[int, str, bytes]:
        return self.refuse(400, "unavailable")


class RefusesBadDatesInTheBody(Vendor):
    """Refuses a request with a bad date under HTTP 200 in its body, any other with a 400:
    two readings of S-46 in one server's validation (a defect)."""

    def answer(self, query: dict[str, str], headers: dict[str, str], raw: bytes) -> Any:
        status, kind, body = super().answer(query, headers, raw)
        if status == 400 and b"Date" in raw:
            return 200, kind, body
        return status, kind, body


def test_a_server_refuses_invalid_requests_in_one_way(ledger: Ledger) -> None:
    samples = handling.invalid_samples()
    for vendor in (Vendor(), Vendor(refusal_status=200)):
        with serving(vendor) as contract:
            for bad in samples:
                handling.invalid_rejected(contract, bad)
    assert ledger.failures == []
    with serving(RefusesBadDatesInTheBody()) as contract:
        with pytest.raises(AssertionError, match=r"startDate is not a date: refused with HTTP 200"):
            for bad in samples:
                handling.invalid_rejected(contract, bad)


LENIENT_FORMS = [
    InvalidRequest(
        {"type": "voice", "filters": {"status": "Ready"}},
        "filters.status",
        "/filters/status",
        "filters.status is not an array: 'Ready'",
    ),
    InvalidRequest(
        {"type": "voice", "sortBy": {"name": -1}},
        "sortBy.name",
        "/sortBy/name",
        "sortBy.name has the direction -1",
    ),
]


def test_a_lenient_reading_answered_as_its_canonical_request_is_an_observation(
    ledger: Ledger,
) -> None:
    with serving(Vendor(lenient="reads")) as contract:
        for bad in LENIENT_FORMS:
            handling.invalid_rejected(contract, bad)
    assert ledger.failures == []
    assert len(notes(ledger, "S-47")) == 2


@pytest.mark.parametrize("bad", LENIENT_FORMS, ids=["scalar-filter", "numeric-direction"])
def test_a_lenient_server_that_drops_what_it_cannot_read_fails(
    ledger: Ledger, bad: InvalidRequest
) -> None:
    with serving(Vendor(lenient="ignores")) as contract:
        with pytest.raises(AssertionError, match="expected 4xx, got HTTP 200"):
            handling.invalid_rejected(contract, bad)


def test_a_refusal_in_the_body_of_a_documented_valid_request_fails(ledger: Ledger) -> None:
    with serving(RefusesListings()) as contract:
        with pytest.raises(AssertionError, match='answered HTTP 200 with status "error"'):
            contract.ok({"type": "voice", "limit": 5})


def test_a_limit_above_the_samples_refused_is_an_observation(ledger: Ledger) -> None:
    """No maximum limit is documented (S-15); the samples ask for 50. A server refusing more
    is walked in pages of 50, and an example asking more is set aside."""
    vendor = Vendor(listings={"voice": campaigns(120), "sms": campaigns(20, "sms")}, max_limit=50)
    with serving(vendor) as contract:
        walk = listing(contract, "voice")
        assert len(walk.items) == 120 and walk.complete
        with pytest.raises(pytest.skip.Exception, match="limit above 50"):
            contract.ok({"type": "voice", "limit": 80})
    assert ledger.failures == []
    assert any("refuses a limit above" in m for m in notes(ledger, "S-15"))


def test_skip_and_page_together_refused_is_an_observation(ledger: Ledger) -> None:
    with serving(Vendor(refuses_skip_with_page=True)) as contract:
        with pytest.raises(pytest.skip.Exception, match="skip and page together"):
            paging.observe_skip_page_precedence(contract)
        contract.judged({"type": "voice", "skip": 2, "limit": 4})  # alone, each is served
        contract.judged({"type": "voice", "page": 2, "limit": 4})
    assert ledger.failures == []
    assert any("refuses the pair" in m for m in notes(ledger, "S-14"))
    with serving(Vendor(refuses_skip_with_page="all")) as contract:
        with pytest.raises(AssertionError, match="answered HTTP 400"):
            contract.judged({"type": "voice", "skip": 0, "page": 1, "limit": 50})


def test_a_refusal_of_the_samples_limit_still_fails(ledger: Ledger) -> None:
    with serving(Vendor(max_limit=20)) as contract:
        with pytest.raises(AssertionError, match="answered HTTP 400"):
            contract.ok({"type": "voice", "limit": 80})


# D2: several sort keys in another priority ----------------------------------------------


def test_sort_keys_in_another_priority_are_recorded(ledger: Ledger) -> None:
    with serving(Vendor(reversed_keys=True)) as contract:
        contract.judged({"type": "voice", "sortBy": {"createdAt": "asc", "name": "asc"}})
        sorting.observe_key_priority(contract)
    assert ledger.failures == []
    assert any("not body order" in m for m in notes(ledger, "S-07"))


# S-04, S-20: what the page leaves open is recorded, but never with a server error --------


def test_an_agentless_filter_refused_is_an_observation(ledger: Ledger) -> None:
    with serving(Vendor()) as contract:
        filtering.observe_agentless(contract)
    assert any("answered HTTP 400" in m for m in notes(ledger, "S-04"))


def test_an_agentless_filter_answered_5xx_fails(ledger: Ledger) -> None:
    with serving(Vendor(server_errors=True)) as contract:
        with pytest.raises(AssertionError, match="server error"):
            filtering.observe_agentless(contract)


def test_paging_edge_values_refused_are_observations(ledger: Ledger) -> None:
    with serving(Vendor()) as contract:
        paging.observe_edge_values(contract)
    assert any("answered HTTP 400" in m for m in notes(ledger, "S-20"))


def test_paging_edge_values_answered_5xx_fail(ledger: Ledger) -> None:
    with serving(Vendor(server_errors=True)) as contract:
        with pytest.raises(AssertionError, match="server error"):
            paging.observe_edge_values(contract)


# the determinism check asks where campaigns tie -------------------------------------------


def test_determinism_moves_half_its_examples_to_the_key_where_campaigns_tie() -> None:
    tied = [{**c, "name": "Same"} if i < 6 else c for i, c in enumerate(campaigns(20))]
    vendor = Vendor(listings={"voice": tied, "sms": campaigns(5, "sms")})
    with serving(vendor) as contract:
        body = {"type": "voice", "page": 5, "sortBy": {"name": "desc", "createdAt": "asc"}}
        moved = sorting.where_ties(contract, body)  # its first page, where the ties are
        assert moved == {"type": "voice", "limit": 100, "sortBy": {"name": "desc"}}
        # no two sms campaigns tie on any key: the body is kept as drawn
        assert sorting.where_ties(contract, {"type": "sms", "page": 5}) == {
            "type": "sms",
            "page": 5,
        }
        with_data(lambda data: sorting.deterministic(contract, body, data))
    assert body in vendor.requests and moved in vendor.requests


def test_what_is_derived_from_a_listing_is_derived_once_per_walk() -> None:
    from campaign_contract.checks._crawl import Crawl

    calls: list[Crawl] = []

    def derive(walk: Crawl) -> int:
        calls.append(walk)
        return len(calls)

    walk, fresh = Crawl({"type": "voice"}, 100, "skip"), Crawl({"type": "voice"}, 100, "skip")
    assert walk.derived("n", derive) == walk.derived("n", derive) == 1
    assert fresh.derived("n", derive) == 2 and calls == [walk, fresh]
    assert walk == fresh  # the memo is no part of the walk's value


def test_every_page_size_asked_is_clamped_to_what_the_server_serves() -> None:
    from campaign_contract.checks._crawl import served_limit

    with serving(Vendor(max_limit=50)) as contract:
        assert served_limit(contract, 250) == 100 and served_limit(contract, 30) == 30
        contract.largest_limit = 50  # learned from a refusal above the samples' limit (S-15)
        assert served_limit(contract, 100) == 50 and filtering.page_limit(contract) == 50
