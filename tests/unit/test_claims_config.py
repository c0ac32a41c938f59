"""config.toml [claims]: defaults, money as strings, dated rates, errors naming the key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sendtui.config import load_config
from sendtui.errors import ConfigError
from sendtui.paths import REPO_DIR
from sendtui.services.claims.rules import ClaimRules


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_hmrc_and_carers_allowance() -> None:
    rules = ClaimRules(load_config(None).claims)
    rates = rules.mileage_rates(dt.date(2025, 7, 8))
    assert (rates.car_first, rates.car_after, rates.car_threshold_miles) == (45, 25, 10_000)
    assert (rates.motorcycle, rates.bicycle, rates.passenger) == (24, 20, 5)
    assert rules.earnings_limit(dt.date(2026, 4, 5)) == 19_600
    assert rules.earnings_limit(dt.date(2026, 4, 6)) == 20_400
    assert rules.allow_self_approval is False
    assert rules.retention_years == 6 and rules.year_start == (4, 1)
    assert [c.name for c in rules.categories][:3] == ["Public transport", "Taxi", "Parking"]
    assert rules.category("remuneration").kind == "remuneration"


def test_dated_rates_and_grades_from_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[claims]
treasurer = "Pat  Treasurer"
receipt_required_over = "£25"
[[claims.grades]]
name = "Adviser"
[[claims.grades.rates]]
starts = 2025-04-06
per_hour = "18"
[[claims.grades.rates]]
starts = 2026-04-06
per_hour = "19.50"
per_session = "50"
[[claims.care_caps]]
starts = "2025-04-06"
per_hour = "14.00"
""",
    )
    rules = ClaimRules(load_config(path).claims)
    assert rules.acting_name == "Pat Treasurer"
    assert rules.receipt_over_pence == 2500
    assert rules.grade_rates("adviser", dt.date(2026, 4, 5)).per_hour == 1800
    later = rules.grade_rates("Adviser", dt.date(2026, 4, 6))
    assert (later.per_hour, later.per_session) == (1950, 5000)
    assert rules.care_cap(dt.date(2025, 4, 5)) is None
    assert rules.care_cap(dt.date(2025, 4, 6)) == 1400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[claims]\nreceipt_required_over = "12,50"\n',
            "claims: receipt_required_over: Use a full stop",
        ),
        ("[claims]\nreceipt_required_over = 12.5\n", "expected str"),
        ('[claims]\nfinancial_year_start = "13-01"\n', "not a day"),
        ("[claims]\nretention_years = -1\n", "claims.retention_years"),
        ("[claims]\nflag_older_than = 3\n", "unknown key"),
        ('[[claims.categories]]\nname = "Bus"\nkind = "walk"\n', "kind of 'Bus' must be one of"),
        (
            '[[claims.categories]]\nname = "Bus"\n[[claims.categories]]\nname = "bus"\n',
            "two categories are called",
        ),
        ('[[claims.grades]]\nname = "A"\n', "needs at least one"),
        (
            '[[claims.grades]]\nname = "A"\n[[claims.grades.rates]]\nstarts = 2025-01-01\n',
            "give per_hour, per_session or both",
        ),
        ('[[claims.mileage]]\nstarts = 2025-01-01\ncar_first = "-0.45"\n', "car_first"),
        ('[[claims.earnings_limits]]\nstarts = 2025-01-01\nweekly = "abc"\n', "weekly"),
    ],
)
def test_bad_values_name_the_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in caught.value.message
    assert expected in caught.value.message


def test_the_shipped_example_section_is_valid() -> None:
    """config.toml's commented [claims] example, uncommented, loads and matches the defaults."""
    import tomllib

    import msgspec

    from sendtui.config.claims import ClaimsSection

    text = (REPO_DIR / "config.toml").read_text(encoding="utf-8")
    section = text[text.index("[claims]") :]
    lines = [re.sub(r"^# ?", "", line) for line in section.splitlines()]
    toml = "\n".join(line for line in lines if re.match(r"^(\[|[a-z_]+ =)", line))
    example = msgspec.convert(tomllib.loads(toml)["claims"], ClaimsSection)
    default = ClaimsSection()
    assert example.mileage == default.mileage
    assert example.earnings_limits == default.earnings_limits
    assert example.care_caps == default.care_caps
    assert example.payment_methods == default.payment_methods
    assert example.grades[0] == default.grades[1]
    first, shipped = example.categories[0], default.categories[0]
    assert (first.name, first.kind) == (shipped.name, shipped.kind)
    assert set(first.aliases) <= set(shipped.aliases)  # config.toml may show some of them
