"""The workshop's policy levers: which registry parameters, how they are shown, and their bounds.

Bounds and kinds come from ``model.parameters.REGISTRY``; baseline values from the
baseline scenario. A value from the browser is validated by the registry before any run
(``Lever.from_browser``): a switch takes only true or false, a slider only a finite number
of a sane size (a crafted message can send text, NaN, infinity or a 400-digit integer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from model import api
from model.api import REGISTRY, Parameter, ParameterError


LARGEST_SENT = 2**53  # larger integers from the browser are refused before any arithmetic (floats hold them inexactly)


def sent_number(value: Any) -> int | float | None:
    """A number as a browser may send it, if it is finite and of a sane size (not a bool); else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int):
        return value if abs(value) <= LARGEST_SENT else None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Lever:
    """One workshop control over one registry parameter."""

    name: str
    step: float
    percent: bool = False  # a share shown as 0-100 %
    # acts on people in prison or at release: by 2026 most returnees have left prison, so its effect shows in the
    # 'since 2016' view (tests/dashboards/test_compute.py checks each lever moves a card under its start)
    since_2016: bool = False

    @property
    def parameter(self) -> Parameter:
        return REGISTRY[self.name]

    @property
    def label(self) -> str:
        return f"lever.{self.name}"

    def shown(self, value: float) -> float:
        """Model value -> slider value."""
        return round(value * 100, 6) if self.percent else value

    def model_value(self, shown: float) -> Any:
        """Slider value -> model value, validated (ParameterError when out of the registry's range or not a number)."""
        number = sent_number(shown)
        if number is None:
            raise ParameterError(f"{self.name} = {shown!r:.40} is not allowed; expected {self.parameter.allowed()}")
        return self.parameter.validate(number / 100 if self.percent else number)

    def from_browser(self, sent: Any) -> Any:
        """A control's value as the browser sent it -> the model value, validated by the registry (ParameterError)."""
        return self.parameter.validate(sent) if self.parameter.kind == "bool" else self.model_value(sent)

    def bounds(self) -> tuple[float, float]:
        p = self.parameter
        return self.shown(p.low), self.shown(p.high)


LEVERS: tuple[Lever, ...] = (
    Lever("prison_density_scale", 0.05),
    Lever("prison_staff_fill", 1.0, percent=True, since_2016=True),
    Lever("service_staffing", 5.0, percent=True),
    Lever("coordination_per_year", 1.0, since_2016=True),
    Lever("living_lab", 1.0),
    Lever("ll_outreach", 5.0, percent=True),
    Lever("family_contact", 5.0, percent=True),
    Lever("nationality_withdrawal_rate", 1.0, percent=True),
    Lever("post_release_support_months", 6.0),
    Lever("trauma_sensitive", 10.0, percent=True),
)
BY_NAME: Mapping[str, Lever] = {lever.name: lever for lever in LEVERS}


def baseline() -> dict[str, Any]:
    """The baseline scenario's value of every lever."""
    base = api.scenario_with("baseline").base
    return {lever.name: base[lever.name] for lever in LEVERS}


def overrides(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that differ from the baseline, each validated by the registry."""
    unknown = sorted(set(settings) - set(BY_NAME))
    if unknown:
        raise ParameterError(f"{unknown[0]}: not a workshop lever; allowed: {', '.join(BY_NAME)}")
    base = baseline()
    return {name: REGISTRY[name].validate(value) for name, value in settings.items() if value != base[name]}
