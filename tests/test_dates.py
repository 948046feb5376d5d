"""Written dates → ISO 8601 with the statement's year (kg/dates.py): no model needed."""
from __future__ import annotations

import pytest

from kg.dates import iso_date

ROWS = [
    ("month day takes the statement's year", "June 30", "2016-07-01", "2016-06-30"),
    ("day month year", "30 June 2022", "2016-07-01", "2022-06-30"),
    ("month day, year", "June 30, 2016", None, "2016-06-30"),
    ("ordinal day", "the 3rd of May", "2031-05-09", "2031-05-03"),
    ("month and year only", "November 2016", None, "2016-11"),
    ("today is the statement's date", "today", "2022-12-04", "2022-12-04"),
    ("yesterday is the day before", "Yesterday", "2023-03-01", "2023-02-28"),
    ("no year known: left as written", "June 30", None, None),
    ("relative without a statement date", "today", "2022", None),
    ("an impossible day", "February 30", "2021-01-01", None),
    ("not a date", "the 7th", "2023-10-08", None),
    ("a bare year stays as written", "2029", "2030-01-01", None),
]


@pytest.mark.parametrize("text, statement, expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_iso_date(text, statement, expected):
    assert iso_date(text, statement) == expected
