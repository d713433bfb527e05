"""One secrets policy: mask by structure first, a known value as a substring only from 8
characters. Short secrets (``t``, ``sec``, ``<``...) corrupt nothing; a long one leaks nowhere."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from campaign_contract._secrets import (
    MASK,
    MIN_LENGTH,
    Scrubber,
    is_secret_name,
    mask_headers,
    mask_url,
)
from campaign_contract.client._client import CampaignClient, TargetUnreachable
from campaign_contract.client._exchange import Target
from campaign_contract.report import Failure, Observation, RunRecord, write_reports
from campaign_contract.validation._schemas import validator
from report_records import failing_record


def long_jwt(size: int = 2048) -> str:
    """A JWT-shaped token of about ``size`` characters, unlike any other in the tests."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    payload = json.dumps({"appId": "cs-long", "pad": "q" * (size * 3 // 4)}).encode()
    return ".".join((part(b'{"alg":"HS256","typ":"JWT"}'), part(payload), part(b"sig" * 11)))


JWT = long_jwt()
SHORT_SECRETS = ("t", "sec", "tion", "<", "a b", '"')


def _schema_errors(doc: Any) -> list[str]:
    found = validator("report", "documented").iter_errors(doc)  # type: ignore[arg-type]
    return [f"{list(e.absolute_path)}: {e.message}" for e in found]


def _texts(directory: Path) -> dict[str, str]:
    """Each report's text, the directory's own name (in summary.md) written as ``DIR``."""
    return {
        p.name: p.read_text(encoding="utf-8").replace(str(directory), "DIR")
        for p in sorted(directory.iterdir())
    }


def _with_credential_fields(record: RunRecord, value: str) -> RunRecord:
    """The record, plus an observation whose request body carries ``value`` in a
    credential-named field, as a server echoing the token might produce."""
    record.add_observation(
        Observation("echo", None, "the server echoed the request", {"type": "voice", "auth": value})
    )
    return record


def test_jwt_fixture_is_two_kilobytes_and_distinct() -> None:
    assert 2000 <= len(JWT) <= 2200 and JWT.count(".") == 2


@pytest.mark.parametrize("secret", [*SHORT_SECRETS, JWT], ids=[*SHORT_SECRETS, "jwt-2k"])
def test_a_secret_leaves_every_report_intact_and_valid(secret: str, tmp_path: Path) -> None:
    plain_dir, secret_dir = tmp_path / "plain", tmp_path / "secret"
    write_reports(_with_credential_fields(failing_record(), MASK), plain_dir)
    record = _with_credential_fields(failing_record(), secret)
    record.add_secret(secret)
    write_reports(record, secret_dir)
    # Short or absent from the text, the secret changes nothing: same bytes as without it.
    assert _texts(secret_dir) == _texts(plain_dir)
    doc = json.loads((secret_dir / "report.json").read_text(encoding="utf-8"))
    assert _schema_errors(doc) == []
    assert [c["name"] for c in doc["checks"]] == [c.name for c in failing_record().checks]
    assert doc["observations"][-1]["request_body"] == {"type": "voice", "auth": MASK}


@pytest.mark.parametrize("where", ["message", "excerpt", "curl", "settings", "check"])
def test_a_long_secret_is_masked_wherever_it_is_quoted(where: str, tmp_path: Path) -> None:
    record = failing_record()
    record.add_secret(JWT)
    failure = Failure(message="failed", response_status=401)
    if where == "message":
        failure.message = f"the server said {JWT!r} is not valid"
    elif where == "excerpt":
        failure.response_excerpt = json.dumps({"error": {"detail": f"bad token {JWT}"}})
    elif where == "curl":
        failure.curl = f"curl --header 'X-Other: {JWT}'"
    elif where == "settings":
        record.settings["echoed"] = [f"{JWT}"]
    record.checks[0].failures.append(failure)
    record.checks[0].skip_reason = f"skipped with {JWT}" if where == "check" else None
    write_reports(record, tmp_path)
    for name, text in _texts(tmp_path).items():
        assert JWT[-40:] not in text and JWT[100:140] not in text, name
    assert _schema_errors(json.loads((tmp_path / "report.json").read_text())) == []


def test_short_secrets_are_not_substrings_long_ones_are_in_every_escaped_form() -> None:
    shorts = Scrubber(SHORT_SECRETS)
    text = 'content-type <section class="a b"> tion "t"'
    assert shorts.text(text) == text
    assert not shorts and MIN_LENGTH == 8
    secret = 'k"ey<&>/ 12'
    long = Scrubber([secret])
    for form in (secret, json.dumps(secret)[1:-1], "k&quot;ey&lt;&amp;&gt;/ 12", "k%22ey%3C"):
        assert secret not in long.text(f"x {form} y")
    assert long.text(f"'{secret[:7]}...{secret[-7:]}'") == "'***...***'"


def test_data_is_masked_by_structure_and_keys_are_never_changed() -> None:
    scrubber = Scrubber(["t", JWT])
    data = {
        "auth": "t",
        "Authorization": ["Bearer t"],
        "type": "t",
        "nested": [{"client_secret": {"deep": 1}, "note": f"token {JWT}"}],
        "content-type": "text",
        "empty": {"token": None},
    }
    assert scrubber.data(data) == {
        "auth": MASK,
        "Authorization": MASK,
        "type": "t",
        "nested": [{"client_secret": MASK, "note": f"token {MASK}"}],
        "content-type": "text",
        "empty": {"token": None},
    }


def test_one_policy_of_names_for_headers_fields_and_query_parameters() -> None:
    for name in ("auth", "Authorization", "X-Auth-Token", "Cookie", "set-cookie", "x-api-key"):
        assert is_secret_name(name), name
    for name in ("client_secret", "password", "api_key", "access_token", "sig", "jwt"):
        assert is_secret_name(name), name
    for name in ("type", "accountid", "iid", "Content-Type", "status", "limit", "sortBy"):
        assert not is_secret_name(name), name
    assert mask_headers({"auth": "t", "iid": "t"}) == {"auth": MASK, "iid": "t"}
    assert mask_url("https://h.example/p?accountId=t&access_token=t") == (
        "https://h.example/p?accountId=t&access_token=***"
    )


@pytest.mark.parametrize("token", ["t", "tion", JWT], ids=["t", "tion", "jwt-2k"])
def test_an_unreachable_target_is_named_whole_whatever_the_token(token: str) -> None:
    client = CampaignClient(Target("http://127.0.0.1:9", "st-app", "acc", token), retries=0)
    with pytest.raises(TargetUnreachable) as raised:
        client.post({"type": "voice"})
    message = str(raised.value)
    assert message.startswith("no response from http://127.0.0.1:9 after 1 attempts")
    assert JWT[-40:] not in message


def _suite_run(pytester: pytest.Pytester, *options: str) -> tuple[int, dict[str, str]]:
    """Run the contract suite on the embedded mock; its exit status and everything it wrote
    or printed."""
    from campaign_contract.cli._verify import suite_dir

    reports = pytester.path / "reports"
    result = pytester.runpytest_subprocess(
        str(suite_dir()), "-p", "no:randomly", f"--campaign-report-dir={reports}", *options
    )
    texts = {"stdout": result.stdout.str(), "stderr": result.stderr.str()}
    texts |= {p.name: p.read_text(encoding="utf-8") for p in reports.iterdir()}
    return result.ret, texts


def _assert_reports_intact(texts: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(texts["report.json"])
    assert _schema_errors(doc) == []
    names = [c["name"] for c in doc["checks"]]
    assert names and not [n for n in names if MASK in n]
    assert "<***" not in texts["report.html"] and 'class="card"' in texts["report.html"]
    return doc


@pytest.mark.slow
def test_a_clean_mock_run_with_token_t_passes_every_check(pytester: pytest.Pytester) -> None:
    status, texts = _suite_run(pytester, "--campaign-token=t", "--campaign-max-examples=4")
    doc = _assert_reports_intact(texts)
    assert (status, doc["verdict"], doc["totals"]["failed"]) == (0, "passed", 0)
    assert doc["totals"]["passed"] == doc["totals"]["checks"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("option", "secret"),
    [("token", JWT), ("client-secret", JWT), ("client-secret", "sec"), ("token", '"')],
    ids=["token-jwt-2k", "client-secret-jwt-2k", "client-secret-sec", "token-quote"],
)
def test_a_failing_run_leaks_no_long_secret_and_keeps_its_reports_intact(
    pytester: pytest.Pytester, option: str, secret: str
) -> None:
    credentials = [f"--campaign-{option}={secret}"]
    if option == "client-secret":
        credentials.append("--campaign-client-id=cs-long")
    status, texts = _suite_run(
        pytester,
        *credentials,
        "--campaign-max-examples=3",
        "--campaign-fault=priority-as-number",
        "-k",
        "auth or test_schema",
    )
    doc = _assert_reports_intact(texts)
    assert status == 1 and doc["verdict"] == "failed"
    for where, text in texts.items():
        assert JWT[-40:] not in text and JWT[100:140] not in text, where
        assert "eyJhbGciOiJIUzI1NiIs" not in text, where  # no signed token either
