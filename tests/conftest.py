"""Names older test modules import from here; the helpers themselves are in testing/ (the fixtures
are loaded by the top-level conftest.py). New tests import from testing directly."""

from __future__ import annotations

from testing import EXAMPLES, FIXED_NOW, ROOT
from testing.cli import Cli, Result, run_cli
from testing.emulator import allowed_api_base, allowed_emulator, seed_console_reply

__all__ = ["EXAMPLES", "FIXED_NOW", "ROOT", "Cli", "Result", "allowed_api_base", "allowed_emulator", "run_cli",
           "seed_console_reply"]
