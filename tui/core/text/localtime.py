"""Stored times shown as local time with their offset. Core: no Textual.

The store keeps every time in UTC (`2026-11-27T02:19:59Z`, or to the microsecond); people
read local time. The local zone is the process's, so TZ is honoured (`TZ=Asia/Shanghai
bj30 export ...`). Every time shown carries its offset, `2026-11-27 10:19 (UTC+08:00)`: a
report read in another office is never eight hours off without saying so. Dates (when an
item was completed) are local dates: 02:19 UTC on the 27th is the 27th in Beijing, 18:00 UTC
on the 26th is the 27th too.
"""

from __future__ import annotations

import datetime as dt

_FORMATS = ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ")


def parse(stamp: str) -> dt.datetime | None:
    """A stored UTC time (to the second or the microsecond) as an aware datetime, or None."""
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(stamp, fmt).replace(tzinfo=dt.timezone.utc)
        except (ValueError, TypeError):
            continue
    return None


def local(when: dt.datetime) -> dt.datetime:
    """`when` in the local zone (TZ honoured); a naive time is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone()


def offset(when: dt.datetime) -> str:
    """The local offset at `when` as people write it: `UTC+08:00`, `UTC-05:00`, `UTC+00:00`."""
    delta = local(when).utcoffset() or dt.timedelta(0)
    sign = "-" if delta < dt.timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_time(when: dt.datetime, *, with_offset: bool = True) -> str:
    """`2026-11-27 10:19 (UTC+08:00)`: local time to the minute, with its offset unless told not to."""
    text = local(when).strftime("%Y-%m-%d %H:%M")
    return f"{text} ({offset(when)})" if with_offset else text


def format_stamp(stamp: str, *, with_offset: bool = True) -> str:
    """A stored time for people (see format_time); an unreadable one is shown as it is."""
    when = parse(stamp)
    return format_time(when, with_offset=with_offset) if when else stamp


def local_date(stamp: str) -> str:
    """The local date of a stored time (`2026-11-27`), or "" for none; an unreadable one as it is."""
    if not stamp:
        return ""
    when = parse(stamp)
    return local(when).date().isoformat() if when else stamp


def iso_local(stamp: str) -> str:
    """A stored time as ISO 8601 in local time with its offset (`2026-11-27T10:19:59+08:00`), for CSV."""
    when = parse(stamp)
    return local(when).replace(microsecond=0).isoformat() if when else stamp


def today() -> dt.date:
    """Today's local date: what "overdue" is measured against."""
    return dt.datetime.now().astimezone().date()
