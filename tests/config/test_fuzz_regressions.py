"""Every input the fuzzer (benchmarks/fuzz_spec.py) ever crashed on, kept as a regression test:
each must now end in a clean, located SpecError (or load as a valid spec), never another exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oa_spec.config.compile import compile_spec
from oa_spec.config.diagnostics import SpecError
from oa_spec.config.load import load_spec
from oa_spec.config.validate import validate
from oa_spec.errors import OaspecError
from testing.cli import Cli

CORPUS = Path(__file__).parent.parent / "fuzz_corpus"
CRASHES = sorted(CORPUS.glob("crash-*.yaml"))


def _as_spec(case: Path, tmp_path: Path) -> Path:
    """The input laid out as the fuzzer ran it: oaspec.yaml beside an accounts/ folder."""
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "more.yaml").write_text("accounts: []\n", encoding="utf-8")
    target = tmp_path / "oaspec.yaml"
    shutil.copyfile(case, target)
    return target


def test_the_corpus_is_not_empty() -> None:
    assert CRASHES, "tests/fuzz_corpus/ lost its cases"


@pytest.mark.parametrize("case", CRASHES, ids=[c.stem for c in CRASHES])
def test_fuzz_crash_is_now_a_clean_error(case: Path, tmp_path: Path) -> None:
    spec = _as_spec(case, tmp_path)
    try:
        compile_spec(validate(load_spec(spec)))
    except SpecError as exc:
        assert exc.diagnostics
        assert all(str(d.position).startswith(str(tmp_path)) for d in exc.diagnostics)
    except OaspecError:
        pass


@pytest.mark.parametrize("case", CRASHES[:2], ids=[c.stem for c in CRASHES[:2]])
def test_fuzz_crash_through_the_cli(case: Path, tmp_path: Path, cli: Cli) -> None:
    result = cli("validate", "-f", str(_as_spec(case, tmp_path)))
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_an_impossible_date_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text("version: 1\nbank: 2026-02-30\naccounts: []\n", encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    [diagnostic] = raised.value.diagnostics
    assert (diagnostic.position.line, diagnostic.position.col) == (2, 7)
    assert "day is out of range" in diagnostic.message and "quote it" in diagnostic.hint


def test_an_include_that_matches_only_folders_matches_nothing(tmp_path: Path) -> None:
    (tmp_path / "accounts").mkdir()
    spec = tmp_path / "oaspec.yaml"
    spec.write_text("version: 1\nbank: b\ninclude: ['', accounts]\n", encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    assert [d.message for d in raised.value.diagnostics] == ["no file matches ''", "no file matches 'accounts'"]


def test_an_unparsable_link_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text("version: 1\nbank: b\naccounts:\n  - id: demo\n    name: 示例\n    menu:\n"
                    "      - {name: 网点, type: view, url: 'https://m.bank.ex]mple.cn/a'}\n"
                    "    conditional_menus:\n      - name: ios\n        match: {client_platform_type: ios}\n"
                    "        menu: [{name: 网点, type: view, url: 'http://[::1/x'}]\n", encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        validate(load_spec(spec))
    messages = [(d.position.line, d.message) for d in raised.value.diagnostics]
    assert messages == [(7, "'https://m.bank.ex]mple.cn/a' is not an http(s) link"),
                        (11, "'http://[::1/x' is not an http(s) link")]
