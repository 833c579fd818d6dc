"""The spec loader: positions, merge keys, includes, duplicate keys, the alias budget, key text."""

from __future__ import annotations

import contextlib
import datetime
import gc
import os
import time
from pathlib import Path

import pytest

from oa_spec.config import load as load_module
from oa_spec.config.diagnostics import Position, SpecError
from oa_spec.config.load import LoadedSpec, PosDict, PosList, load_spec


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory / "oaspec.yaml"


def load(directory: Path, main: str, **files: str) -> LoadedSpec:
    return load_spec(write(directory, {"oaspec.yaml": main, **files}))


def error(directory: Path, main: str, **files: str) -> tuple[str, str]:
    """(position, message) of the only problem the loader reports."""
    with pytest.raises(SpecError) as caught:
        load(directory, main, **files)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.hint, diagnostic
    where = diagnostic.position
    return f"{Path(where.file).name}:{where.line}:{where.col}", diagnostic.message


def at(line: int, col: int, file: str = "oaspec.yaml") -> tuple[int, int, str]:
    return line, col, file


def where(pos: Position) -> tuple[int, int, str]:
    return pos.line, pos.col, Path(pos.file).name


# --- positions -----------------------------------------------------------------------------------------
def test_every_key_value_and_item_knows_its_position(tmp_path: Path) -> None:
    data = load(tmp_path, "version: 1\nbank: 测试银行\naccounts:\n  - id: demo\n    tags: [a, {name: b}]\n").data
    assert isinstance(data, PosDict)
    assert where(data.key_pos("bank")) == at(2, 1) and where(data.value_pos("bank")) == at(2, 7)
    accounts = data["accounts"]
    assert isinstance(accounts, PosList) and where(accounts.item_pos(0)) == at(4, 5)
    account = accounts[0]
    assert where(account.pos) == at(4, 5) and where(account.value_pos("id")) == at(4, 9)
    tags = account["tags"]
    assert where(tags.pos) == at(5, 11)
    assert [where(tags.item_pos(i)) for i in range(2)] == [at(5, 12), at(5, 15)]
    assert where(tags[1].value_pos("name")) == at(5, 22)


def test_positions_count_characters_not_bytes_and_survive_crlf(tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_bytes("version: 1\r\nbank: 测试银行\r\nx: {名称: 值}\r\n".encode())
    data = load_spec(tmp_path / "oaspec.yaml").data
    assert where(data.value_pos("x")) == at(3, 4)
    assert where(data["x"].value_pos("名称")) == at(3, 9)


# --- scalars and keys -----------------------------------------------------------------------------------
def test_keys_stay_text_where_yaml_1_1_would_make_booleans_or_numbers(tmp_path: Path) -> None:
    data = load(tmp_path, "on: wed\noff: 1\nyes: [y]\nno: n\n1: one\n3.5: x\nnull: z\n").data
    assert list(data) == ["on", "off", "yes", "no", "1", "3.5", "null"]
    assert data["off"] == 1  # values are still typed


def test_values_are_typed_as_yaml_says(tmp_path: Path) -> None:
    data = load(tmp_path, "a: 1\nb: true\nc: 2027-03-31\nd: ~\ne: '1'\nf: 1.5\n").data
    assert data == {"a": 1, "b": True, "c": datetime.date(2027, 3, 31), "d": None, "e": "1", "f": 1.5}


def test_the_scalar_constructor_keeps_no_nodes_alive(tmp_path: Path) -> None:
    load(tmp_path, "a: 1\nb: [true, 2027-03-31]\n")
    assert not load_module._SCALARS.constructed_objects


# --- duplicate keys ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "position", "message"), [
    ("version: 1\nbank: a\nbank: b\n", "oaspec.yaml:3:1", "duplicate key 'bank' (first defined at line 2)"),
    ("accounts:\n  - id: a\n    menu: []\n    tags: []\n    menu: []\n", "oaspec.yaml:5:5",
     "duplicate key 'menu' (first defined at line 3)"),
    ("menu:\n  - {name: a, type: click, key: K, key: L}\n", "oaspec.yaml:2:36",
     "duplicate key 'key' (first defined at line 2)"),
])
def test_a_duplicate_key_is_an_error_at_the_second_one(tmp_path: Path, text: str, position: str, message: str) -> None:
    assert error(tmp_path, text) == (position, message)


# --- merge keys ---------------------------------------------------------------------------------------------
MERGE = """\
defaults: &defaults
  type: click
  key: DEFAULT
buttons:
  - <<: *defaults
    name: a
  - <<: *defaults
    name: b
    key: OWN
"""


def test_merge_keys_copy_the_anchor_and_explicit_keys_win(tmp_path: Path) -> None:
    buttons = load(tmp_path, MERGE).data["buttons"]
    assert buttons == [{"type": "click", "key": "DEFAULT", "name": "a"}, {"type": "click", "key": "OWN", "name": "b"}]
    # merged values point where they are used, the alias in the << entry (attack review 69 F6), not at the anchor
    assert where(buttons[0].value_pos("key")) == at(5, 9) and where(buttons[1].value_pos("key")) == at(9, 10)


def test_merge_of_several_mappings_takes_the_first_that_has_a_key(tmp_path: Path) -> None:
    data = load(tmp_path, "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n").data
    assert data["c"] == {"x": 1, "y": 2}


def test_a_key_repeated_after_a_merge_is_still_a_duplicate(tmp_path: Path) -> None:
    text = "a: &a {x: 1}\nb:\n  <<: *a\n  x: 2\n  x: 3\n"
    assert error(tmp_path, text) == ("oaspec.yaml:5:3", "duplicate key 'x' (first defined at line 4)")


def test_merging_a_non_mapping_is_an_error(tmp_path: Path) -> None:
    assert error(tmp_path, "a:\n  <<: [1]\n") == ("oaspec.yaml:2:7", "a merge key (<<) needs a mapping")


# --- aliases --------------------------------------------------------------------------------------------------
def test_aliases_within_the_budget_expand(tmp_path: Path) -> None:
    data = load(tmp_path, "a: &a {name: x, keywords: [p, q]}\nrules: [*a, *a, *a]\n").data
    assert data["rules"] == [{"name": "x", "keywords": ["p", "q"]}] * 3


def test_the_alias_budget_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_ALIAS_NODES", 8)
    # each *a expands to 4 nodes: the mapping, its two values and the list item inside
    load(tmp_path, "a: &a {x: 1, y: [2]}\nb: [*a, *a]\n")
    assert error(tmp_path, "a: &a {x: 1, y: [2]}\nb: [*a, *a, *a]\n") == (
        "oaspec.yaml:2:4", "YAML aliases expand to more than 8 nodes (an alias bomb?)")


def test_a_billion_laughs_fails_fast(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    started = time.process_time()
    position, message = error(tmp_path, "\n".join(lines) + "\n")
    assert time.process_time() - started < 5
    assert message.startswith("YAML aliases expand to more than") and position == "oaspec.yaml:5:4"


def test_a_recursive_alias_is_an_error_not_a_recursion_error(tmp_path: Path) -> None:
    assert error(tmp_path, "a: &a\n  b:\n    c: *a\n") == (
        "oaspec.yaml:3:5", "recursive YAML alias: an anchor (&name) contains an alias (*name) of itself")


# --- interpolations -------------------------------------------------------------------------------------------
def test_interpolations_are_recorded_with_their_positions(tmp_path: Path) -> None:
    loaded = load(tmp_path, "secret: ${SECRET}\nlist: [a, '${ITEM}']\nplain: $HOME and {x}\n")
    assert [(i.key, i.value, where(i.position)) for i in loaded.interpolations] == [
        ("secret", "${SECRET}", at(1, 9)), (1, "${ITEM}", at(2, 11))]
    assert loaded.data["secret"] == "${SECRET}"  # the loader never reads the environment


# --- includes ---------------------------------------------------------------------------------------------------
def test_includes_join_accounts_in_file_order_with_their_own_positions(tmp_path: Path) -> None:
    loaded = load(tmp_path, "version: 1\ninclude: [accounts/*.yaml]\naccounts:\n  - {id: main}\n",
                  **{"accounts/b.yaml": "accounts:\n  - {id: b}\n",
                     "accounts/a.yaml": "\naccounts:\n  - {id: a1}\n  - {id: a2}\n"})
    accounts = loaded.data["accounts"]
    assert [a["id"] for a in accounts] == ["main", "a1", "a2", "b"]
    assert [where(accounts.item_pos(i)) for i in range(4)] == [at(4, 5), at(3, 5, "a.yaml"), at(4, 5, "a.yaml"),
                                                     at(2, 5, "b.yaml")]
    assert [f.name for f in loaded.files] == ["oaspec.yaml", "a.yaml", "b.yaml"]
    assert "include" not in loaded.data


def test_includes_nest_and_a_file_is_loaded_once(tmp_path: Path) -> None:
    loaded = load(tmp_path, "include: [a.yaml, '*.yaml']\n",
                  **{"a.yaml": "include: [sub/c.yaml]\naccounts: [{id: a}]\n",
                     "b.yaml": "include: [a.yaml]\naccounts: [{id: b}]\n",
                     "sub/c.yaml": "include: ['../b.yaml']\naccounts: [{id: c}]\n"})
    assert sorted(a["id"] for a in loaded.data["accounts"]) == ["a", "b", "c"]
    assert len(loaded.files) == 4  # oaspec.yaml itself matches '*.yaml' but is not loaded twice


def test_a_single_include_may_be_a_string(tmp_path: Path) -> None:
    loaded = load(tmp_path, "include: a.yaml\n", **{"a.yaml": "accounts: [{id: a}]\n"})
    assert loaded.data["accounts"] == [{"id": "a"}]


@pytest.mark.parametrize(("main", "files", "expected"), [
    ("include: [missing/*.yaml]\n", {}, ("oaspec.yaml:1:10", "no file matches 'missing/*.yaml'")),
    ("include: ['../outside.yaml']\n", {"../outside.yaml": "accounts: []\n"},
     ("oaspec.yaml:1:10", "reaches outside the spec's directory")),
    ("include: [a.yaml]\n", {"a.yaml": "accounts: []\npolicies: {}\n"},
     ("a.yaml:2:1", "an included file may only hold accounts: (and include:)")),
    ("include: [a.yaml]\n", {"a.yaml": "- id: a\n"},
     ("a.yaml:1:1", "an included file may only hold accounts: (and include:)")),
    ("include: {a: b}\n", {}, ("oaspec.yaml:1:10", "include must be a list of file globs")),
    ("include: [a.yaml]\n", {"a.yaml": "accounts:\n  - {id: a, id: b}\n"},
     ("a.yaml:2:13", "duplicate key 'id' (first defined at line 2)")),
])
def test_include_problems(tmp_path: Path, main: str, files: dict[str, str], expected: tuple[str, str]) -> None:
    spec_dir = tmp_path / "spec"
    write(spec_dir, files)
    position, message = error(spec_dir, main)
    assert position == expected[0] and expected[1] in message


@pytest.mark.parametrize("accounts", ["{id: branch, name: 支行}", "branch", "\n  id: branch\n  name: 支行"])
def test_included_accounts_that_are_not_a_list_are_an_error(tmp_path: Path, accounts: str) -> None:
    """They were silently left out: the spec validated without the account."""
    spec_dir = tmp_path / "spec"
    write(spec_dir, {"branch.yaml": f"accounts: {accounts}\n"})
    position, message = error(spec_dir, "version: 1\nbank: 测试银行\ninclude: [branch.yaml]\n")
    line = 2 if accounts.startswith("\n") else 1
    assert (position, message) == (f"branch.yaml:{line}:{3 if line == 2 else 11}",
                                   "accounts: in an included file must be a list of accounts")


def test_an_included_file_with_empty_accounts_adds_none(tmp_path: Path) -> None:
    loaded = load(tmp_path, "version: 1\nbank: 测试银行\ninclude: [branch.yaml]\n", **{"branch.yaml": "accounts:\n"})
    assert loaded.data["accounts"] == []


# --- files ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "expected"), [
    (b"", ("oaspec.yaml:1:1", "the spec file is empty")),
    (b"# just a comment\n", ("oaspec.yaml:1:1", "the spec file is empty")),
    (b"- a\n", ("oaspec.yaml:1:1", "the spec must be a mapping (version:, bank:, ...)")),
    ("a: 1\nb: 测".encode() + b"\xff\n",
     ("oaspec.yaml:2:5", "the file is not UTF-8 (invalid start byte)")),
    (b"a: [1, 2\n", ("oaspec.yaml:1:4", "YAML syntax error: ")),
])
def test_unusable_files(tmp_path: Path, content: bytes, expected: tuple[str, str]) -> None:
    (tmp_path / "oaspec.yaml").write_bytes(content)
    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path / "oaspec.yaml")
    [d] = caught.value.diagnostics
    assert (f"oaspec.yaml:{d.position.line}:{d.position.col}", d.message[:len(expected[1])]) == expected


def test_a_missing_spec_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="spec file not found"):
        load_spec(tmp_path / "nope.yaml")


def test_a_device_or_a_pipe_is_named_as_no_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    for path in (Path("/dev/zero"), tmp_path / "pipe"):
        with pytest.raises(SpecError, match="the spec is not a regular file"):
            load_spec(path)


def test_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, {"oaspec.yaml": "bank: " + "x" * 100 + "\n"})
    assert load_spec(path, max_bytes=200).data["bank"] == "x" * 100
    with pytest.raises(SpecError, match="over the limit of 50"):
        load_spec(path, max_bytes=50)


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("text", ["a: 1\n", "a: [\n"])
def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path, enabled: bool, text: str) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with contextlib.suppress(SpecError):
            load(tmp_path, text)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
