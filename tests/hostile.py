"""Hostile input for the property-based tests: values a broken phone, a curious person or an attacker might send.

`CASES` counts the generated requests per endpoint; the root conftest prints the totals after the run.
"""

import os
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

CASES: Counter[str] = Counter()

settings.register_profile(
    "default",
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.load_profile("default")

# Markers that must never reach a page unescaped.
SCRIPT = '<script>alert("cd")</script>'
IMAGE = '"><img src=x onerror=alert(2)>'
RAW_MARKERS = (SCRIPT, IMAGE)
MEGABYTE = "x" * (1024 * 1024)

PAYLOADS = [
    SCRIPT,
    IMAGE,
    "javascript:alert(3)",
    "{{ request.user.password }}",
    "{% debug %}",
    "'; DROP TABLE tracker_crampepisode; --",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",  # right-to-left override
    "Z\u0335\u0321a\u0336l\u0337g\u0334o",  # stacked combining marks
    "\U0001f4a5" * 300,  # 300 emoji, 1200 bytes of UTF-8
    "\ufeff",
    "\r\n\r\n",
    "../../etc/passwd",
    "%s%s%n",
    "null",
    "None",
    "[]",
    " ",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "1e309",
    "1e-320",
    "9" * 400,
    "-" + "9" * 30,
    "0x10",
    "1_000",
    "\u0661\u0662",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "3,5",
    "2147483648",
    "9223372036854775808",
]
DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "1969-12-31T23:59",
    "2026-03-29T01:30",  # does not exist in London: the clocks jump from 01:00 to 02:00
    "2026-10-25T01:30",  # happens twice in London
    "2099-01-01T00:00",
    "2026-01-01T25:61",
    "2026-01-01T00:00:00+99:00",
    "1999-12-31T23:59:59-23:59",
    "-2026-01-01",
    "2026-W05",
    "today",
]
ZONES = ["Mars/Olympus_Mons", "../../etc/localtime", "UTC\x00", "Etc/GMT+14", "Factory", "localtime", "utc"]

hostile_text = st.one_of(st.text(max_size=60), st.sampled_from([*PAYLOADS, MEGABYTE]))
hostile_number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(NUMBERS),
)
hostile_date = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(DATES),
)
hostile_uuid = st.one_of(
    st.uuids().map(str),
    st.sampled_from(["", "0", "00000000-0000-0000-0000-000000000000", "not-a-uuid", "{" + "f" * 32 + "}"]),
    hostile_text,
)
# Any one form value: a hostile string of any sort.
hostile = st.one_of(hostile_text, hostile_number, hostile_date, st.sampled_from(ZONES))


def field(*valid) -> st.SearchStrategy:
    """A form field: one of the valid values, a hostile value, a list of values (a repeated field) or absent."""
    good = st.sampled_from(valid) if valid else st.nothing()
    return st.one_of(good, hostile, st.lists(st.one_of(good, hostile), max_size=3), st.just(None))


def form(**fields) -> st.SearchStrategy[dict]:
    """A whole form's data; fields drawn as None are left out, as a tampered or truncated form would."""
    return st.fixed_dictionaries(fields).map(lambda data: {k: v for k, v in data.items() if v is not None})


# JSON values of any shape, for the import: scalars of every type, nested lists and objects.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),  # NaN and Infinity too: Python's json reads them
    hostile_text,
    hostile_date,
    hostile_number,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
