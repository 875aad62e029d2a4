"""The business date the suite lives on: a fixed day, never the calendar's.

The app under test is set to it (`make_config`), the factories date their rows from it, and a
test that needs another day moves the app with the `business_date` fixture. Only
tests/test_clock.py reads the real clock, because the real clock is what it tests.
"""

from datetime import date

TODAY = date(2026, 11, 2)
