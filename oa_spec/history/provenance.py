"""Where a change came from, for the records: the git commit (and whether the work tree matched it),
the CI job and the person CI ran it for, and the OS user and host.

An auditor reads "applied from commit abc123 by zhangwei in job <url>"; each part must be true. A
work tree with uncommitted edits (also of a file git is told to overlook, `--skip-worktree`) is recorded as
dirty, with a digest of the edits, so a revision never claims a commit whose content it did not deploy.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import socket
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from oa_spec.history.lock import current_user
from oa_spec.util import clock

# CI systems and the variable that identifies the running job, checked in this order.
CI_JOB_VARIABLES = (
    ("gitlab", "CI_JOB_ID"), ("github", "GITHUB_RUN_ID"), ("jenkins", "BUILD_TAG"),
    ("azure", "BUILD_BUILDID"), ("circleci", "CIRCLE_WORKFLOW_JOB_ID"), ("buildkite", "BUILDKITE_JOB_ID"),
    ("teamcity", "BUILD_NUMBER"),
)
# Per system: the variable naming the person the job ran for, and the one holding the job's URL.
CI_ACTOR_VARIABLES = {"gitlab": "GITLAB_USER_LOGIN", "github": "GITHUB_ACTOR", "jenkins": "BUILD_USER_ID",
                      "azure": "BUILD_REQUESTEDFOREMAIL", "circleci": "CIRCLE_USERNAME",
                      "buildkite": "BUILDKITE_BUILD_CREATOR_EMAIL"}
CI_URL_VARIABLES = {"gitlab": "CI_JOB_URL", "jenkins": "BUILD_URL", "circleci": "CIRCLE_BUILD_URL",
                    "buildkite": "BUILDKITE_BUILD_URL"}
GIT_TIMEOUT = 10.0


def ci_identity() -> dict[str, str] | None:
    """The CI job running oaspec: system, job id, actor and job URL when the CI provides them."""
    for system, variable in CI_JOB_VARIABLES:
        job_id = os.environ.get(variable)
        if not job_id:
            continue
        job = {"system": system, "job": job_id}
        if system == "github" and os.environ.get("GITHUB_RUN_ATTEMPT"):
            job["attempt"] = os.environ["GITHUB_RUN_ATTEMPT"]
        actor = os.environ.get(CI_ACTOR_VARIABLES.get(system, ""), "")
        url = _github_job_url(job_id) if system == "github" else os.environ.get(CI_URL_VARIABLES.get(system, ""))
        if actor:
            job["actor"] = actor
        if url:
            job["url"] = url
        return job
    return None


def _github_job_url(run_id: str) -> str | None:
    server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    if not server or not repository:
        return None
    url = f"{server.rstrip('/')}/{repository}/actions/runs/{run_id}"
    attempt = os.environ.get("GITHUB_RUN_ATTEMPT")
    return f"{url}/attempts/{attempt}" if attempt else url


def recorded_user() -> str:
    """Who the change is recorded for: the CI actor when CI runs oaspec (the OS user there is a runner
    account such as root), else the OS user (or OASPEC_USER)."""
    ci = ci_identity()
    return (ci or {}).get("actor") or current_user()


def os_user() -> str:
    """The account the process runs as, from the password database: unlike the recorded user, no
    environment variable (OASPEC_USER, USER, LOGNAME) changes it."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no entry (a container's arbitrary user)
        return f"uid{os.getuid()}"


def identity() -> dict[str, Any]:
    """The people and machine behind a record: recorded user, OS user, host and CI job."""
    return {"user": recorded_user(), "os_user": os_user(), "host": socket.gethostname(), "ci": ci_identity()}


def collect(spec_path: Path, state_dir: Path, read: Mapping[Path, str]) -> dict[str, Any]:
    """Everything a revision records about its origin: identity, git state (`read`: the files the spec read,
    each with the sha256 of its bytes as read), and the decision clock (OASPEC_NOW) when it is set apart from
    the real one."""
    facts = {**identity(), "git": git_state(spec_path, state_dir, list(read), read)}
    decision = clock.decision_timestamp()
    return {**facts, "decision_time": decision} if decision else facts


def git_state(spec_path: Path, state_dir: Path | None = None, read: Sequence[Path] = (),
              as_read: Mapping[Path, str] | None = None) -> dict[str, Any] | None:
    """{commit, dirty, diff_digest} of the git work tree holding the spec; None outside git.
    The state directory is left out when it sits inside the work tree: it changes on every apply.
    A file in `read` (what the spec read) that git does not track is an edit, even one .gitignore hides; so is one
    whose bytes are no longer those `as_read` gives their sha256 of (put back to the commit after the spec was
    compiled from an edit: attack review 78 F1), and the digest holds those, what was deployed."""
    cwd = spec_path.parent if spec_path.is_file() or not spec_path.exists() else spec_path
    found = _git(cwd, "rev-parse", "--show-toplevel", "HEAD")  # one git process: one line each, in this order
    lines = [] if found is None else found.rstrip(b"\n").rsplit(b"\n", 1)
    if len(lines) != 2:  # outside git, or no commit yet
        return None
    top, commit = Path(os.fsdecode(lines[0].strip())), lines[1].decode().strip()
    pathspec = ["--", ".", *_excluded(top, state_dir)]
    status = _git(top, "status", "--porcelain", "--untracked-files=all", *pathspec)
    diff = _git(top, "diff", "HEAD", "--binary", *pathspec)
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z", *pathspec)
    named = _inside(top, read)  # asked about by name: a large repository is not listed whole on every apply
    inside = list(named)
    read_as = {os.fsencode(name): as_read[path] for name, path in named.items() if as_read and path in as_read}
    moved = {name for name, sha in read_as.items() if _sha256(top / os.fsdecode(name)) != sha}
    held = _held(top, inside)
    overlooked = None if held is None else _unlike_index(top, held)
    if status is None or diff is None or untracked is None or held is None or overlooked is None:
        return {"commit": commit, "dirty": None, "diff_digest": None}  # unknown is not clean
    listed = {*held, *untracked.split(b"\0")}
    ignored = {name for name in map(os.fsencode, inside) if name not in listed}  # neither tracked nor untracked
    if not status.strip() and not ignored and not overlooked and not moved:
        return {"commit": commit, "dirty": False, "diff_digest": None}
    digest = hashlib.sha256(diff)
    # new files, and edits git was told to overlook, are edits too; and every file the spec read is digested as it
    # was read, so the digest names what was deployed even where a filter hides the edit from git's diff
    for name in sorted({*(n for n in untracked.split(b"\0") if n), *ignored, *overlooked, *map(os.fsencode, inside)}):
        digest.update(b"\0untracked\0" + name + b"\0")
        if name in read_as:
            digest.update(b"\0read\0" + read_as[name].encode())
            continue
        content = _bytes(top / os.fsdecode(name))
        digest.update(b"\0unreadable\0" if content is None else content)
    return {"commit": commit, "dirty": True, "diff_digest": "sha256:" + digest.hexdigest()}


def _held(top: Path, names: list[str]) -> dict[bytes, bytes] | None:
    """The read files git tracks (paths from the work tree's top), each with its blob's object name."""
    staged = _git(top, "ls-files", "-s", "-z", "--", *(f":(literal){n}" for n in names)) if names else b""
    if staged is None:
        return None
    held: dict[bytes, bytes] = {}
    for entry in staged.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if path:
            held[path] = meta.split()[1]
    return held


def _unlike_index(top: Path, held: dict[bytes, bytes]) -> set[bytes] | None:
    """The read files whose bytes are not what git holds for them: an edit `git status` does not show, of a file
    flagged --skip-worktree or --assume-unchanged, or one a filter folds back into the committed bytes (an
    `ident` attribute collapses whatever stands between $Id: and $). A file is what git holds when its bytes are
    the blob's, or what a checkout writes of it (the smudged blob: LFS content, expanded $Id$, CRLF)."""
    if not held:
        return set()
    files = sorted(held)
    raw = _git(top, "hash-object", "--no-filters", "--", *map(os.fsdecode, files))
    if raw is None:
        return None
    differ = [name for name, now in zip(files, raw.split(), strict=True) if held[name] != now]
    if not differ:
        return set()
    unlike = set()
    for name in differ:  # one each: --batch prints the raw size above the smudged bytes
        smudged = _git(top, "cat-file", "--filters", f"--path={os.fsdecode(name)}", held[name].decode())
        if smudged is None:
            return None
        if _bytes(top / os.fsdecode(name)) != smudged:
            unlike.add(name)
    return unlike


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # gone or unreadable since the spec read it: not what git holds
        return None


def _sha256(path: Path) -> str | None:
    content = _bytes(path)
    return None if content is None else hashlib.sha256(content).hexdigest()


def _inside(top: Path, read: Sequence[Path]) -> dict[str, Path]:
    """The files the spec read that lie in the work tree, relative to its top (git says nothing of others), each
    with the path it was read by."""
    root, names = top.resolve(), {}
    for path in read:
        try:
            names[path.resolve().relative_to(root).as_posix()] = path
        except ValueError:
            continue
    return names


def _excluded(top: Path, state_dir: Path | None) -> list[str]:
    if state_dir is None:
        return []
    try:
        relative = state_dir.resolve().relative_to(top.resolve())
    except ValueError:
        return []
    return [f":(exclude){relative.as_posix()}"] if relative.parts else []


def _git(cwd: Path, *args: str) -> bytes | None:
    # No GIT_* variable reaches git (GIT_DIR and GIT_INDEX_FILE point it elsewhere, GIT_CONFIG_COUNT/_KEY_n/_VALUE_n
    # and GIT_CONFIG_PARAMETERS add a clean filter that shows an edit as the committed bytes), but the one that can
    # only stop it looking further up for a repository; nor XDG_CONFIG_HOME, another way to give it a configuration.
    # The configuration files of the runner's user and system are the runner's: a filter put there can still fold
    # an edit into the committed bytes (SECURITY, "A compromised CI runner").
    env = {name: value for name, value in os.environ.items()
           if (not name.startswith("GIT_") or name == "GIT_CEILING_DIRECTORIES") and name != "XDG_CONFIG_HOME"}
    try:
        out = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None
