"""pyproject.toml and the lock files (requirements/*.txt) agree; the install is the locked one.

Regenerate the locks with `python3 requirements/lock.py` (README: Upgrading a dependency).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
RELOCK = "pyproject.toml and the lock disagree: run `python3 requirements/lock.py` and commit both"
REINSTALL = (
    "this environment is not the locked one: reinstall with the README's command 2 "
    "(pip install --require-hashes -r requirements/test.txt)"
)


def _load_lock_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_classbot_lock", ROOT / "requirements/lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock_script = _load_lock_script()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for every pin in a pip-compile output file."""
    pins: dict[str, tuple[str, int]] = {}
    current: str | None = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            assert current not in pins, f"{lock.name}: {current} pinned twice"
            pins[current] = (match[2], 0)
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise AssertionError(f"{lock.name}: unexpected line {line!r}")
    return pins


RUN_PINS = _pins(lock_script.RUN_LOCK)
TEST_PINS = _pins(lock_script.TEST_LOCK)


def _direct(*, test: bool) -> list[Requirement]:
    inputs = lock_script.locked_inputs(PYPROJECT)
    texts = [*inputs["build-system.requires"], *inputs["project.dependencies"]]
    if test:
        texts += inputs["project.optional-dependencies.test"]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize("lock", ["run.txt", "test.txt"])
def test_the_lock_carries_the_fingerprint_of_pyproject(lock: str) -> None:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    stamps = [
        line.removeprefix(lock_script.FINGERPRINT_PREFIX)
        for line in text.splitlines()
        if line.startswith(lock_script.FINGERPRINT_PREFIX)
    ]
    assert stamps == [lock_script.fingerprint()], RELOCK


@pytest.mark.parametrize(("lock", "test"), [("run.txt", False), ("test.txt", True)])
def test_every_direct_dependency_is_pinned_within_its_range(lock: str, test: bool) -> None:
    pins = RUN_PINS if lock == "run.txt" else TEST_PINS
    for requirement in _direct(test=test):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements/{lock}; {RELOCK}"
        version = pins[name][0]
        assert requirement.specifier.contains(Version(version), prereleases=True), (
            f"requirements/{lock} pins {name}=={version}, outside {requirement}; {RELOCK}"
        )


def test_the_editable_install_needs_nothing_outside_the_locks() -> None:
    # `pip install --no-deps --no-build-isolation -e .` uses the build backend already installed.
    for pins in (RUN_PINS, TEST_PINS):
        assert {"hatchling", "editables"} <= pins.keys()


def test_every_pin_has_hashes() -> None:
    for name, (version, hashes) in (RUN_PINS | TEST_PINS).items():
        assert hashes >= 1, f"{name}=={version} has no --hash; {RELOCK}"


def test_run_lock_is_the_test_lock_without_the_test_tools() -> None:
    assert RUN_PINS.keys() <= TEST_PINS.keys()
    for name, (version, _) in RUN_PINS.items():
        assert TEST_PINS[name][0] == version, f"{name}: run.txt and test.txt differ; {RELOCK}"


def test_the_fingerprint_follows_the_dependency_lists_only(tmp_path: Path) -> None:
    original = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    edited = tmp_path / "pyproject.toml"

    edited.write_text(original + "\n# a comment\n", encoding="utf-8")
    assert lock_script.fingerprint(edited) == lock_script.fingerprint()
    edited.write_text(original.replace('version = "0.1.0"', 'version = "9.9.9"'), encoding="utf-8")
    assert lock_script.fingerprint(edited) == lock_script.fingerprint()

    edited.write_text(original.replace('"babel>=', '"babel>=2.99,<3", "x>='), encoding="utf-8")
    assert lock_script.fingerprint(edited) != lock_script.fingerprint()
    edited.write_text(original.replace('"ruff>=', '"ruff>=99,<100", "y>='), encoding="utf-8")
    assert lock_script.fingerprint(edited) != lock_script.fingerprint()


def test_this_environment_is_the_locked_one() -> None:
    for name, (version, _) in TEST_PINS.items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"{name} is not installed; {REINSTALL}")
        assert Version(installed) == Version(version), (
            f"{name} {installed} is installed, the lock says {version}; {REINSTALL}"
        )


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ci.startswith("python3 -m venv .venv && ")
    assert "--require-hashes -r requirements/test.txt" in ci
    assert ci in readme.splitlines()
