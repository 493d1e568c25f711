"""The pocket in the real `classbot` process (the terminal chat on the sample class)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_week_picture_contacts_and_card_in_the_terminal_chat(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "classbot"
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "CLASSBOT_DB")}
    env["LANG"] = "C.UTF-8"
    result = subprocess.run(
        [str(exe), "demo", "--today", "2024-07-15"],
        # /week: seven day buttons (issue 15), then the picture: the 8th.
        input="3\n/week\n8\nhotline\nmy room\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[8] 🖼 Picture" in out
    assert "🖼 (a picture)\n\nVientiane cadres' class in Hanoi" in out
    assert "— Week of Jul 15" in out and "(1/2)" in out and "(2/2)" in out
    assert "The organisers have not given contact numbers for this class yet." in out
    assert "the organisers have not matched you to the trainees list" in out
    assert result.stderr == ""
