"""`oaspec serve` and a served account with the PostgreSQL state: what apply records in the database is what
plan reads back and what serve answers, a new apply reaches customers without a restart, and nothing of
the state is kept on the machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorServer, run_emulator
from tests.gateway.e2e import APP_ID, SECRET, applied, oaspec, serving, until_reply
from tests.gateway.test_end_to_end import listen, write_spec

OPENID = "oFollowerOpenId000000000042"


@pytest.fixture()
def platform() -> Iterator[EmulatorServer]:
    with run_emulator() as emulator:
        emulator.admin.register_app(APP_ID, SECRET)
        yield emulator


def test_serve_answers_from_the_revisions_in_postgresql(tmp_path: Path, pg_dsn: str,
                                                        platform: EmulatorServer) -> None:
    env = {"OASPEC_STATE": pg_dsn}
    write_spec(tmp_path, "工作日 9:00-17:00")
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path, env=env)
    assert oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path, env=env).returncode == 0
    files = oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path)  # the files state knows none
    assert files.returncode == 2

    admin = platform.admin
    with serving(tmp_path, env=env, workers=2) as (base, _):
        listen(admin, base)
        answer = admin.push(APP_ID, text="请问营业时间", openid=OPENID)
        assert answer["reply"]["Content"] == "工作日 9:00-17:00"
        write_spec(tmp_path, "工作日 8:30-17:30")
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path, env=env)
        took = until_reply(lambda: admin.push(APP_ID, text="营业时间？", openid=OPENID), "工作日 8:30-17:30")
        assert took < 3.0
    state = tmp_path / ".oaspec"
    assert not (state / "history").exists() and not (state / "audit.log").exists()
