"""A deterministic JSONL corpus of valid responses for the validation benchmarks.

Every line is one response page of 50 campaigns (about 30 KB), alternating voice and SMS. The
campaigns are the doc's sample campaigns with names, identifiers, timestamps and counters varied
by a seeded generator, so the same ``seed`` and size always give byte-identical files. Pages are
valid under both profiles (undocumented sample fields are left out).

``build_har`` writes the same pages as a HAR 1.2 capture: one getAllCampaignDetails entry per
page, with the request that asked for it (type, skip, limit), headers and timings as a browser
records them.

    python benchmarks/corpus.py OUT.jsonl --mb 100
    python benchmarks/corpus.py OUT.har --mb 100
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

TESTS = Path(__file__).resolve().parent.parent / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
from oracle_samples import load, page  # noqa: E402

CAMPAIGNS_PER_PAGE = 50
STATUSES = ["Active", "Completed", "Ready", "Paused", "Preparing", "Stopped", "Scheduled"]
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def _samples(kind: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = load(f"response-{kind}.json")["data"]["results"]
    return results


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _hex(rng: random.Random, size: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(size))


def _campaign(kind: str, template: dict[str, Any], rng: random.Random, n: int) -> dict[str, Any]:
    item = dict(template)
    created = EPOCH + timedelta(seconds=rng.randrange(0, 300 * 86400), milliseconds=n % 1000)
    updated = created + timedelta(seconds=rng.randrange(0, 86400))
    ident = f"cd-{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}"
    item["name"] = f"{template['name'].rstrip('0123456789-')} {n}"
    item["status"] = rng.choice(STATUSES)
    item["priority"] = str(rng.randint(1, 5))
    item["createdAt"] = _stamp(created)
    item["updatedAt"] = _stamp(updated)
    item["campaignInstanceUpdatedAt"] = _stamp(updated)
    if kind == "voice":
        item.pop("_id", None)
        item["id"] = ident
        item["dialingMode"] = rng.choice(["Progressive", "Preview", "Agentless"])
        item["isFiltersEnabled"] = rng.random() < 0.3
    else:
        item["id"] = ident
        item["totalMessagesSent"] = rng.randrange(0, 100_000)
        item.pop("campaignInstanceId", None)  # undocumented (S-12): keep pages strict-valid
        if "message" in item:
            item["message"] = {"message": item["message"]["message"]}
    return item


def response(kind: str, number: int, rng: random.Random) -> dict[str, Any]:
    """One valid response page of ``kind`` holding 50 campaigns."""
    samples = _samples(kind)
    total = 10_000
    skip = (number * CAMPAIGNS_PER_PAGE) % total
    results = [
        _campaign(kind, samples[i % len(samples)], rng, skip + i) for i in range(CAMPAIGNS_PER_PAGE)
    ]
    return page(results, skip=skip, limit=CAMPAIGNS_PER_PAGE, total=total)


def lines(seed: int = 0) -> Iterator[bytes]:
    """An endless stream of JSONL lines (with newline), voice and SMS in turn."""
    rng = random.Random(seed)
    number = 0
    while True:
        kind = "voice" if number % 2 == 0 else "sms"
        yield orjson.dumps(response(kind, number, rng)) + b"\n"
        number += 1


def build(path: Path, size_bytes: int, seed: int = 0) -> tuple[int, int]:
    """Write at least ``size_bytes`` of whole lines to ``path``; returns (lines, bytes).

    The first line pages repeat so that building is fast; the content stays deterministic.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pool = []
    for line in lines(seed):
        pool.append(line)
        if len(pool) == 64:
            break
    written = count = 0
    with path.open("wb") as out:
        while written < size_bytes:
            line = pool[count % len(pool)]
            out.write(line)
            written += len(line)
            count += 1
    return count, written


URL = (
    "https://platform.kore.ai/campaign/api/v2/public/st-bench/campaign/getAllCampaignDetails"
    "?accountId=bench-account"
)


def har_entry(line: bytes, number: int) -> bytes:
    """One HAR entry holding the response page ``line`` and the request that asked for it."""
    data = orjson.loads(line)["data"]
    kind = "voice" if "dialingMode" in data["results"][0] else "sms"
    request = {"type": kind, "skip": data["skip"], "limit": data["limit"]}
    text = line.rstrip(b"\n").decode("utf-8")
    headers = [
        {"name": "Content-Type", "value": "application/json"},
        {"name": "accountid", "value": "bench-account"},
        {"name": "iid", "value": "st-bench"},
    ]
    entry = {
        "startedDateTime": _stamp(EPOCH + timedelta(seconds=number)),
        "time": 120,
        "request": {
            "method": "POST",
            "url": URL,
            "httpVersion": "HTTP/1.1",
            "headers": headers,
            "queryString": [{"name": "accountId", "value": "bench-account"}],
            "postData": {"mimeType": "application/json", "text": orjson.dumps(request).decode()},
            "headersSize": -1,
            "bodySize": -1,
        },
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "content": {"size": len(text), "mimeType": "application/json", "text": text},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(text),
        },
        "cache": {},
        "timings": {"send": 1, "wait": 110, "receive": 9},
    }
    indented = orjson.dumps(entry, option=orjson.OPT_INDENT_2).split(b"\n")
    return b"\n".join(b"      " + line for line in indented)  # as a browser exports it


def build_har(path: Path, size_bytes: int, seed: int = 0) -> tuple[int, int]:
    """Write a HAR of at least ``size_bytes``; returns (entries, bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pool = []
    for number, line in enumerate(lines(seed)):
        pool.append(har_entry(line, number))
        if len(pool) == 64:
            break
    head = (
        b'{\n  "log": {\n    "version": "1.2",\n'
        b'    "creator": {"name": "bench", "version": "1"},\n    "entries": [\n'
    )
    written = count = 0
    with path.open("wb") as out:
        written += out.write(head)
        while written < size_bytes:
            if count:
                written += out.write(b",\n")
            written += out.write(pool[count % len(pool)])
            count += 1
        written += out.write(b"\n    ]\n  }\n}\n")
    return count, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=10.0, help="size in MB (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    builder = build_har if args.out.suffix == ".har" else build
    count, written = builder(args.out, int(args.mb * 1_000_000), args.seed)
    print(f"{args.out}: {count} responses, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
