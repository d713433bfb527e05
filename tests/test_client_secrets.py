"""Credentials travel as Secrets: sent as they are, shown as ``***``, even by ``pytest -l``."""

from __future__ import annotations

import json
import pickle
import pprint
import textwrap

import pytest
from campaign_contract import CampaignClient, resolve_token, sign_token
from campaign_contract._secrets import Secret, mask_headers, secret_headers
from campaign_contract.client._exchange import Target
from client_stub import StubServer

SENTINEL = "eyJSENTINELTOKENabc123.payload.sig"
OTHER = "sentinel-override-token-42"


def test_secret_shows_masked_but_is_its_text() -> None:
    token = Secret(SENTINEL)
    assert repr(token) == "***" and f"{token!r}" == "***"
    assert token == SENTINEL and str(token) == SENTINEL and f"{token}" == SENTINEL
    assert json.dumps({"auth": token}) == json.dumps({"auth": SENTINEL})
    assert pickle.loads(pickle.dumps(token)) == SENTINEL
    for shown in (repr({"auth": token}), pprint.pformat({"auth": token, "x": "y" * 100})):
        assert SENTINEL not in shown and "***" in shown


def test_targets_tokens_and_headers_hold_secrets() -> None:
    target = Target("http://127.0.0.1:1", "st-app", "acct", SENTINEL)
    assert isinstance(target.token, Secret) and target.token == SENTINEL
    assert target == Target("http://127.0.0.1:1", "st-app", "acct", SENTINEL)
    assert SENTINEL not in repr(target.headers())
    assert isinstance(resolve_token(SENTINEL, None, None), Secret)
    assert repr(sign_token("cs-1", "a-client-secret-of-some-length")) == "***"
    masked = secret_headers({"Auth": OTHER, "Cookie": "c=1", "iid": "st-app"})
    assert SENTINEL not in repr(masked) and OTHER not in repr(masked)
    assert masked == {"Auth": OTHER, "Cookie": "c=1", "iid": "st-app"}
    assert mask_headers(masked)["Auth"] == "***"


def test_client_sends_the_real_values(server: StubServer) -> None:
    client = CampaignClient(Target(server.url, "st-app", "acct", SENTINEL))
    client.post({"type": "voice"})
    client.post({"type": "voice"}, auth=OTHER)
    client.post({"type": "voice"}, headers={"Cookie": "session=abc"})
    first, second, third = server.seen
    assert first.headers["auth"] == SENTINEL
    assert second.headers["auth"] == OTHER
    assert third.headers["cookie"] == "session=abc"
    sent = client.headers(auth=OTHER)
    assert sent["auth"] == OTHER and OTHER not in repr(sent)


FAILING_TESTS = textwrap.dedent(
    f"""
    import socket
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    import requests
    from campaign_contract import CampaignClient
    from campaign_contract.client._exchange import Target

    SENTINEL = {SENTINEL!r}
    OTHER = {OTHER!r}


    class Deep(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b"[" * 5000 + b"]" * 5000
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass


    class Exploding(requests.Session):
        def request(self, *args, **kwargs):
            raise RuntimeError("the session broke")


    def closed_port():
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]


    def test_deep_json_then_a_failed_assertion():
        server = HTTPServer(("127.0.0.1", 0), Deep)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{{server.server_port}}"
        client = CampaignClient(Target(url, "a", "b", SENTINEL))
        try:
            exchange = client.post({{"type": "voice"}}, auth=OTHER)
            assert exchange.response_body is not None, client.headers()
        finally:
            server.shutdown()


    def test_unreachable_target():
        url = f"http://127.0.0.1:{{closed_port()}}"
        CampaignClient(Target(url, "a", "b", SENTINEL), retries=0).post({{"type": "voice"}})


    def test_broken_session():
        target = Target("http://127.0.0.1:1", "a", "b", SENTINEL)
        client = CampaignClient(target, session=Exploding())
        client.post({{"type": "voice"}}, auth=OTHER, headers={{"Cookie": OTHER}})


    def test_unsendable_header():
        target = Target("http://127.0.0.1:1", "a", "b", SENTINEL)
        CampaignClient(target).post({{"type": "voice"}}, headers={{"auth": OTHER + "\\u2603"}})
    """
)


@pytest.mark.parametrize("options", [("-l",), ("-l", "-vv"), ("-l", "--tb=long", "-vvv")])
def test_pytest_showlocals_never_prints_a_credential(
    pytester: pytest.Pytester, options: tuple[str, ...]
) -> None:
    pytester.makepyfile(test_leaky=FAILING_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", *options)
    result.assert_outcomes(failed=4)
    output = result.stdout.str() + result.stderr.str()
    assert "sent_headers" in output and "***" in output
    assert "RecursionError" not in output
    assert SENTINEL not in output and OTHER not in output
