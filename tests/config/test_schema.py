"""schemas/oaspec.schema.json is the models' JSON Schema, kept in sync; the examples fit it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from oa_spec.config.model import json_schema
from tests.conftest import EXAMPLES, ROOT, run_cli

SCHEMA_FILE = ROOT / "schemas" / "oaspec.schema.json"
INCLUDED_SCHEMA_FILE = ROOT / "schemas" / "oaspec-included.schema.json"
REGENERATE = {False: "oaspec schema > schemas/oaspec.schema.json",
              True: "oaspec schema --included > schemas/oaspec-included.schema.json"}
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.yaml"))
MAIN_SPECS = sorted(EXAMPLES.glob("*/oaspec.yaml"))


def schema_file_for(path: Path) -> Path:
    """Main specs use the full schema; files pulled in by include: (no version, no bank) the other."""
    return SCHEMA_FILE if path in MAIN_SPECS else INCLUDED_SCHEMA_FILE


@pytest.mark.parametrize("included", [False, True], ids=["main", "included"])
def test_the_schema_files_are_up_to_date(included: bool) -> None:
    path = INCLUDED_SCHEMA_FILE if included else SCHEMA_FILE
    assert path.is_file(), f"{path} is missing: generate it with `{REGENERATE[included]}`"
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == json_schema(included), (
        f"{path.relative_to(ROOT)} is out of date with oa_spec/config/model.py: regenerate it with "
        f"`{REGENERATE[included]}` and commit it")


def test_the_included_schema_asks_for_neither_version_nor_bank() -> None:
    schema = json_schema(included=True)
    assert set(schema["properties"]) == {"accounts", "include"} and "required" not in schema


def test_oaspec_schema_prints_the_schema(tmp_path: Path) -> None:
    result = run_cli("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json_schema()
    assert "\\u" not in result.stdout  # the Chinese in descriptions stays readable


@pytest.mark.parametrize("spec", MAIN_SPECS, ids=lambda p: p.parent.name)
def test_the_examples_validate(spec: Path, tmp_path: Path) -> None:
    secrets = {name: "set-for-the-test" for f in spec.parent.rglob("*.yaml")
               for name in re.findall(r"\$\{(\w+)\}", f.read_text(encoding="utf-8"))}
    allowed = {"OASPEC_ALLOWED_API_BASES": "http://127.0.0.1:8790"}  # the emulator example's, as it says
    result = run_cli("validate", "-f", str(spec), cwd=tmp_path, env={**secrets, **allowed})
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_file_points_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{path} should start with the yaml-language-server modeline"
    assert (path.parent / match.group(1)).resolve() == schema_file_for(path).resolve()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_key_of_the_examples_is_in_the_schema(path: Path) -> None:
    """What an editor checks as you type: no key the schema does not know (jsonschema is not a
    dependency, so this walks properties, items, $ref and anyOf itself)."""
    schema = json.loads(schema_file_for(path).read_text(encoding="utf-8"))
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert node is not None, f"{path} is empty"
    assert unknown_keys(plain(node), schema, schema.get("$defs", {})) == []


def plain(node: yaml.Node) -> Any:
    """YAML as an editor's YAML 1.2 reads keys: `on:` is the text "on" (PyYAML's 1.1 would say True)."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: plain(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [plain(item) for item in node.value]
    return node.value


def unknown_keys(data: Any, schema: dict[str, Any], defs: dict[str, Any], path: str = "") -> list[str]:
    """Paths of mapping keys that `schema` does not allow (only keys: types and values are the models')."""
    if "$ref" in schema:
        return unknown_keys(data, defs[schema["$ref"].rsplit("/", 1)[-1]], defs, path)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        results = [unknown_keys(data, branch, defs, path) for branch in branches if _fits(data, branch, defs)]
        return min(results, key=len) if results else []
    if isinstance(data, dict) and schema.get("type") == "object":
        problems = []
        properties = schema.get("properties", {})
        for key, value in data.items():
            if key in properties:
                problems += unknown_keys(value, properties[key], defs, f"{path}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += unknown_keys(value, schema["additionalProperties"], defs, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path}.{key}")
        return problems
    if isinstance(data, list) and isinstance(schema.get("items"), dict):
        return [p for i, item in enumerate(data) for p in unknown_keys(item, schema["items"], defs, f"{path}[{i}]")]
    return []


def _fits(data: Any, schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    """Whether `data` has the JSON type a union branch describes."""
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    kind = schema.get("type")
    if kind is None:
        return True
    return {"object": isinstance(data, dict), "array": isinstance(data, list), "null": data is None}.get(
        kind, not isinstance(data, dict | list) and data is not None)


def test_the_key_walker_finds_an_unknown_key() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = {"version": 1, "bank": "x", "accounts": [{"id": "a", "name": "a", "menu": [
        {"name": "服务", "sub_button": [{"name": "客服", "type": "click", "key": "CS"}]}]}]}
    assert unknown_keys(data, schema, schema["$defs"]) == [".accounts[0].menu[0].sub_button"]
