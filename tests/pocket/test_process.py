"""The pocket in the real `classbot` process (the terminal chat on the sample class)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


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
    # The sample workbook's contacts and the demo user's row of its trainees list.
    assert "☎ Organisers' hotline: " in out and "+842400003535" in out
    assert "Your room: 301." in out and "Hotel room: 301 (with " in out
    assert result.stderr == ""


DEMO_POCKET = {
    "en": (
        "Contacts and emergencies: Vientiane cadres' class in Hanoi",
        "☎ Class managers: Nguyễn Văn Hải (trưởng ban quản lý lớp): +84912000101",
        "☎ Nearest hospital: Bệnh viện Bạch Mai",
        "☎ Embassy: Đại sứ quán Lào tại Hà Nội",
        "☎ Emergency numbers: Cấp cứu / Ambulance 115",
        "My card: Vientiane cadres' class in Hanoi",
        "Name: ສົມພອນ ພົມມະຈັນ (Somphone Phommachanh)",
        "Bus: bus 1, seat 1",
        "Group leader: ບຸນມີ ແກ້ວມະນີ (Bounmy Keomany)",
        "Interpreter: Phạm Văn Thành (into Lao)",
    ),
    "vi": (
        "Liên hệ và khẩn cấp: Lớp bồi dưỡng cán bộ thành phố Viêng Chăn",
        "☎ Đường dây nóng Ban Tổ chức: Ban Tổ chức lớp (Ban Tổ chức Thành ủy Hà Nội): +8424",
        "☎ Số điện thoại khẩn cấp: Công an / Police 113",
        "Phòng khách sạn: 301 (cùng đồng chí ບຸນມີ ແກ້ວມະນີ (Bounmy Keomany))",
        "Xe: xe 1, ghế 1",
    ),
    "lo": (
        "☎ ສາຍດ່ວນຄະນະຈັດຕັ້ງ: Ban Tổ chức lớp (Ban Tổ chức Thành ủy Hà Nội): +842400003535",
        "☎ ເບີໂທສຸກເສີນ: Cấp cứu / Ambulance 115",
        "ຫ້ອງພັກ: 301 (ພັກຮ່ວມກັບ ບຸນມີ ແກ້ວມະນີ (Bounmy Keomany))",
        "ລົດ: ລົດຄັນທີ 1, ບ່ອນນັ່ງ 1",
        "ນາຍພາສາ: Phạm Văn Thành (ແປເປັນ ພາສາລາວ)",
    ),
}


@pytest.mark.parametrize("lang", sorted(DEMO_POCKET))
def test_the_demo_answers_contacts_and_card_from_the_sample_workbook(
    tmp_path: Path, lang: str
) -> None:
    """`classbot demo --today 2024-07-18 --lang X`: a newcomer sees the pocket work."""
    exe = Path(sys.executable).parent / "classbot"
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "CLASSBOT_DB")}
    env["LANG"] = "C.UTF-8"
    result = subprocess.run(
        [str(exe), "demo", "--today", "2024-07-18", "--lang", lang],
        input="/contacts\n/me\n/today\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for line in DEMO_POCKET[lang]:
        assert line in result.stdout
    assert "[1] ◀" in result.stdout  # /today answered after the card
    assert result.stderr == ""
