"""Regenerate the lock files requirements/test.txt and requirements/run.txt from pyproject.toml.

    python3 requirements/lock.py                          # after editing pyproject.toml
    python3 requirements/lock.py --upgrade-package babel  # move one pin to its newest allowed
    python3 requirements/lock.py --upgrade                # move every pin

Needs only Python 3.11+ and PyPI: pip-compile (pip-tools, pinned below) runs in a throwaway
venv. Existing pins are kept unless an option above asks to move them or pyproject.toml no
longer allows them. Both files carry exact versions with the sha256 of every file PyPI has for
them, plus hatchling and editables (the build backend), so `pip install --require-hashes -r`
followed by `pip install --no-deps --no-build-isolation -e .` fetches nothing unpinned.
run.txt is resolved with test.txt as constraints, so the two never disagree on a version.

Each file gets a `# pyproject-sha256:` line: the fingerprint of pyproject.toml's dependency
lists (see `fingerprint`). tests/test_lock.py recomputes it, so a pyproject.toml edited without
re-locking fails the test suite. Standard library only: the test imports this file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
TEST_LOCK = ROOT / "requirements" / "test.txt"
RUN_LOCK = ROOT / "requirements" / "run.txt"
PIP_TOOLS = "pip-tools==7.5.3"
FINGERPRINT_PREFIX = "# pyproject-sha256: "
INDEX_URL = "https://pypi.org/simple"


def locked_inputs(pyproject: dict[str, Any]) -> dict[str, Any]:
    """The parts of pyproject.toml that decide what the lock files hold."""
    project = pyproject["project"]
    return {
        "build-system.requires": pyproject["build-system"]["requires"],
        "project.requires-python": project.get("requires-python", ""),
        "project.dependencies": project.get("dependencies", []),
        "project.optional-dependencies.test": project.get("optional-dependencies", {}).get(
            "test", []
        ),
    }


def fingerprint(pyproject_path: Path = PYPROJECT) -> str:
    """sha256 of the dependency lists, independent of formatting and of the rest of the file."""
    inputs = locked_inputs(tomllib.loads(pyproject_path.read_text(encoding="utf-8")))
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _compile_env() -> dict[str, str]:
    """Resolve against PyPI alone: no local pip.conf, find-links or extra indexes leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    for keep in ("PIP_CERT", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    env.setdefault("PIP_INDEX_URL", INDEX_URL)
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["CUSTOM_COMPILE_COMMAND"] = "python3 requirements/lock.py"
    return env


def _stamp(lock: Path, digest: str) -> None:
    lines = [
        line
        for line in lock.read_text(encoding="utf-8").splitlines()
        if not line.startswith(FINGERPRINT_PREFIX)
    ]
    # Right after pip-compile's header comment block.
    at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    lines.insert(at, f"{FINGERPRINT_PREFIX}{digest}")
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    env = _compile_env()
    common = [
        "--quiet",
        "--generate-hashes",
        "--allow-unsafe",
        "--strip-extras",
        "--resolver=backtracking",
        "--build-deps-for=editable",
        "--no-emit-index-url",
        "--no-emit-find-links",
        "--no-emit-trusted-host",
    ]
    with tempfile.TemporaryDirectory(prefix="classbot-lock-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        tool_python = str(venv / "bin" / "python")
        subprocess.run(
            [tool_python, "-m", "pip", "install", "--quiet", PIP_TOOLS], check=True, env=env
        )
        compile_cmd = [tool_python, "-m", "piptools", "compile", *common]
        subprocess.run(
            [
                *compile_cmd,
                "--extra=test",
                "--output-file=requirements/test.txt",
                *argv,
                "pyproject.toml",
            ],
            check=True,
            cwd=ROOT,
            env=env,
        )
        subprocess.run(
            [
                *compile_cmd,
                "--constraint=requirements/test.txt",
                "--output-file=requirements/run.txt",
                *argv,
                "pyproject.toml",
            ],
            check=True,
            cwd=ROOT,
            env=env,
        )
    digest = fingerprint()
    for lock in (TEST_LOCK, RUN_LOCK):
        _stamp(lock, digest)
    print(f"locked {TEST_LOCK.relative_to(ROOT)} and {RUN_LOCK.relative_to(ROOT)} ({digest[:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
