"""How the console script and verify's workers leave: with the command's code, its output whole,
exit handlers and cleanups run, and threads still at work waited for."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from campaign_contract import FAULTS
from campaign_contract.cli._verify import WORKER_EXIT

SCRIPT = Path(sys.executable).parent / "campaign-contract"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_piped_output_arrives_whole_and_the_code_is_the_commands() -> None:
    listed = subprocess.run(
        [SCRIPT, "mock", "--list-faults"], capture_output=True, text=True, timeout=60, check=False
    )
    assert listed.returncode == 0 and listed.stderr == ""
    assert [line.split()[0] for line in listed.stdout.splitlines()] == list(FAULTS)
    usage = subprocess.run(
        [SCRIPT, "verify", "--no-such-option"], capture_output=True, text=True, timeout=60
    )
    assert usage.returncode == 2 and usage.stdout == ""
    assert usage.stderr.endswith("unrecognized arguments: --no-such-option\n")


def test_exit_handlers_run_before_the_process_leaves() -> None:
    done = _python(
        """
        import atexit, sys
        atexit.register(lambda: print("handled", flush=False))
        sys.argv = ["campaign-contract", "mock", "--list-faults"]
        from campaign_contract.cli import console
        console()
        """
    )
    assert done.returncode == 0 and done.stdout.endswith("handled\n"), done.stderr


def test_a_thread_still_at_work_is_waited_for() -> None:
    done = _python(
        """
        import sys, threading, time
        def late():
            time.sleep(0.5)
            print("finished", flush=True)
        threading.Thread(target=late).start()
        sys.argv = ["campaign-contract", "verify", "--no-such-option"]
        from campaign_contract.cli import console
        console()
        """
    )
    assert done.returncode == 2 and done.stdout == "finished\n"


WORKER_CONFTEST = """
import pathlib

class TornDown:
    # freed only by the interpreter's teardown, which then leaves a file behind
    def __init__(self, name):
        self.path = pathlib.Path(f"torn-down-{name}").resolve()
    def __del__(self):
        self.path.write_text("freed")

import pytest

@pytest.hookimpl(tryfirst=True)  # its cleanup registered early: among the last to run
def pytest_configure(config):
    worker = getattr(config, "workerinput", None)
    if worker is not None:
        name = worker["workerid"]
        config.add_cleanup(lambda: pathlib.Path(f"cleaned-{name}").write_text("ok"))
        globals()["kept"] = TornDown(name)
"""


def test_a_worker_leaves_after_every_cleanup_with_its_results_sent(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(WORKER_CONFTEST)
    pytester.makepyfile(
        test_many="""
        import pytest

        @pytest.mark.parametrize("n", range(20))
        def test_n(n):
            assert n >= 0
        """
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", WORKER_EXIT)
    result.assert_outcomes(passed=20)
    assert result.ret == 0
    text = result.stdout.str() + result.stderr.str()
    assert "node down" not in text and "Not properly terminated" not in text
    assert sorted(p.name for p in pytester.path.glob("cleaned-*")) == ["cleaned-gw0", "cleaned-gw1"]
    assert not list(pytester.path.glob("torn-down-*"))


def test_a_process_started_with_stdout_closed_still_ends_with_the_commands_code() -> None:
    done = subprocess.run(
        f"{SCRIPT} verify --no-such-option >&-", shell=True, capture_output=True, text=True
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
