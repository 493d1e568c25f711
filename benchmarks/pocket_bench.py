"""The week as a picture: how long the first render takes, and a cached one.

A full week of a class like the Vientiane cadres' in Hanoi (Monday to Saturday, two
lectures every morning and a field visit with its departure every afternoon, in
Lao, the script that costs most to lay out) rendered to PNG by
:func:`bot.pocket.picture.cached_week`. The first render includes loading the
fonts, as the first request after a start does; the cached figure is the median
of repeated requests for the same class, version, week and language.
Targets: first render at most 500 ms, cached at most 5 ms.

    .venv/bin/python benchmarks/pocket_bench.py [--lang lo]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from bot.domain import Session, SessionKind, Topic, TrainingClass, localized
from bot.pocket import picture

MONDAY = dt.date(2024, 7, 15)
SLOTS = [
    (dt.time(7, 30), dt.time(9, 30), SessionKind.LECTURE),
    (dt.time(9, 45), dt.time(11, 30), SessionKind.LECTURE),
    (dt.time(13, 30), dt.time(17, 0), SessionKind.FIELD_VISIT),
]


def week() -> tuple[TrainingClass, list[Session], dict[int, Topic]]:
    cls = TrainingClass(
        id=1,
        code="BENCH",
        name=localized(
            {
                "vi": "Lớp bồi dưỡng cán bộ thành phố Viêng Chăn tại Hà Nội",
                "lo": "ຫ້ອງຝຶກອົບຮົມພະນັກງານນະຄອນຫຼວງວຽງຈັນ ຢູ່ຮ່າໂນ້ຍ",
                "en": "Vientiane cadres' class in Hanoi",
            }
        ),
        timezone="Asia/Ho_Chi_Minh",
        first_day=MONDAY,
        last_day=MONDAY + dt.timedelta(days=6),
        default_lang="vi",
        live_version_id=1,
    )
    topics = {
        n: Topic(
            n,
            localized(
                {
                    "vi": "Nâng cao năng lực lãnh đạo, quản lý trong chuyển đổi số",
                    "lo": "ການຍົກສູງຄວາມສາມາດການນຳພາ ແລະ ຄຸ້ມຄອງ ໃນການຫັນເປັນດີຈີຕອນ",
                    "en": "Leadership and management in the digital transformation",
                }
            ),
        )
        for n in range(1, 15)
    }
    sessions: list[Session] = []
    number = 0
    for d in range(6):
        day = MONDAY + dt.timedelta(days=d)
        for start, end, kind in SLOTS:
            number += 1
            visit = kind is SessionKind.FIELD_VISIT
            sessions.append(
                Session(
                    key=f"s{number}",
                    day=day,
                    start=start,
                    end=end,
                    kind=kind,
                    title=localized(
                        {
                            "vi": "Khảo sát thực tế Trung tâm điều hành thông minh",
                            "lo": "ທັດສະນະສຶກສາ ສູນບັນຊາການອັດສະລິຍະ",
                            "en": "Field visit: smart operations centre",
                        }
                        if visit
                        else {"vi": "Tự học", "lo": "ຮຽນດ້ວຍຕົນເອງ", "en": "Self-study"}
                    ),
                    topic_number=(number % 14) + 1 if kind is SessionKind.LECTURE else None,
                    venue="Hội trường A, Học viện Chính trị khu vực I",
                    departure=dt.time(13, 15) if visit else None,
                    meeting_point=localized({"vi": "Sảnh khách sạn", "lo": "ໂຖງໂຮງແຮມ"})
                    if visit
                    else localized(),
                )
            )
    return cls, sessions, topics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="lo", choices=["vi", "lo", "en"])
    parser.add_argument("--repeat", type=int, default=1000)
    args = parser.parse_args()
    cls, sessions, topics = week()
    started = time.perf_counter()
    first = picture.cached_week(cls, MONDAY, sessions, topics, args.lang)
    render_ms = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        again = picture.cached_week(cls, MONDAY, sessions, topics, args.lang)
        times.append((time.perf_counter() - started) * 1000)
        assert again is first
    print(f"week picture render ms {render_ms:.0f}")
    print(f"week picture cached ms {statistics.median(times):.4f}")
    size = sum(len(p) for p in first.pages) // 1024
    print(f"({len(first.pages)} page(s), {size} KB, language {args.lang})")


if __name__ == "__main__":
    main()
