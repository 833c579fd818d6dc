"""The README's architecture section and CONTRIBUTING's picture match the tree, and the rules they
state hold: every kind has one module, no module is over ~400 lines, the CLI imports no stage at start."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from oa_spec.kinds.registry import KINDS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "oa_spec"


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = text.find("\n## ", start + len(heading))
    return text[start:] if following < 0 else text[start:following]


def test_every_package_is_in_the_architecture_section_and_every_named_module_exists() -> None:
    architecture = section((ROOT / "README.md").read_text(encoding="utf-8"), "## Architecture")
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    missing = {p for p in packages if f"{p}/" not in architecture}
    assert not missing, f"packages the README's architecture section does not name: {sorted(missing)}"
    every_module = {p.name for p in PACKAGE.rglob("*.py")}
    named = set(re.findall(r"([a-z_]+\.py)", architecture))
    assert named and not named - every_module, f"named but not in the tree: {sorted(named - every_module)}"


def test_every_registered_kind_lives_in_a_module_of_its_own_under_kinds() -> None:
    shared = {"oa_spec.kinds.base", "oa_spec.kinds.registry", "oa_spec.kinds.state", "oa_spec.kinds.change"}
    for name, kind in KINDS.items():
        home = type(kind).__module__
        assert home.startswith("oa_spec.kinds.") and home not in shared, f"kind {name} is defined in {home}"


def test_no_module_is_named_like_a_standard_library_module() -> None:
    """A module called calendar.py, secrets.py or json.py reads as the standard library's wherever it is imported."""
    shadowing = {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if p.stem in sys.stdlib_module_names}
    assert not shadowing, f"modules named like the standard library's: {sorted(shadowing)}"


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
            if len(p.read_text(encoding="utf-8").splitlines()) > 400}
    assert not long, f"modules over 400 lines: {sorted(long)}"


def test_no_import_cycles_between_stages() -> None:
    """Packages import only earlier ones: kinds < config < providers < policy < history < plan < render, apply."""
    order = ["util", "kinds", "config", "providers", "policy", "history", "plan", "render", "apply", "cli"]
    rank = {name: i for i, name in enumerate(order)}
    problems = []
    for path in PACKAGE.rglob("*.py"):
        own = path.relative_to(PACKAGE).parts[0]
        if own not in rank:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("oa_spec."):
                other = node.module.split(".")[1]
                if other in rank and rank[other] > rank[own]:
                    problems.append(f"{path.relative_to(ROOT)} imports {node.module}")
    assert not problems, "a stage imports a later one:\n" + "\n".join(problems)


def test_providers_see_normalized_state_never_the_spec_models() -> None:
    """Providers get a plain settings object and kinds.state values (providers/settings.py), not config's models."""
    imports = [f"{path.relative_to(ROOT)} imports {node.module}" for path in (PACKAGE / "providers").rglob("*.py")
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("oa_spec.config")]
    assert not imports, "\n".join(imports)


def test_help_imports_no_stage() -> None:
    code = ("import sys, oa_spec.cli.main; "
            "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
            "[['oa_spec', s] for s in ('plan', 'apply', 'policy', 'providers', 'history', 'emulator')] "
            "or m in ('pydantic', 'requests')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "['oa_spec.plan']", loaded.stdout  # the package only, for its default
