"""Hostile includes (issue 10 items 3 and 4): links, loops, pipes, climbing out, and many files, all bounded."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from oa_spec.config import includes
from oa_spec.config.load import load_spec
from tests.hostile.helpers import ACCOUNT, HEAD, Outcome, run, run_text, write

ONE = "accounts:\n  - id: a{n}\n    name: 账户{n}\n"


def include(*patterns: str) -> str:
    return HEAD + "include: [" + ", ".join(f"'{p}'" for p in patterns) + "]\n"


def refused(outcome: Outcome, *words: str) -> str:
    [error] = outcome.errors
    assert (error.position.line, error.position.col) == (3, 10), error
    assert all(w in error.message for w in words), error
    return error.message


def test_three_links_to_parent_under_double_star_finish(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("**/*.yaml"), "sub/a.yaml": ONE.format(n=1)})
    for name in ("l1", "l2", "l3"):
        (tmp_path / name).symlink_to("..", target_is_directory=True)
        (tmp_path / "sub" / name).symlink_to("..", target_is_directory=True)
    outcome = run(spec, seconds=2)
    assert not outcome.errors, outcome.error_text()


def test_a_link_to_usr_is_refused_without_walking_it(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("usr/**/*.yaml")})
    (tmp_path / "usr").symlink_to("/usr", target_is_directory=True)
    refused(run(spec, seconds=1), "reaches outside")


def test_double_star_passes_a_link_to_usr_by(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("**/*.yaml"), "a.yaml": ONE.format(n=1)})
    (tmp_path / "usr").symlink_to("/usr", target_is_directory=True)
    assert not run(spec, seconds=1).errors


def test_a_link_to_a_directory_inside_the_root_is_not_followed(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("alias/*.yaml"), "real/a.yaml": ONE.format(n=1)})
    (tmp_path / "alias").symlink_to("real", target_is_directory=True)
    refused(run(spec), "symbolic link to a directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("pattern", ["x.yaml", "*.yaml", "**/x.yaml"])
def test_a_fifo_named_yaml_is_refused_not_opened(tmp_path: Path, pattern: str) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include(pattern)})
    os.mkfifo(tmp_path / "x.yaml")
    refused(run(spec, seconds=2), "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_link_to_a_fifo_is_refused(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("*.yaml")})
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "x.yaml").symlink_to("pipe")
    refused(run(spec, seconds=2), "not a regular file")


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("*.yaml")})
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    refused(run(spec, seconds=2), "reaches outside")


@pytest.mark.parametrize("pattern", ["/etc/passwd", "/etc/*.conf", "../*.yaml", "a/../../*.yaml",
                                     "../../../../../../etc/passwd", "./../x.yaml"])
def test_absolute_and_climbing_patterns_are_refused(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "x.yaml").write_text(ONE.format(n=9), encoding="utf-8")
    spec = write(tmp_path / "repo", {"oaspec.yaml": include(pattern), "a/keep.yaml": ONE.format(n=1)})
    refused(run(spec, seconds=1), "outside")


def test_climbing_back_inside_the_root_is_fine(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("a/../b/*.yaml"), "b/x.yaml": ONE.format(n=1),
                            "a/readme.txt": ""})
    assert not run(spec).errors


def test_a_file_link_outside_the_root_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(ONE.format(n=9), encoding="utf-8")
    spec = write(tmp_path / "repo", {"oaspec.yaml": include("*.yaml")})
    (tmp_path / "repo" / "x.yaml").symlink_to(tmp_path / "secret.yaml")
    refused(run(spec), "reaches outside")


def test_a_file_link_inside_the_root_is_read_once(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("*.yaml", "accounts/*.yaml"), "accounts/a.yaml": ONE.format(n=1)})
    (tmp_path / "b.yaml").symlink_to("accounts/a.yaml")
    assert not run(spec).errors
    assert len(load_spec(spec).data["accounts"]) == 1


def test_an_include_cycle_ends(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("a.yaml"), "a.yaml": "include: [b.yaml]\n" + ONE.format(n=1),
                            "b.yaml": "include: [a.yaml, oaspec.yaml, ./b.yaml]\n" + ONE.format(n=2)})
    outcome = run(spec)
    assert not outcome.errors


def test_a_dangling_link_matches_nothing(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("x*.yaml")})
    (tmp_path / "x.yaml").symlink_to("missing.yaml")
    refused(run(spec), "no file matches")


def test_a_runaway_listing_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(includes, "MAX_LISTED_ENTRIES", 50)
    spec = write(tmp_path, {"oaspec.yaml": include("**/*.yaml"),
                            **{f"d{i}/e{j}/x.yaml": "" for i in range(8) for j in range(8)}})
    refused(run(spec), "more than 50 directory entries")


def test_many_patterns_share_one_listing_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(includes, "MAX_LISTED_ENTRIES", 1000)
    patterns = [f"f{i}*.yaml" for i in range(5000)]  # distinct: each lists the directory again
    spec = write(tmp_path, {"oaspec.yaml": include(*patterns), **{f"f{i}.txt": "" for i in range(10)}})
    errors = run(spec, seconds=3).errors  # "no file matches" for the first ~80, then the budget, once
    assert len(errors) < 100 and [e for e in errors if "more than 1000 directory entries" in e.message] == errors[-1:]


def test_each_included_file_is_resolved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = 300
    spec = write(tmp_path, {"oaspec.yaml": include("accounts/*.yaml"),
                            **{f"accounts/{n:05d}.yaml": ONE.format(n=n) for n in range(files)}})
    calls = 0
    resolve = Path.resolve

    def counting(self: Path, strict: bool = False) -> Path:
        nonlocal calls
        calls += 1
        return resolve(self, strict)

    monkeypatch.setattr(Path, "resolve", counting)
    loaded = load_spec(spec)
    assert len(loaded.data["accounts"]) == files
    assert calls <= 2 * files + 10, calls


def test_a_thousand_one_account_files_load_in_seconds(tmp_path: Path) -> None:
    files = 1000  # about 20 s when each new file was compared with every loaded one
    spec = write(tmp_path, {"oaspec.yaml": include("accounts/**/*.yaml"),
                            **{f"accounts/{n % 7}/{n:05d}.yaml": ONE.format(n=n) for n in range(files)}})
    started = time.process_time()
    outcome = run(spec, seconds=30, megabytes=400)  # generous for a busy CI machine: it was minutes
    assert not outcome.errors, outcome.error_text()[:500]
    assert time.process_time() - started < 30


def test_an_include_that_is_not_a_list_of_text_is_reported(tmp_path: Path) -> None:
    outcome = run_text(tmp_path, HEAD + "include: {a: 1}\n")
    [error] = outcome.errors
    assert error.position.line == 3


def test_a_main_spec_that_is_a_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").mkdir()
    [error] = run(tmp_path / "oaspec.yaml").errors
    assert "the spec is not a regular file" in error.message  # a directory is there, but is no file


def test_included_accounts_join_in_a_stable_order(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": ACCOUNT + "include: ['accounts/*.yaml']\n",
                            **{f"accounts/{n}.yaml": ONE.format(n=n) for n in (3, 1, 2)}})
    assert [a["id"] for a in load_spec(spec).data["accounts"]] == ["demo", "a1", "a2", "a3"]


@pytest.mark.parametrize("pattern", ["", ".", "./", "accounts", "accounts/"])
def test_patterns_naming_only_directories_match_nothing(tmp_path: Path, pattern: str) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include(pattern), "accounts/a.yaml": ONE.format(n=1)})
    refused(run(spec), "no file matches")


def test_a_trailing_double_star_includes_every_file_below(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("accounts/**"), "accounts/x/a.yaml": ONE.format(n=1),
                            "accounts/b.yaml": ONE.format(n=2)})
    assert [a["id"] for a in load_spec(spec).data["accounts"]] == ["a2", "a1"]


def test_hidden_directories_are_not_searched_by_wildcards(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": include("**/*.yaml"), ".git/x.yaml": "not: an account\n",
                            "a.yaml": ONE.format(n=1)})
    assert not run(spec).errors


def test_stacked_double_stars_stay_bounded(tmp_path: Path) -> None:
    deep = "/".join(f"d{i}" for i in range(40))
    spec = write(tmp_path, {"oaspec.yaml": include("**/" * 6 + "*.yaml"), f"{deep}/a.yaml": ONE.format(n=1)})
    outcome = run(spec, seconds=15)
    assert len(outcome.errors) <= 1  # found once, or refused as a runaway listing


@pytest.mark.parametrize("pattern", ["a\\0.yaml", "x\\0/*.yaml", "\\0*"])
def test_a_nul_in_a_pattern_is_an_error_not_a_crash(tmp_path: Path, pattern: str) -> None:
    spec = write(tmp_path, {"oaspec.yaml": HEAD + f'include: ["{pattern}"]\n'})
    errors = run(spec).errors
    assert any("NUL" in e.message and e.position.line == 3 for e in errors), errors
