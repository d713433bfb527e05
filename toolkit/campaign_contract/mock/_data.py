"""The mock's campaigns: a deterministic generated data set, or campaigns loaded from a file."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from campaign_contract.mock._request import STATUSES
from campaign_contract.mock._tenants import Tenant
from campaign_contract.mock._timestamps import NS_PER_DAY, NS_PER_MS, format_iso, parse_iso

Campaign = dict[str, Any]
T = TypeVar("T")
DEFAULT_CAMPAIGNS = 250
"""Campaigns generated per type when no count is given."""

_START_NS = parse_iso("2025-03-03T00:00:00.000Z") or 0
_SPAN_NS = 280 * NS_PER_DAY
_DIALING_MODES = ("Progressive", "Preview", "Agentless")

_VOICE_NAMES = (
    "Billing Reminder Voice Campaign",
    "Service Renewal Outreach Campaign",
    "appointment confirmation calls",
    "Payment Follow-up",
    "NPS survey",
    "late payment reminder",
    "ZEBRA Winback Dialer",
    "Café Loyalty Calls",
    "delivery window check",
    "Agentless Balance Alert",
)
_SMS_NAMES = (
    "Event Reminder SMS Campaign",
    "Interactive Support SMS Campaign",
    "Billing Alert Template Campaign-",
    "order shipped notice",
    "Flash Sale Blast",
    "password reset nudge",
    "ÉTÉ Promo SMS",
    "appointment reminder",
    "Survey Invite",
    "welcome series",
)
_VOICE_DESCRIPTIONS = (
    "Progressive dialing campaign to remind customers about upcoming bill payments.",
    "Connects customers with live agents to assist with upcoming service renewals.",
    "Plays a recorded message when no agent is available.",
    "",
)
_SMS_DESCRIPTIONS = (
    "Sends a one-time message to remind users about an upcoming event.",
    "Sends an SMS with a link to chat with a bot about orders and tickets — no agent needed.",
    "Uses a pre-approved message template to alert customers about pending bills.",
)
_TEXTS = (
    "Message for your targeted customer",
    "Greetings, <First Name>! Your bill of <Amount> is due on <Due Date>.",
    "Your order has shipped. Reply STOP to opt out.",
)
_ENCODED_TEXTS = tuple(base64.b64encode(text.encode()).decode() for text in _TEXTS)
_CONTACT_LISTS = ("CL Only 2020 Dec 4", "Spring Leads", "VIP customers", "Renewals Q3")
_DNC_NAMES = ("DNC CL Dec 4", "testdnc", "Global DNC")
_QUEUES = ("Default Queue", "Sales Queue", "Support Queue")


class MockDataError(ValueError):
    """Campaign data the mock cannot load, with a one-line reason."""


class _Draws(random.Random):
    """Draws made only of ``random()`` and ``getrandbits()``: the same on every Python version
    (``choice``, ``randrange`` and ``sample`` are not promised to be), and cheaper."""

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def below(self, n: int) -> int:
        """A whole number in [0, n)."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """A whole number in [low, high]."""
        return low + int(self.random() * (high - low + 1))

    def one_or_two(self, items: Sequence[T]) -> list[T]:
        """One or two distinct items, in the order drawn."""
        first = self.below(len(items))
        if self.random() < 0.5:
            return [items[first]]
        second = self.below(len(items) - 1)
        return [items[first], items[second + (second >= first)]]


def _uuid(rng: _Draws, prefix: str) -> str:
    digits = f"{rng.getrandbits(128):032x}"
    return f"{prefix}-{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _name(rng: _Draws, bases: tuple[str, ...]) -> str:
    base = rng.pick(bases)
    roll = rng.random()
    if roll < 0.15:
        return base  # a bare name shared by several campaigns: ties in names
    if roll < 0.25:
        return base.lower()
    if roll < 0.3:
        return base.upper()
    return f"{base}{rng.between(1, 120)}"


def _times(rng: _Draws, previous: list[int]) -> tuple[int, int, int]:
    if previous and rng.random() < 0.12:
        created = rng.pick(previous)  # ties in createdAt
    else:
        created = _START_NS + rng.below(_SPAN_NS // NS_PER_MS) * NS_PER_MS
    previous.append(created)
    roll = rng.random()
    if roll < 0.1:
        updated = created
    else:
        updated = created + 1 + rng.below(30 * NS_PER_DAY // NS_PER_MS - 1) * NS_PER_MS
    instance = updated + rng.pick((0, 0, 0, 7)) * NS_PER_MS
    return created, updated, instance


def _common(rng: _Draws, index: int) -> dict[str, Any]:
    status = STATUSES[index] if index < len(STATUSES) else rng.pick(STATUSES)
    priority = str(index % 5 + 1) if index < 5 else str(rng.between(1, 5))
    return {"status": status, "priority": priority}


def _schedule(rng: _Draws) -> dict[str, bool]:
    schedule = {"isSchedulingEnabled": rng.random() < 0.3}
    if rng.random() < 0.7:
        schedule["isRecurrenceEnabled"] = rng.random() < 0.2
    return schedule


def _voice(rng: _Draws, index: int, created_pool: list[int]) -> Campaign:
    common = _common(rng, index)
    created, updated, instance = _times(rng, created_pool)
    item: Campaign = {"_id": _uuid(rng, "cd"), "name": _name(rng, _VOICE_NAMES)}
    item["description"] = rng.pick(_VOICE_DESCRIPTIONS)
    if rng.random() < 0.7:
        item["dncLists"] = {"id": _uuid(rng, "cl"), "name": rng.pick(_DNC_NAMES)}
    item["priority"] = common["priority"]
    mode = _DIALING_MODES[index % 3] if index < 3 else rng.pick(_DIALING_MODES)
    item["dialingMode"] = mode
    item["status"] = common["status"]
    item["isFiltersEnabled"] = rng.random() < 0.2
    item["createdAt"] = format_iso(created)
    item["updatedAt"] = format_iso(updated)
    if rng.random() < 0.85:
        item["campaignInstanceUpdatedAt"] = format_iso(instance)
    if rng.random() < 0.3:
        item["campaignInstanceId"] = _uuid(rng, "cid")
    item["schedule"] = _schedule(rng)
    item["connection"] = rng.pick(_QUEUES)
    item["contactLists"] = rng.one_or_two(_CONTACT_LISTS)
    return item


def _sms(rng: _Draws, index: int, created_pool: list[int]) -> Campaign:
    common = _common(rng, index)
    created, updated, instance = _times(rng, created_pool)
    if rng.random() < 0.05:
        updated = created - rng.between(1, 400) * NS_PER_MS  # as in the doc's samples (S-13)
    simple = index % 3 != 1 if index < 3 else rng.random() < 0.65
    item: Campaign = {"name": _name(rng, _SMS_NAMES), "description": rng.pick(_SMS_DESCRIPTIONS)}
    item["status"] = common["status"]
    if rng.random() < 0.7:
        item["dncLists"] = {"name": rng.pick(_DNC_NAMES)}
    item["priority"] = common["priority"]
    if simple:
        message: dict[str, str] = {"message": rng.pick(_ENCODED_TEXTS)}
        if rng.random() < 0.4:
            message = {"template_name": "Welcome", **message, "templateId": _uuid(rng, "cmt")}
        item["message"] = message
    else:
        item["experienceFlow"] = _uuid(rng, "cf")
    item["createdAt"] = format_iso(created)
    item["updatedAt"] = format_iso(updated)
    item["schedule"] = _schedule(rng)
    if rng.random() < 0.3:
        item["campaignInstanceId"] = _uuid(rng, "cid")
    item["id"] = _uuid(rng, "cd")
    sent = 0 if common["status"] in ("Ready", "Scheduled", "Preparing") else rng.between(0, 50_000)
    item["totalMessagesSent"] = sent
    item["campaignInstanceUpdatedAt"] = format_iso(instance)
    item["campaignExecutionType"] = "NORMAL"
    item["contactLists"] = rng.one_or_two(_CONTACT_LISTS)
    item["format"] = "simple" if simple else "advanced"
    return item


def generate(seed: int = 0, count: int = DEFAULT_CAMPAIGNS) -> dict[str, list[Campaign]]:
    """``count`` voice and ``count`` SMS campaigns, the same for the same ``seed``."""
    rng = _Draws(seed)
    voice_pool: list[int] = []
    sms_pool: list[int] = []
    return {
        "voice": [_voice(rng, i, voice_pool) for i in range(count)],
        "sms": [_sms(rng, i, sms_pool) for i in range(count)],
    }


_VOICE_KEYS = frozenset({"dialingMode", "connection", "isFiltersEnabled", "_id"})
_SMS_KEYS = frozenset(
    {"format", "totalMessagesSent", "campaignExecutionType", "message", "experienceFlow"}
)


def _kind(item: Campaign) -> str | None:
    voice = not _VOICE_KEYS.isdisjoint(item)
    sms = not _SMS_KEYS.isdisjoint(item)
    if voice != sms:
        return "voice" if voice else "sms"
    return None


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MockDataError(f"cannot read {path}: {exc}") from None
    if path.suffix.lower() not in (".yaml", ".yml"):
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise _not_data(path, exc) from None
    import yaml  # here: most mocks load no YAML data

    try:
        return _plain(yaml.safe_load(text))
    except (ValueError, yaml.YAMLError, RecursionError) as exc:
        raise _not_data(path, exc) from None


def _not_data(path: Path, exc: Exception) -> MockDataError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return MockDataError(f"{path} is not valid JSON or YAML: {reason}")


def _plain(value: Any) -> Any:
    """YAML's timestamps turned back into the ISO strings JSON would have carried."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        stamp = moment.astimezone(UTC)
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _results(doc: Any) -> list[Any] | None:
    data = doc.get("data") if isinstance(doc, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    return results if isinstance(results, list) else None


Campaigns = dict[str, list[Campaign]]
_TENANT_FIELDS = {
    "accountId": "account_id",
    "appId": "app_id",
    "token": "token",
    "clientId": "client_id",
    "clientSecret": "client_secret",
}


def load(path: str | Path) -> Campaigns:
    """Campaigns from a JSON or YAML file (of its first tenant, when it lists tenants).

    Accepted shapes: ``{"voice": [...], "sms": [...]}``; a response envelope; a list of
    envelopes (a crawl); a list of campaigns. Outside the first shape each campaign's type is
    told from the fields only one type carries.
    """
    return load_dataset(path)[1][0]


def load_dataset(path: str | Path) -> tuple[list[Tenant] | None, list[Campaigns]]:
    """The tenants a data file lists with their campaigns, or (``None``, [its campaigns]).

    A file of several tenants is ``{"tenants": [{"accountId": ..., "appId": ..., "token": ...
    or "clientId": ... and "clientSecret": ..., "campaigns": <any shape :func:`load` takes>},
    ...]}``.
    """
    path = Path(path)
    doc = _read(path)
    if not (isinstance(doc, dict) and "tenants" in doc):
        return None, [_campaigns(path, doc)]
    listed = doc["tenants"]
    if not isinstance(listed, list) or not listed:
        raise MockDataError(f"{path}: tenants must be a non-empty list")
    tenants: list[Tenant] = []
    campaigns: list[Campaigns] = []
    for number, entry in enumerate(listed):
        where = f"{path}: tenants[{number}]"
        if not isinstance(entry, dict):
            raise MockDataError(f"{where} is not an object")
        unknown = sorted(set(entry) - set(_TENANT_FIELDS) - {"campaigns"})
        if unknown:
            raise MockDataError(f"{where}: unknown field {unknown[0]!r}")
        fields = {}
        for name, attribute in _TENANT_FIELDS.items():
            value = entry.get(name)
            if value is not None and not (isinstance(value, str) and value):
                raise MockDataError(f"{where}.{name} must be a non-empty string")
            if value is not None:
                fields[attribute] = value
        if "accountId" not in entry or "appId" not in entry:
            raise MockDataError(f"{where} needs an accountId and an appId")
        tenants.append(Tenant(**fields))
        campaigns.append(_campaigns(path, entry.get("campaigns", {"voice": [], "sms": []})))
    return tenants, campaigns


def _campaigns(path: Path, doc: Any) -> Campaigns:
    out: Campaigns = {"voice": [], "sms": []}
    if isinstance(doc, dict) and ("voice" in doc or "sms" in doc) and "data" not in doc:
        for kind in ("voice", "sms"):
            listed = doc.get(kind, [])
            if not isinstance(listed, list):
                raise MockDataError(f"{path}: {kind} must be a list of campaigns")
            out[kind].extend(_checked(path, listed))
        return out
    pages = doc if isinstance(doc, list) and all(_results(d) is not None for d in doc) else [doc]
    items: list[Any] = []
    for page in pages:
        results = _results(page)
        if results is not None:
            items.extend(results)
        elif isinstance(page, list):
            items.extend(page)
        else:
            raise MockDataError(f"{path} holds neither campaigns nor a response with data.results")
    for number, item in enumerate(_checked(path, items)):
        found = _kind(item)
        if found is None:
            raise MockDataError(
                f"{path}: campaign {number} is neither clearly voice nor SMS;"
                " put the campaigns under a 'voice' or 'sms' key"
            )
        out[found].append(item)
    return out


def _checked(path: Path, items: list[Any]) -> list[Campaign]:
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            raise MockDataError(f"{path}: campaign {number} is not an object")
    return items
