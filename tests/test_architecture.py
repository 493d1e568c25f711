"""The architecture as contracts: layers and package cycles (import-linter), SQL only in the
store, scheduled jobs only in bot/telegram/jobs.py. Each check fails when the rule is broken."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("lint-imports is not installed; install the test extras")
    return subprocess.run([exe, "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False)


def test_import_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("agenda/views.py", "import telegram", "python-telegram-bot is imported only under"),
        ("people/groups.py", "import sqlite3", "sqlite3 and aiosqlite are imported only"),
        ("store/people.py", "from bot.agenda import views", "channels → features → core"),
        ("schedule/diff.py", "from bot.telegram import app", "channels → features → core"),
        ("people/permissions.py", "from bot.agenda import cards", "no import cycles between"),
    ],
)
def test_a_broken_contract_fails(tmp_path: Path, module: str, line: str, contract: str) -> None:
    """The same configuration on a copy of the code with one forbidden import added."""
    shutil.copytree(BOT, tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "bot" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, '.'); "
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


_SQL = re.compile(
    r"^\s*(SELECT\b.+\bFROM\b|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b"
    r"|CREATE\s+(TABLE|INDEX|VIRTUAL)\b|PRAGMA\b)",
    re.IGNORECASE | re.DOTALL,
)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "?"
                for v in node.values
            )
            found.append((node.lineno, text))
    return found


def sql_outside_store(root: Path) -> list[str]:
    """Every string that reads as an SQL statement in a module outside ``bot/store/``."""
    hits = []
    for path in sorted(root.rglob("*.py")):
        if "store" in path.relative_to(root).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                node.value.value = ""  # docstrings may speak of SQL
        hits += [f"{path}:{n}: {s[:60]!r}" for n, s in _strings(tree) if _SQL.match(s)]
    return hits


def test_no_sql_outside_the_store() -> None:
    assert sql_outside_store(BOT) == []


def test_the_sql_check_finds_a_statement(tmp_path: Path) -> None:
    (tmp_path / "agenda").mkdir()
    (tmp_path / "agenda" / "x.py").write_text(
        "async def f(db):\n"
        '    return await db.fetchall(\n        "SELECT id "\n        "FROM classes")\n'
    )
    assert len(sql_outside_store(tmp_path)) == 1


_JOB_CALLS = {"run_once", "run_repeating", "run_daily", "run_monthly", "run_custom"}


def jobs_outside_the_jobs_module(root: Path) -> list[str]:
    """Calls that put a job on PTB's JobQueue anywhere but ``bot/telegram/jobs.py``."""
    hits = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() == "telegram/jobs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _JOB_CALLS
            ):
                hits.append(f"{path}:{node.lineno}: {node.func.attr}")
    return hits


def test_jobs_are_derived_in_one_module() -> None:
    assert jobs_outside_the_jobs_module(BOT) == []


def test_the_job_check_finds_a_handler_scheduling_a_job(tmp_path: Path) -> None:
    (tmp_path / "telegram" / "handlers").mkdir(parents=True)
    (tmp_path / "telegram" / "handlers" / "x.py").write_text(
        "def f(app):\n    app.job_queue.run_once(print, when=1)\n"
    )
    assert len(jobs_outside_the_jobs_module(tmp_path)) == 1
