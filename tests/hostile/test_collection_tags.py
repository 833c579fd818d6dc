"""A YAML tag on a list, a mapping or a key is refused at its place, as on a text (attack review 50 F8): only the
core scalar tags are read, and a tool or reviewer who reads the tag must not get a different document."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.diagnostics import SpecError
from oa_spec.content.article import load_article
from testing.cli import run_cli
from tests.hostile.helpers import ACCOUNT, run_text, write

TAGGED = {
    "python-apply-on-a-list": ("    menu: !!python/object/apply:os.system [id]\n", (7, 11)),
    "local-tag-on-a-mapping": ("    replies: !local\n      subscribe: {text: 欢迎}\n", (7, 14)),
    "python-name-on-a-key": ("    replies:\n      !!python/name:os.system subscribe: {text: 欢迎}\n", (8, 7)),
    "local-tag-on-a-flow-key": ("    replies: {!local subscribe: {text: 欢迎}}\n", (7, 15)),
    "set-on-a-mapping": ("    tags: !!set {a, b}\n", (7, 11)),
    "omap-on-a-list": ("    tags: !!omap [a: 1]\n", (7, 11)),
}


@pytest.mark.parametrize(("lines", "where"), TAGGED.values(), ids=TAGGED.keys())
def test_a_tag_on_a_collection_or_a_key_is_refused_at_the_tag(tmp_path: Path, lines: str,
                                                               where: tuple[int, int]) -> None:
    outcome = run_text(tmp_path, ACCOUNT + "    provider: {type: local}\n" + lines)
    assert outcome.errors, "the tag was dropped silently"
    first = outcome.errors[0]
    assert (first.position.line, first.position.col) == where, first
    assert "YAML tag" in first.message and "not supported" in first.message, first


def test_the_cli_refuses_a_tagged_list(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": ACCOUNT + "    provider: {type: local}\n"
                            "    menu: !!python/object/apply:os.system [id]\n"})
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f", str(spec), cwd=tmp_path)
    assert result.returncode == 1 and "oaspec.yaml:7:11: error: the YAML tag" in result.output, result.output


def test_plain_keys_and_the_merge_key_are_still_read(tmp_path: Path) -> None:
    text = ACCOUNT + "    provider: {type: local}\n    x-base: &base {text: 欢迎}\n    replies:\n      on: 1\n"
    outcome = run_text(tmp_path, text.replace("      on: 1\n", "      subscribe: {<<: *base}\n"))
    assert not [e for e in outcome.errors if "YAML tag" in e.message], outcome.error_text()


FRONT = {
    "tagged-list": ("audience: !local [客户]\n", (4, 11)),
    "tagged-key": ("!!python/name:os.system author: 某人\n", (4, 1)),
}


@pytest.mark.parametrize(("line", "where"), FRONT.values(), ids=FRONT.keys())
def test_a_tag_in_front_matter_is_refused_at_the_tag(tmp_path: Path, line: str, where: tuple[int, int]) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: 资产配置\ncover: cover.png\n{line}---\n正文\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_article(tmp_path / "a.md", "a.md")
    first = caught.value.diagnostics[0]
    assert (first.position.line, first.position.col) == where and "YAML tag" in first.message, first
