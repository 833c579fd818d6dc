"""Line breaks YAML 1.1 sees and git does not (U+0085, U+2028, U+2029, a lone CR): a spec line hidden in a comment
that a reviewer reads as one line (attack review 50 F3). The file is refused at the line and column git shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.diagnostics import SpecError
from oa_spec.content.article import load_article
from testing.cli import run_cli
from tests.hostile.helpers import ACCOUNT, HEAD, run_text, write

SEPARATORS = {"nel": "\x85", "line-separator": "\u2028", "paragraph-separator": "\u2029", "lone-cr": "\r"}
HINT = "save with LF line endings; remove the invisible line separator"
# A reviewer's diff shows one comment on line 5; PyYAML reads `severity:` as a line of its own.
HIDDEN_SEVERITY = (HEAD + "policies:\n  packs: [cn-bank]\n"
                   "  # 严重级别沿用默认{sep}  severity: {{ad.absolute-terms: \"off\"}}\n"
                   + ACCOUNT.removeprefix(HEAD) + "    provider: {{type: local}}\n"
                   "    replies:\n      subscribe: {{text: 欢迎关注，本行存款规模全市第一！}}\n")


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_a_line_break_git_does_not_see_is_refused_where_git_shows_it(tmp_path: Path, sep: str) -> None:
    outcome = run_text(tmp_path, HIDDEN_SEVERITY.format(sep=sep))
    assert outcome.errors, "the hidden severity line was read"
    first = outcome.errors[0]
    assert (first.position.line, first.position.col) == (5, 13), first
    assert first.hint == HINT and f"U+{ord(sep):04X}" in first.message


def test_the_cli_refuses_the_hidden_severity_with_the_position_git_shows(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": HIDDEN_SEVERITY.format(sep="\x85")})
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f", str(spec), cwd=tmp_path)
    assert result.returncode == 1
    assert "oaspec.yaml:5:13: error: U+0085" in result.output and HINT in result.output, result.output


def test_crlf_files_still_read(tmp_path: Path) -> None:
    outcome = run_text(tmp_path, (ACCOUNT + "    provider: {type: local}\n").replace("\n", "\r\n").encode())
    assert not outcome.errors, outcome.error_text()


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_a_hidden_line_break_in_front_matter_is_refused(tmp_path: Path, sep: str) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: 资产配置\ncover: cover.png\nauthor: 示例城市银行"
                                   f"{sep}source_url: https://evil.example.cn/x\n---\n正文\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_article(tmp_path / "a.md", "a.md")
    first = caught.value.diagnostics[0]
    assert (first.position.line, first.position.col) == (4, 15), first
    assert first.hint == HINT


def test_front_matter_with_crlf_still_reads(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\r\ntitle: 资产配置\r\ncover: cover.png\r\n---\r\n正文\r\n", encoding="utf-8")
    assert load_article(tmp_path / "a.md", "a.md").front.title == "资产配置"
