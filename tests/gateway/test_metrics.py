"""The gateway's access log and metrics: what an unauthenticated request can put in them."""

from __future__ import annotations

import json
import logging

import pytest

from oa_spec.gateway.app import GatewayApp
from tests.gateway.helpers import ENV_HOOK
from tests.gateway.test_app import config, wsgi


def test_a_path_holding_terminal_controls_is_logged_escaped(caplog: pytest.LogCaptureFixture) -> None:
    """Attack review 77 F3: anyone who reaches the gateway picks the path it logs, and gunicorn decodes %9B and %85 to
    U+009B (CSI, which a terminal acts on as ESC [) and U+0085 (NEL, a line break to Python's splitlines and to log
    viewers). json.dumps with ensure_ascii=False leaves them raw, so `tail -f` of the access log ran the sender's
    escape sequences and a forged line could be split off; every other JSON oaspec writes escapes them."""
    app = GatewayApp([config()], environ=ENV_HOOK)
    path = "/wx/\x9b2J\x9d0;owned\x9c\x85{\"forged\": 1}\u202eknab"
    with caplog.at_level(logging.INFO, logger="oa_spec.gateway.access"):
        assert wsgi(app, path)[0].startswith("404")
    [line] = [r.getMessage() for r in caplog.records if r.name == "oa_spec.gateway.access"]
    assert line.isascii() and len(line.splitlines()) == 1, line
    assert json.loads(line)["path"] == path  # the same data, shown and never acted on


def test_an_internal_error_logs_the_path_spelled_out(caplog: pytest.LogCaptureFixture,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # attack review 77's note: the error line wrote the sender's path raw, controls and all
    app = GatewayApp([config()], environ=ENV_HOOK)
    monkeypatch.setattr(GatewayApp, "_callback", lambda *args: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="oa_spec.gateway"):
        assert wsgi(app, "/wx/\x9b2J\x85forged\u202e")[0].startswith("200")  # `success`, never a traceback
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("internal error on")]
    assert line.isascii() and len(line.splitlines()) == 1 and "\\x9b2J" in line, line
