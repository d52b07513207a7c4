"""Shape checks for answers of the XLSForm field types: times, positions, files, scans.

Why a module of its own: the response schema (``surveys.questionnaire.response_schema``)
checks each question's column by its type; these types come from XLSForm workbooks
(``time``, ``datetime``, ``geopoint``…) and are stored as text, so each needs a check that
its text has the shape ODK Collect writes: ``14:30`` or ``14:30:05``; ``2026-12-05T14:30``;
``37.5665 126.9780 38.0 5.0`` (latitude, longitude, altitude, accuracy); points of a
trace or shape joined by ``;``; a file name without folders.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from data.text import Text

_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([+-][0-9:]+|Z)?$")
_FILE = re.compile(r"^[^/\\\x00-\x1f]{1,255}$")


def is_time(value: Any) -> bool:
    return bool(_TIME.match(str(value)))


def is_datetime(value: Any) -> bool:
    try:
        datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def is_point(text: str) -> bool:
    """``latitude longitude [altitude [accuracy]]`` with latitude and longitude in range."""
    parts = text.split()
    if not 2 <= len(parts) <= 4:
        return False
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return False
    return -90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180


def is_geopoint(value: Any) -> bool:
    return is_point(str(value))


def is_points(value: Any) -> bool:
    """A trace or shape: two or more points joined by ``;``."""
    points = [p for p in str(value).split(";") if p.strip()]
    return len(points) >= 2 and all(is_point(p) for p in points)


def is_file_name(value: Any) -> bool:
    return bool(_FILE.match(str(value)))


def is_barcode(value: Any) -> bool:
    return 0 < len(str(value)) <= 500


SHAPES: dict[str, tuple[Callable[[Any], bool], Text]] = {
    "time": (is_time, Text("시각은 HH:MM 형식으로 적어 주세요.", "Write the time as HH:MM.")),
    "datetime": (
        is_datetime,
        Text(
            "날짜와 시각은 YYYY-MM-DDTHH:MM 형식으로 적어 주세요.",
            "Write the date and time as YYYY-MM-DDTHH:MM.",
        ),
    ),
    "geopoint": (
        is_geopoint,
        Text(
            "위치는 '위도 경도' (예: 37.5665 126.9780) 로 적어 주세요.",
            "Write the position as 'latitude longitude' (e.g. 37.5665 126.9780).",
        ),
    ),
    "geotrace": (
        is_points,
        Text(
            "경로는 '위도 경도' 점 두 개 이상을 ; 로 이어 적어 주세요.",
            "Write the line as two or more 'latitude longitude' points joined by ;.",
        ),
    ),
    "geoshape": (
        is_points,
        Text(
            "영역은 '위도 경도' 점들을 ; 로 이어 적어 주세요.",
            "Write the shape as 'latitude longitude' points joined by ;.",
        ),
    ),
    "barcode": (
        is_barcode,
        Text("바코드는 500자 이내입니다.", "A barcode has at most 500 characters."),
    ),
    **{
        kind: (
            is_file_name,
            Text(
                "파일 이름(폴더 없이, 255자 이내)이어야 합니다.",
                "The answer must be a file name (no folders, at most 255 characters).",
            ),
        )
        for kind in ("image", "audio", "video", "file")
    },
}
