import pytest

from model.calendar import DEFAULT_MONTHS, date_to_month, month_to_date, recorded_prison_density


def test_default_horizon_is_january_2014_to_december_2030():
    assert month_to_date(0) == "2014-01" and month_to_date(DEFAULT_MONTHS - 1) == "2030-12"
    assert date_to_month("2021-07") == 90 and month_to_date(date_to_month("2022-06")) == "2022-06"


@pytest.mark.parametrize("bad", ["2021-13", "2021/07", "21-07", "2021-7x"])
def test_malformed_dates_are_rejected(bad):
    with pytest.raises(ValueError):
        date_to_month(bad)


def test_density_follows_the_record_and_holds_the_last_value():
    d = recorded_prison_density(DEFAULT_MONTHS)
    assert d[date_to_month("2015-06")] == pytest.approx(1.27)  # prison_density_2015
    assert d[date_to_month("2023-03")] == pytest.approx(1.15)  # prison_density_2023
    assert d[date_to_month("2024-03")] == pytest.approx(1.146)  # overcrowding_2024
    assert d[date_to_month("2030-12")] == d[date_to_month("2025-01")] == pytest.approx(13613 / 10743, abs=1e-3)
