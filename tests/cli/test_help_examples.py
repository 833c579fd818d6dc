"""Every example in every command's help text is a command line oaspec accepts (review 51 F6).

People copy a help text's example into CI. `oaspec audit verify --help` showed `oaspec audit verify
--state-dir ...`, which is a usage error (--state-dir is the group's option, before the command). Each
example here goes through the real entry point's parsing down to the command it names; only the command's
own work is left out.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from oa_spec.cli.main import main

SHELL = set("();<>|&")  # a redirection, pipe or `&` ends what oaspec is given


def commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def examples(help_text: str) -> list[str]:
    """The `oaspec ...` lines after the help text's "Example" heading."""
    lines = help_text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("Example")), len(lines))
    return [line.strip() for line in lines[start:] if line.strip().startswith("oaspec ")]


def words(example: str) -> list[str]:
    """The arguments oaspec gets from the example line, as a POSIX shell splits them."""
    lexer = shlex.shlex(example, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    found = []
    for token in lexer:
        if set(token) <= SHELL:
            break
        found.append(token)
    assert found[0] == "oaspec", example
    return found[1:]


EXAMPLES = [(" ".join(("oaspec", *path)), example) for path, command in commands(main)
            for example in examples(command.help or "")]


def test_the_examples_are_found() -> None:
    shown = {path for path, _ in EXAMPLES}
    assert {"oaspec", "oaspec plan", "oaspec audit", "oaspec audit verify", "oaspec state migrate"} <= shown
    assert len(EXAMPLES) >= 30


LEAVES = {" ".join(("oaspec", *path)) for path, command in commands(main) if not isinstance(command, click.Group)}


def files_in_place(args: list[str]) -> None:
    """The files an example reads (a saved plan, a spec) exist where it runs: made empty in the scratch directory
    it runs in, as only what oaspec's parsing accepts is tested here."""
    for arg in args:
        if not arg.startswith("-") and "://" not in arg and arg.rsplit(".", 1)[-1] in ("json", "yaml", "yml"):
            path = Path(arg)
            if not path.is_absolute():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()


@pytest.mark.parametrize(("path", "example"), EXAMPLES, ids=[f"{p}: {e}" for p, e in EXAMPLES])
def test_every_example_in_every_help_text_parses(path: str, example: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    reached: list[str] = []

    def parsed_only(self: click.Command, ctx: click.Context) -> None:  # groups dispatch; a command is not run
        reached.append(ctx.command_path)

    monkeypatch.setattr(click.Command, "invoke", parsed_only)
    monkeypatch.chdir(tmp_path)
    args = words(example)
    files_in_place(args)
    try:
        main.main(args, prog_name="oaspec", standalone_mode=False)
    except click.UsageError as exc:
        pytest.fail(f"`{example}` (in `{path} --help`) is a usage error: {exc.format_message()}")
    assert reached[-1:] and reached[-1] in LEAVES, (example, reached)  # it names a command, parsed to the end
