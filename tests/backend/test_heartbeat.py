"""Who a lock says holds it: the user, host, pid and the CI job's page."""

from __future__ import annotations

import os

import pytest

from oa_spec.backend.heartbeat import lock_request

CI_VARIABLES = ("CI_JOB_URL", "GITHUB_RUN_ID", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "BUILD_URL")


@pytest.fixture(autouse=True)
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OASPEC_USER", "alice")


@pytest.mark.parametrize(("variables", "url"), [
    ({}, None),
    ({"CI_JOB_URL": "https://gitlab.bank/ops/oa/-/jobs/7"}, "https://gitlab.bank/ops/oa/-/jobs/7"),
    ({"GITHUB_RUN_ID": "99", "GITHUB_REPOSITORY": "bank/oa"}, "https://github.com/bank/oa/actions/runs/99"),
    ({"GITHUB_RUN_ID": "99", "GITHUB_REPOSITORY": "bank/oa", "GITHUB_SERVER_URL": "https://ghe.bank"},
     "https://ghe.bank/bank/oa/actions/runs/99"),
    ({"BUILD_URL": "https://jenkins.bank/job/oa/12/"}, "https://jenkins.bank/job/oa/12/"),
])
def test_the_lock_names_the_run(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], url: str | None) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    request = lock_request("apply")
    assert (request.holder, request.operation, request.pid, request.ci_job_url) == ("alice", "apply", os.getpid(), url)
