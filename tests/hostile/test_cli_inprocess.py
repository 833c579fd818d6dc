"""Representative hostile specs through the CLI in-process (testing.cli): exit 1, located, no traceback."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from oa_spec.config import diagnostics
from testing.cli import run_cli
from tests.hostile.helpers import ACCOUNT, HEAD, write

LOCATED = re.compile(r"oaspec\.yaml:\d+:\d+: error: ")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")

CASES = {
    "esc-in-tag": ACCOUNT + '    tags: [{name: "a\\e[2J"}]\n',
    "rlo-in-button": ACCOUNT + '    menu: [{name: "a\\u202Eb", type: click, key: K}]\n',
    "whitespace-button": ACCOUNT + '    menu: [{name: "  ", type: click, key: K}]\n',
    "look-alike-tags": ACCOUNT + '    tags: [{name: "caf\\u00e9"}, {name: "cafe\\u0301"}]\n',
    "quoted-off-flag": ACCOUNT + '    verified: "off"\n',
    "severity-on": HEAD + "policies:\n  severity: {ad.absolute-terms: on}\n",
    "python-tag": ACCOUNT + "    type: !!python/object/apply:os.system [id]\n",
    "binary-name": ACCOUNT + "    tags: [{name: !!binary G1sySg==}]\n",
    "include-outside": HEAD + "include: ['../../etc/*']\n",
    "duplicate-key": ACCOUNT + "    name: again\n",
    "deep-flow": HEAD + "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "bool-maybe": ACCOUNT + "    verified: !!bool maybe\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_validate_exits_1_with_a_located_error(tmp_path: Path, text: str) -> None:
    spec = write(tmp_path, {"oaspec.yaml": text})
    started = time.process_time()
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f", str(spec), cwd=tmp_path)
    assert time.process_time() - started < 10
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output  # no exception escaped
    assert LOCATED.search(result.output), result.output
    assert not RAW.search(result.output)


def test_warnings_print_a_bounded_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagnostics, "MAX_SHOWN", 3)
    subs = "".join(f"          - {{name: 这是很长的子菜单按钮{i}, type: click, key: K{i}}}\n" for i in range(5))
    spec = write(tmp_path, {"oaspec.yaml": ACCOUNT + "    menu:\n      - name: 组\n        sub_buttons:\n" + subs})
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f", str(spec), cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert result.output.count(": warning: ") == 3 and "2 more diagnostic(s) not shown" in result.output
