"""The randomized fault suite against the emulator (see testing/faults.py): 50 seeded apply attempts in
every run; benchmarks/soak_faults.py runs the same attempt thousands of times (python benchmarks/soak_faults.py)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from oa_spec.emulator import EmulatorServer
from testing.convergence import ACCOUNT, Driver
from testing.faults import (
    APPID,
    SECRET,
    SECRET_VARIABLE,
    LogCapture,
    Secrets,
    fresh_account,
    run_attempt,
    wechat_provider_config,
)

ATTEMPTS = 50
SHARDS = 5  # spread over the xdist workers: as one test the 50 attempts were the suite's longest tail


@pytest.fixture(scope="module")
def emulator(server: EmulatorServer) -> Iterator[EmulatorServer]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_VARIABLE, SECRET)
        yield server


@pytest.fixture
def captured_logs() -> Iterator[LogCapture]:
    """Every log line at DEBUG, including urllib3's request lines (where a token would show)."""
    capture = LogCapture()
    root = logging.getLogger()
    level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(level)


@pytest.mark.long
@pytest.mark.parametrize("shard", range(SHARDS))
def test_fault_suite(shard: int, emulator: EmulatorServer, captured_logs: LogCapture) -> None:
    secrets = Secrets()
    outcomes: list[str] = []
    attempts = ATTEMPTS // SHARDS

    @seed(shard)  # each shard its own fixed examples: the run is reproducible and the shards differ
    @settings(max_examples=attempts, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def attempt(data: st.DataObject) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            outcome = run_attempt(emulator, Path(tmp), data, secrets)
        event(outcome)
        outcomes.append(outcome)

    attempt()
    assert len(outcomes) >= attempts
    # The suite is only worth something if the faults bit: most attempts must have failed part-way.
    assert outcomes.count("partial") + outcomes.count("nothing landed") >= attempts // 4, outcomes
    assert len(secrets.values) > 1, "no access token was ever issued: the secret check would be vacuous"
    leaks = secrets.leaks_in(captured_logs.lines)
    assert not leaks, leaks
    assert any("access_token=***" in line for line in captured_logs.lines)  # the request lines were logged, redacted


def test_a_rename_that_landed_before_a_failure_is_still_owned(emulator: EmulatorServer, tmp_path: Path) -> None:
    """A tag renamed under a conditional menu, then the apply stops (45009): the re-run must own the menu
    under the tag's new name, not call it a takeover."""
    admin = emulator.admin
    fresh_account(admin)
    provider = wechat_provider_config(emulator)
    menu = [{"name": "财富", "type": "click", "key": "BALANCE"}]
    earlier = {"id": ACCOUNT, "name": "示例", "provider": provider, "tags": [{"name": "老年客户"}], "menu": menu,
               "conditional_menus": [{"name": "长辈版", "match": {"tag": "老年客户"}, "menu": menu}]}
    later = {**earlier, "tags": [{"name": "银发客户", "renamed_from": "老年客户"}],
             "conditional_menus": [{"name": "长辈版", "match": {"tag": "银发客户"}, "menu": menu}],
             "industry": {"primary": "金融业/银行", "secondary": "金融业/保险"}}
    driver = Driver(tmp_path)
    assert driver.apply(driver.workspace(earlier)).ok
    ws = driver.workspace(later)
    admin.fail(45009, path="template/api_set_industry", appid=APPID)
    failed = driver.apply(ws)
    admin.clear_faults()
    assert not failed.ok and "45009" in str(failed.error)
    assert failed.revision is not None and failed.revision.applied == [f"{ACCOUNT}/tags/银发客户"]
    rerun = driver.apply(ws)
    assert rerun.ok, rerun.error
    assert not driver.plan(ws).has_changes
