"""`oaspec emulator --spec`: the spec's apps are registered with their secrets and its library templates
added, so that the README's walkthrough converges; a missing secret is a clear error, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from oa_spec.config.load import load_spec
from oa_spec.config.validate import validate
from oa_spec.emulator import EmulatorServer, run_emulator
from oa_spec.emulator.seed import register_spec
from oa_spec.errors import OaspecError

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "examples" / "emulator" / "oaspec.yaml"


@pytest.fixture(autouse=True)
def allowed_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_ALLOWED_API_BASES", "http://127.0.0.1:8790")  # the example's api_base


def test_the_spec_s_app_gets_a_token_with_its_secret_and_its_templates_are_in_the_library() -> None:
    spec = validate(load_spec(SPEC))
    server: EmulatorServer = run_emulator(0, 0, None)
    try:
        register_spec(server.admin, spec, {"OASPEC_DEMO_SECRET": "s3cret"})
        answer = requests.post(f"{server.base_url}/cgi-bin/stable_token", timeout=5, json={
            "grant_type": "client_credential", "appid": "wx0123456789abcdef", "secret": "s3cret"}).json()
        assert answer.get("access_token"), answer
        wrong = requests.post(f"{server.base_url}/cgi-bin/stable_token", timeout=5, json={
            "grant_type": "client_credential", "appid": "wx0123456789abcdef", "secret": "guess"}).json()
        assert wrong.get("errcode") == 40125  # invalid appsecret
        token = answer["access_token"]
        added = requests.post(f"{server.base_url}/cgi-bin/template/api_add_template?access_token={token}",
                              timeout=5, json={"template_id_short": "OPENTM207665002"}).json()
        assert added.get("errcode", 0) == 0 and added.get("template_id"), added
    finally:
        server.stop()


def test_a_missing_secret_is_named() -> None:
    spec = validate(load_spec(SPEC))
    server: EmulatorServer = run_emulator(0, 0, None)
    try:
        with pytest.raises(OaspecError, match="set OASPEC_DEMO_SECRET"):
            register_spec(server.admin, spec, {})
    finally:
        server.stop()


def test_the_command_exits_1_with_the_variable_named() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OASPEC_DEMO_SECRET"}
    env["OASPEC_ALLOWED_API_BASES"] = "http://127.0.0.1:8790"
    done = subprocess.run([sys.executable, "-m", "oa_spec", "emulator", "--port", "0", "--spec", str(SPEC)],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 1
    assert "error: set OASPEC_DEMO_SECRET (any value)" in done.stderr and "Traceback" not in done.stderr
