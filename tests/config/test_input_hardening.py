"""Hostile specs: includes that climb out of the spec's root, clear-text API hosts, oversized files."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import Cli

ACCOUNT = """
accounts:
  - id: demo
    name: 示例
    provider: {type: local}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", ["../outside/*.yaml", "/etc/passwd", "link/*.yaml"])
def test_include_cannot_escape_the_spec_root(cli: Cli, tmp_path: Path, pattern: str) -> None:
    _write(tmp_path / "outside" / "stolen.yaml", ACCOUNT)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "link").symlink_to(tmp_path / "outside", target_is_directory=True)
    spec = _write(tmp_path / "repo" / "oaspec.yaml", f"version: 1\nbank: 示例\ninclude: ['{pattern}']\n")
    result = cli("validate", "-f", str(spec))
    assert result.returncode == 1
    assert f"{spec}:3:10: error: include: " in result.stderr
    assert "reaches outside the spec's directory" in result.stderr
    assert "Traceback" not in result.stderr


WECHAT = """version: 1
bank: 示例
accounts:
  - id: demo
    name: 示例
    provider:
      type: wechat
      app_id: wx0123456789abcdef
      app_secret: ${{OASPEC_HARDENING_SECRET}}
      api_base: {api_base}
"""


@pytest.mark.parametrize(("api_base", "ok"), [
    ("https://api.weixin.qq.com", True), ("https://egress-proxy.bank.internal:8443/wx", True),
    ("http://127.0.0.1:8080", True), ("http://localhost:9000", True), ("http://[::1]:9000", True),
    ("http://api.weixin.qq.com", False), ("http://10.0.0.8", False), ("ftp://api.weixin.qq.com", False),
    ("api.weixin.qq.com", False), ("http://127.0.0.1.evil.example", False),
])
def test_api_base_is_https_unless_loopback(cli: Cli, tmp_path: Path, api_base: str, ok: bool) -> None:
    spec = _write(tmp_path / "oaspec.yaml", WECHAT.format(api_base=api_base))
    result = cli("validate", "-f", str(spec), env={"OASPEC_HARDENING_SECRET": "s3cret-value",
                                                    "OASPEC_ALLOWED_API_BASES": api_base})
    assert result.returncode == (0 if ok else 1), result.stderr
    if not ok:
        assert f"{spec}:10:17: error: accounts[0].provider.api_base: api_base" in result.stderr
        assert "must be an https:// URL" in result.stderr
    assert "s3cret-value" not in result.stdout + result.stderr


def test_an_oversized_spec_is_refused_before_parsing(cli: Cli, tmp_path: Path) -> None:
    spec = _write(tmp_path / "oaspec.yaml", "version: 1\nbank: 示例\n" + "# padding\n" * 200)
    result = cli("validate", "-f", str(spec), env={"OASPEC_MAX_SPEC_BYTES": "1000"})
    assert result.returncode == 1
    assert f"{spec}:1:1: error: the file is {spec.stat().st_size} bytes, over the limit of 1000" in result.stderr
    assert "OASPEC_MAX_SPEC_BYTES" in result.stderr
    assert cli("validate", "-f", str(spec)).returncode == 0  # the default limit is generous


def test_an_oversized_included_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    big = _write(tmp_path / "accounts" / "big.yaml", ACCOUNT + "# padding\n" * 500)
    spec = _write(tmp_path / "oaspec.yaml", "version: 1\nbank: 示例\ninclude: [accounts/*.yaml]\n")
    result = cli("validate", "-f", str(spec), env={"OASPEC_MAX_SPEC_BYTES": "2000"})
    assert result.returncode == 1
    assert f"{big}:1:1: error: the file is" in result.stderr and "over the limit of 2000" in result.stderr


def test_an_included_file_named_like_a_ci_runner_command_never_starts_a_line(cli: Cli, tmp_path: Path) -> None:
    # A CI runner reads a printed line that starts with `::` as a command to it (GitHub Actions: ::add-mask::,
    # ::error::, ::stop-commands::); a diagnostic starts with its file's name, which a pull request chooses.
    _write(tmp_path / "::add-mask::accounts.yaml", ACCOUNT.replace("name: 示例", "name: 示例\n    colour: red"))
    _write(tmp_path / "oaspec.yaml", "version: 1\nbank: 示例\ninclude: ['*accounts.yaml']\n")
    result = cli("validate", "-f", "oaspec.yaml")  # as CI runs it, from the repository's root
    assert result.returncode == 1
    assert "./::add-mask::accounts.yaml:5:5: error" in result.stderr
    assert not [line for line in (result.stdout + result.stderr).splitlines() if line.lstrip().startswith("::")]
