"""Dates a sentence writes, as ISO 8601 where the year is known.

"June 30" in a statement dated 2016-07-01 → 2016-06-30; "30 June 2022", "June 30, 2016",
"November 2016" → 2016-11; "today", "yesterday" → the statement's date and the day before.
A date whose year cannot be known stays as written.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
MONTH = r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december)\.?"
FORMS = [
    re.compile(rf"^(?:on\s+)?(?:the\s+)?{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$", re.I),
    re.compile(rf"^(?:on\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+(?P<year>\d{{4}}))?$", re.I),
    re.compile(rf"^(?:in\s+)?{MONTH},?\s+(?P<year>\d{{4}})$", re.I),
    re.compile(r"^(?P<year>\d{4})-(?P<mm>\d{2})-(?P<day>\d{2})$"),
]
RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}


def iso_date(text: str, statement_date: str | None) -> str | None:
    """The ISO form of a written date, or None when it is not one kg can read."""
    words = " ".join(text.strip().strip("(),").split())
    known = _statement_day(statement_date)
    if words.lower() in RELATIVE:
        return (known + dt.timedelta(days=RELATIVE[words.lower()])).isoformat() if known else None
    for form in FORMS:
        m = form.match(words)
        if not m:
            continue
        parts = m.groupdict()
        month = int(parts["mm"]) if parts.get("mm") else MONTHS[parts["month"].lower()]
        year = parts.get("year") or (statement_date[:4] if statement_date and statement_date[:4].isdigit() else None)
        if year is None:
            return None
        if not parts.get("day"):
            return f"{int(year):04d}-{month:02d}"
        try:
            return dt.date(int(year), month, int(parts["day"])).isoformat()
        except ValueError:
            return None
    return None


def _statement_day(date: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(date) if date and len(date) == 10 else None
    except ValueError:
        return None
