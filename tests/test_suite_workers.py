"""How many workers `python -m pytest` starts (testing/fixtures.py): two per core, unless a pytest that
a test starts has been told to run in one process."""

from __future__ import annotations

import os

import pytest

from testing.fixtures import pytest_xdist_auto_num_workers


def test_auto_means_two_workers_per_core(pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert pytest_xdist_auto_num_workers(pytestconfig) == 4


def test_an_inner_pytest_told_to_run_in_one_process_gets_no_workers(
        pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "0")
    assert pytest_xdist_auto_num_workers(pytestconfig) is None  # xdist's own hook then reads the variable
