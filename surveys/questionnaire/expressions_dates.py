"""The rule language's date functions from the ODK XForms spec: ``date``, ``format-date``, …

Why a module of its own: ODK forms turn dates into numbers of days and back
(``decimal-date-time(${visit}) - decimal-date-time(${birth})``, ``date(today() - 7)``) and
print them (``format-date(${visit}, '%Y년 %m월')``). The meanings follow "Date and Time
Functions" in the ODK XForms spec (getodk.github.io/xforms-spec):

* a date is ``YYYY-MM-DD``; a dateTime ``YYYY-MM-DDTHH:MM[:SS[.fff]]`` with an optional
  offset (``Z``, ``+09:00``). A dateTime without an offset is read as UTC (ODK reads the
  device's time zone; the platform has no device), one with an offset is moved to UTC;
* ``decimal-date-time(v)``: days since 1970-01-01 UTC, a float (a date is its midnight);
* ``date(v)``: a date or dateTime's date, or a number of days since 1970-01-01 (its whole
  days, toward the past) as a date; anything else is unanswered;
* ``format-date(v, format)`` / ``format-date-time(v, format)``: ``%Y`` 4-digit year, ``%y``
  2-digit year, ``%m`` 0-padded month, ``%n`` month, ``%b`` short month (Jan…), ``%d``
  0-padded day, ``%e`` day, ``%a`` short weekday (Sun…); format-date-time adds ``%H``
  0-padded hour, ``%h`` hour, ``%M`` minute, ``%S`` second, ``%3`` milliseconds. The
  spec names the form's locale for ``%b``/``%a``; these are the English abbreviations
  (the spec's own examples), whatever the questionnaire's language. Any other ``%x`` is
  kept as written. An unreadable value gives ``''``.

``now()`` and ``decimal-time()`` need a clock and a time zone the evaluators do not have;
they are refused when a rule is parsed (see ``UNSUPPORTED`` in
:mod:`surveys.questionnaire.expressions_functions`).
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from surveys.questionnaire.expressions_values import as_number, as_text

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # datetime's weekday() order
_FIELD = re.compile(r"%(.)", re.DOTALL)


def moment(value: Any) -> datetime.datetime | None:
    """A date or dateTime text as a UTC datetime; None if it is not one (or not a real day)."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
    if not isinstance(value, str) or not (match := _DATE_TIME.fullmatch(value.strip())):
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        zone = datetime.UTC
        if offset and offset != "Z":
            sign = -1 if offset[0] == "-" else 1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
        local = datetime.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0),
            int(second or 0), int((fraction or "0").ljust(6, "0")), tzinfo=zone,
        )  # fmt: skip
        return local.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None


def decimal_date_time(value: Any) -> float | None:
    """ODK decimal-date-time(): days since 1970-01-01 UTC, with the day's fraction."""
    found = moment(value)
    if found is None:
        return None
    return (found - _EPOCH) / datetime.timedelta(days=1)


def date(value: Any) -> str | None:
    """ODK date(): a date or dateTime's date, or days since 1970-01-01 as a date."""
    found = moment(value)
    if found is not None:
        return found.date().isoformat()
    number = as_number(value)
    if number is None or (isinstance(number, float) and not math.isfinite(number)):
        return None
    try:
        return (_EPOCH.date() + datetime.timedelta(days=math.floor(number))).isoformat()
    except OverflowError:
        return None


def format_date(value: Any, pattern: Any, *, with_time: bool) -> str:
    """ODK format-date() / format-date-time() with the spec's ``%`` fields."""
    found = moment(value)
    if found is None:
        return ""
    fields = {
        "Y": f"{found.year:04d}", "y": f"{found.year % 100:02d}", "m": f"{found.month:02d}",
        "n": str(found.month), "b": _MONTHS[found.month - 1], "d": f"{found.day:02d}",
        "e": str(found.day), "a": _DAYS[found.weekday()],
    }  # fmt: skip
    if with_time:
        fields |= {
            "H": f"{found.hour:02d}", "h": str(found.hour), "M": f"{found.minute:02d}",
            "S": f"{found.second:02d}", "3": f"{found.microsecond // 1000:03d}",
        }  # fmt: skip
    return _FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), as_text(pattern))
