"""Request handling: what must be accepted, what must be rejected, and what the page leaves open.

Documented-valid requests answer 2xx; requests the schema rejects answer 4xx (never 2xx, never
5xx); malformed JSON answers 4xx. Unknown fields (S-21, S-37) and edge numbers (S-20) are
recorded.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from hypothesis import example

from campaign_contract.checks._expect import is_success, refused_in_body, status_violations
from campaign_contract.client._exchange import Exchange
from campaign_contract.generation._invalid import (
    UNKNOWN_SORT_KEYS,
    InvalidRequest,
    lenient_reading,
)
from campaign_contract.harness._contract import Contract
from campaign_contract.oracles._common import field_of, identity
from campaign_contract.oracles._registry import declare
from campaign_contract.validation._validators import results_of

for _name in ("valid-accepted", "optional-fields", "blank-paging", "invalid-rejected"):
    declare(_name, family="request-handling")
MALFORMED_JSON = declare("malformed-json", family="request-handling").name
for _name in ("unknown-field", "paging-edge-values", "unknown-sort-key"):
    declare(_name, family="request-handling", observation=True)

DOC_SAMPLES: dict[str, dict[str, Any]] = {
    "voice": {
        "limit": 50,
        "skip": 0,
        "page": 1,
        "startDate": "2025-12-01T00:00:00.000Z",
        "endDate": "2025-12-04T00:00:00.000Z",
        "type": "voice",
        "sortBy": {"createdAt": "desc"},
        "filters": {
            "status": ["Ready", "Stopped"],
            "priority": [5],
            "dialingMode": ["Progressive", "Preview"],
        },
    },
    "sms": {
        "limit": 50,
        "skip": 0,
        "page": 1,
        "startDate": "2025-12-01T00:00:00.000Z",
        "endDate": "2025-12-08T00:00:00.000Z",
        "type": "sms",
        "sortBy": {"createdAt": "desc"},
        "filters": {"status": ["Ready", "Stopped"], "priority": [5]},
    },
}
"""The page's own sample request bodies."""

MALFORMED: tuple[bytes, ...] = (
    b'{"type": "voice",',
    b"{type: voice}",
    b'{"type": "voice"} trailing',
    b"not json at all",
    b'{"type": "voice", "limit": 01}',
    b"\xff\xfe\x00garbage",
)
"""Bodies that are not JSON."""

BLANK_PAGING: tuple[dict[str, Any], ...] = (
    {"skip": ""},
    {"page": ""},
    {"limit": ""},
    {"skip": "", "page": "", "limit": ""},
)
REJECTED = range(400, 500)


OTHER_FORMS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("voice: an empty filters.status (S-22)", {"type": "voice", "filters": {"status": []}}),
    ("voice: a startDate that is a date (S-08)", {"type": "voice", "startDate": "2025-01-01"}),
)
"""Optional fields in forms the schema allows and the samples do not show: a 2xx page that
passes every check, or a 4xx (an observation); never a 5xx."""


def optional_field_variants() -> list[tuple[str, dict[str, Any]]]:
    """Each doc sample with one optional field (or sub-field) left out, with all left out, and
    the forms of :data:`OTHER_FORMS`."""
    variants = []
    for kind, sample in DOC_SAMPLES.items():
        variants.append((f"{kind}: only type", {"type": kind}))
        for name in sample:
            if name == "type":
                continue
            variants.append(
                (f"{kind}: without {name}", {k: v for k, v in sample.items() if k != name})
            )
        for name in sample["filters"]:
            body = copy.deepcopy(sample)
            del body["filters"][name]
            variants.append((f"{kind}: without filters.{name}", body))
    return variants + list(OTHER_FORMS)


def accepted(contract: Contract, body: dict[str, Any], what: str) -> Exchange | None:
    """The request must answer 2xx with a JSON page that passes every pair check.

    A 4xx the page allows (a sortBy without ``name``, S-06; a form the samples do not show,
    S-08 and S-22; a request past the end, S-26) is recorded, the answer left unjudged, and
    ``None`` returned.
    """
    __tracebackhide__ = True
    exchange = contract.post(body)
    if not is_success(exchange):
        if contract.allowed_refusal(body, exchange) is not None:
            return None
        contract.fail(f"{what}: a documented-valid request answered {exchange.answer}", exchange)
    contract.judge(body, exchange)
    return exchange


def optional_fields(contract: Contract) -> None:
    __tracebackhide__ = True
    for what, body in contract.within_share(optional_field_variants()):
        accepted(contract, body, what)


def blank_paging(contract: Contract) -> None:
    """``""`` for skip, page or limit means the field is absent (S-05)."""
    __tracebackhide__ = True
    for kind in DOC_SAMPLES:
        for blanks in contract.within_share(BLANK_PAGING):
            accepted(contract, {"type": kind, **blanks}, f'{kind} with {sorted(blanks)} as ""')


def rejected(contract: Contract, exchange: Exchange, what: str) -> None:
    """The request must be refused: a 4xx, or a 2xx that refuses in its body (S-46, recorded);
    never a listing, never a server error."""
    __tracebackhide__ = True
    if refused_in_body(contract, exchange, what):
        return
    found = status_violations(exchange, REJECTED, "a 4xx answer")
    contract.require(found, exchange, what=f"{what}: expected 4xx, got HTTP {exchange.status}")


def invalid_rejected(contract: Contract, bad: InvalidRequest) -> None:
    """A schema-invalid request must be refused (:func:`rejected`), and as the server refused
    the first one: with a 4xx, or in its body under a 2xx. Either reading is allowed (S-46),
    but one server's validation follows one."""
    __tracebackhide__ = True
    exchange = contract.post(bad.body)
    if exchange.succeeded and read_leniently(contract, bad, exchange):
        return
    rejected(contract, exchange, bad.description)
    in_body = exchange.refuses_in_body
    if contract.first_refusal is None:
        contract.first_refusal = (in_body, bad.description, exchange.answer)
        return
    first_in_body, first_what, first_answer = contract.first_refusal
    if in_body != first_in_body:
        contract.fail(
            f"{bad.description}: refused with {exchange.answer}, but a request where "
            f"{first_what} was refused with {first_answer}: a server refuses the requests its "
            "schema rejects in one way, by status or in the body (S-46)",
            exchange,
        )


def read_leniently(contract: Contract, bad: InvalidRequest, answer: Exchange) -> bool:
    """True, and recorded (S-47), when ``answer`` lists what the one reading of ``bad`` a
    lenient server could take (:func:`lenient_reading`) lists: the same campaigns (in the same
    order, for a sort) and the same totalResults. A listing that is not that reading's answer
    fails as any other."""
    __tracebackhide__ = True
    reading = lenient_reading(bad)
    if reading is None:
        return False
    canonical = contract.post(reading)
    ordered = bad.field.startswith("sortBy")
    if not canonical.succeeded or _listed(canonical, ordered) != _listed(answer, ordered):
        return False
    contract.observe(
        "S-47",
        f"{bad.description} was read leniently, as {json.dumps(reading)}: the same answer",
        exchange=answer,
    )
    return True


def _listed(exchange: Exchange, ordered: bool) -> tuple[Any, list[str]]:
    body = exchange.response_body
    ids = [str(identity(item)) for item in results_of(body)]
    return field_of(body, "totalResults"), ids if ordered else sorted(ids)


def malformed_json(contract: Contract) -> None:
    __tracebackhide__ = True
    for raw in contract.within_share(MALFORMED):
        exchange = contract.post(raw=raw)
        rejected(contract, exchange, "a body that is not JSON")


def _observe_unknown(
    contract: Contract, spec_note: str, what: str, body: dict[str, Any], accepted_as: str
) -> Exchange:
    """Send ``body``, which carries ``what``: the answer is recorded and a 5xx fails."""
    __tracebackhide__ = True
    exchange = contract.post(body)
    outcome = accepted_as if is_success(exchange) else "rejected"
    message = f"{what} was {outcome} ({exchange.answer})"
    contract.observe_answer(spec_note, what, exchange, message=message)
    return exchange


def observe_unknown_field(contract: Contract) -> None:
    """An unknown top-level field (S-21): ignored or rejected, recorded; a 5xx fails."""
    __tracebackhide__ = True
    body = {"type": "voice", "limit": 5, "campaignContractProbe": True}
    exchange = _observe_unknown(contract, "S-21", "an unknown top-level field", body, "ignored")
    if is_success(exchange):
        contract.judge(body, exchange)


def observe_unknown_sort_key(contract: Contract) -> None:
    """An unknown key inside ``sortBy`` (S-37): ignored or rejected, recorded; a 5xx fails."""
    __tracebackhide__ = True
    for key in contract.within_share(UNKNOWN_SORT_KEYS):
        body = {"type": "voice", "limit": 5, "sortBy": {key: "asc"}}
        _observe_unknown(contract, "S-37", f"the unknown sort key {key!r}", body, "accepted")


_INVALID_SAMPLES: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("type", {}, "type is missing"),
    ("type", {"type": "email"}, "type is 'email', not voice/sms"),
    ("type", {"type": ""}, "type is '': missing or unknown"),
    ("skip", {"type": "voice", "skip": -1}, "skip is negative: -1"),
    ("page", {"type": "voice", "page": -2}, "page is negative: -2"),
    ("limit", {"type": "sms", "limit": "abc"}, "limit is neither a number nor '': 'abc'"),
    ("filters.status", {"type": "voice", "filters": {"status": ["Running"]}}, "status 'Running'"),
    ("filters.priority", {"type": "sms", "filters": {"priority": [9]}}, "priority 9"),
    ("filters.dialingMode", {"type": "voice", "filters": {"dialingMode": ["Manual"]}}, "Manual"),
    ("sortBy", {"type": "voice", "sortBy": "createdAt"}, "sortBy is not an object"),
    ("sortBy.name", {"type": "voice", "sortBy": {"name": "up"}}, "sort direction 'up'"),
    ("startDate", {"type": "voice", "startDate": "not a date"}, "startDate is not a date"),
    ("filters", {"type": "voice", "filters": "Ready"}, "filters is not an object"),
)


def invalid_samples() -> list[InvalidRequest]:
    """One schema-invalid request of each kind, run on every run besides the generated ones."""
    return [
        InvalidRequest(body, name, "/" + name.replace(".", "/"), description)
        for name, body, description in _INVALID_SAMPLES
    ]


def with_invalid_samples(test: Callable[..., None]) -> Callable[..., None]:
    """Decorate a ``@given(bad=invalid_requests())`` test with :func:`invalid_samples`."""
    for sample in reversed(invalid_samples()):
        test = example(bad=sample)(test)
    return test
