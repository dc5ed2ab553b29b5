"""Scenario files: a parent, the parameters that differ from it, and dated phases.

A scenario is a TOML file. Every error names the file, the field path and what is
allowed, in one line, so a hand-written file can be fixed without reading code.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from .calendar import DEFAULT_MONTHS, date_to_month, month_to_date
from .constants import CHAIN_SHOWN, MAX_PARENTS, NAME_DIGEST_CHARS
from .files import name_problem, read_input
from .parameters import REGISTRY, ParameterError, check, control_character, resolve, show, suggest
from .timeline import Phase, Timeline

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"  # resolved: compared with resolved paths
ROOT = "baseline"

# The brief's recommendations (policy level I, institutional II, individual and family III, overarching IV).
RECOMMENDATIONS: dict[str, str] = {
    "I.1": "From ad-hoc security measures to a coherent reintegration policy",
    "I.2": "National consistency between prisons",
    "I.3": "Protect legal certainty and citizenship rights",
    "I.4": "Recognise reintegration as long-term security policy",
    "II.1": "Strengthen cooperation between actors",
    "II.2": "Relational and long-term support",
    "II.3": "Invest in staff and organisational capacity",
    "II.4": "Improve communication between institutional levels",
    "II.5": "Balance security and rehabilitation in evaluations",
    "II.6": "Train professionals through Living Labs",
    "III.1": "Tailored reintegration (housing, work, administrative regularisation)",
    "III.2": "Trauma-sensitive approaches",
    "III.3": "Family-centred methods",
    "III.4": "Trust, motivation and meaning",
    "IV.1": "Tackle structural and administrative barriers",
    "IV.2": "Counter stigma and media-driven narratives",
    "IV.3": "Proportionality and a rights-based approach",
    "IV.4": "Institutionalise the SRA and the Living Lab model",
    "IV.5": "Set up permanent Living Labs",
}

STRUCTURAL_GROUPS = ("population",)
_TOP_KEYS = {"title": str, "description": str, "recommendations": list, "parent": str, "phases_from": str,
             "parameters": dict, "phases": list}
_PHASE_KEYS = {"start": str, "end": str, "parameters": dict, "changes": dict}


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message is one line naming file and field."""


class ChainError(ScenarioError):
    """Parents in a circle or a chain too long: the message already names the chain."""


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: base values for the whole horizon plus dated phases, later phases winning.

    Every change to a scenario goes through three operations, used alike by parent files,
    ``--set``, experiment designs and the dashboard (README, "Scenarios"; ODD section 6):
    ``with_values`` (a value for the whole horizon), ``with_phase`` (a value from a date) and
    ``shifted`` (the same dated measures at another date).
    """

    name: str
    title: str
    description: str
    recommendations: tuple[str, ...]
    parent: str | None
    path: Path | None
    base: Mapping[str, Any]
    phases: tuple[Phase, ...] = ()

    def timeline(self) -> Timeline:
        return Timeline(self.base, self.phases)

    def with_values(self, values: Mapping[str, Any], where: str = "") -> "Scenario":
        """These values over the whole horizon: replaced in the base and in every phase that sets them.

        Every other value, and every phase's other settings, stay as they were.
        """
        if not values:
            return self
        checked = check(values, where)
        phases = tuple(replace(ph, values={k: checked.get(k, v) for k, v in ph.values.items()}) for ph in self.phases)
        return replace(self, base={**self.base, **checked}, phases=phases)

    def with_phase(self, start: int, values: Mapping[str, Any], end: int | None = None, where: str = "",
                   changes: Mapping[str, float] | None = None) -> "Scenario":
        """These values (and changes to an uncertain status quo) from month ``start`` (to ``end``, inclusive),
        winning over earlier phases where they overlap."""
        checked = check(values, where)
        fixed = sorted(name for name in checked if REGISTRY[name].group in STRUCTURAL_GROUPS)
        if fixed:
            prefix = f"{where}: " if where else ""
            raise ParameterError(f"{prefix}{fixed[0]}: a population parameter cannot change over time")
        return replace(self, phases=(*self.phases, Phase(start, end, checked, dict(changes or {}))))

    def shifted(self, start: int) -> "Scenario":
        """The same dated phases, moved together so that the first begins in month ``start``."""
        if not self.phases:
            return self
        offset = start - min(ph.start for ph in self.phases)
        return replace(self, phases=tuple(
            replace(ph, start=ph.start + offset, end=None if ph.end is None else ph.end + offset) for ph in self.phases))

    def first_phase(self) -> int | None:
        """The month the earliest dated phase starts (None without phases)."""
        return min((ph.start for ph in self.phases), default=None)

    def describe(self) -> dict[str, Any]:
        """A JSON-ready record of the scenario (for run.json and reports)."""
        return {
            "name": self.name, "file": None if self.path is None else str(self.path), "title": self.title,
            "description": self.description,
            "recommendations": list(self.recommendations), "parent": self.parent,
            "parameters": dict(self.base), "phases": [ph.describe() for ph in self.phases],
        }


def first_difference(a: Scenario, b: Scenario, months: int) -> int | None:
    """The first of ``months`` months in which the two scenarios' parameter values differ (None if never)."""
    ta, tb = a.timeline(), b.timeline()
    starts = {0} | {ph.start for ph in (*a.phases, *b.phases)} | {ph.end + 1 for ph in (*a.phases, *b.phases) if ph.end is not None}
    for month in sorted(m for m in starts if 0 <= m < months):  # values change only where a phase starts or ends
        if ta.values_at(month) != tb.values_at(month):
            return month
    return None


def catalogue() -> list[str]:
    """Names of the scenarios shipped in ``scenarios/``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def locate(ref: str) -> Path:
    """The file a scenario name or path refers to (ScenarioError if none)."""
    if not isinstance(ref, str) or not ref or control_character(ref):
        raise ScenarioError(f"{show(ref)}: not a scenario name or file (expected a name such as 'baseline' or a path to a .toml file)")
    problem = name_problem(ref)
    if problem:
        raise ScenarioError(f"{ref}: {problem}")
    path = Path(ref)
    try:
        if path.suffix == ".toml" or len(path.parts) > 1:
            if not path.exists():  # a folder, FIFO or device exists: read_input names what it is
                raise ScenarioError(f"{ref}: no such scenario file")
            return path
        candidate = SCENARIO_DIR / f"{ref}.toml"
        found = candidate.is_file()
    except OSError as exc:  # a name too long for the file system, say
        raise ScenarioError(f"{show(ref)}: not a usable scenario name or file ({exc.strerror})") from None
    if not found:
        names = catalogue()
        raise ScenarioError(f"unknown scenario {show(ref)}{suggest(ref, names)}; known: {', '.join(names)}")
    return candidate


def load(ref: str | Path) -> Scenario:
    """Load, validate and resolve a scenario by name or path."""
    return _load(locate(str(ref)), ())


def check_keys(data: Mapping[str, Any], allowed: Mapping[str, type | tuple[type, ...]], where: str,
               error: type[ValueError] = ScenarioError) -> None:
    """Unknown keys (with a 'did you mean') and wrong types, as one-line errors."""
    for key, value in data.items():
        if key not in allowed:
            raise error(f"{where}{key}: unknown key{suggest(key, allowed)}; allowed: {', '.join(allowed)}")
        kinds = allowed[key] if isinstance(allowed[key], tuple) else (allowed[key],)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise error(f"{where}{key}: expected {names}, got {type(value).__name__}")


def check_texts(data: Mapping[str, Any], where: str, error: type[ValueError] = ScenarioError) -> None:
    """A title and a description are plain text: no control character (escape sequences, bidirectional overrides)
    reaches a terminal or a page; a description may hold line breaks and tabs."""
    for key in ("title", "description"):
        found = control_character(data.get(key, ""), allowed="\n\t" if key == "description" else "")
        if found:
            raise error(f"{where}{key}: holds the control character {found}; a {key} is plain text"
                        + (" (line breaks and tabs allowed)" if key == "description" else " on one line"))


def parse_toml(path: Path, data: bytes, error: type[ValueError] = ScenarioError) -> dict[str, Any]:
    """The TOML in ``data`` read from ``path``, or a one-line error naming the file: not UTF-8, a BOM, not TOML, too
    deep."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}); save the file as UTF-8") from None
    if text.startswith("\ufeff"):  # editors on Windows write one; TOML readers then report line 1 as invalid
        raise error(f"{path}: starts with a byte-order mark (BOM, bytes EF BB BF); save the file as UTF-8 without a BOM")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise error(f"{path}: not usable: values nested too deeply (arrays or tables inside each other)") from None
    except ValueError:  # an integer literal longer than Python converts (sys.get_int_max_str_digits)
        raise error(f"{path}: not usable: a number has more digits than any parameter allows") from None


def _params(values: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Validated values a file sets: levers and constants only (an uncertainty is drawn, never set by a scenario)."""
    out = {}
    for name, value in values.items():
        if name not in REGISTRY:
            raise ScenarioError(f"{where}.{name}: unknown parameter{suggest(name, REGISTRY)}")
        if REGISTRY[name].role == "uncertainty":
            how = (f"change its status quo in [phases.changes] ({REGISTRY[name].change}: "
                   f"{'added to' if REGISTRY[name].change == 'shift' else 'multiplying'} the run's value)"
                   if REGISTRY[name].change else "it cannot be set by a scenario")
            raise ScenarioError(f"{where}.{name}: an uncertainty, drawn under --uncertainty prior, never set by a "
                                f"scenario; {how}")
        try:
            out[name] = REGISTRY[name].validate(value)
        except ParameterError:
            p = REGISTRY[name]
            raise ScenarioError(f"{where}.{name}: {show(value)} is not allowed; expected {p.allowed()} ({p.unit})") from None
    return out


def _changes(values: Mapping[str, Any], where: str) -> dict[str, float]:
    """Validated changes to uncertain status-quo values: a number each, added or multiplied (``Parameter.change``)."""
    out = {}
    for name, amount in values.items():
        if name not in REGISTRY:
            raise ScenarioError(f"{where}.{name}: unknown parameter{suggest(name, REGISTRY)}")
        p = REGISTRY[name]
        if p.change is None:
            changeable = ", ".join(n for n, q in REGISTRY.items() if q.change)
            raise ScenarioError(f"{where}.{name}: not an uncertain status quo a scenario can change; changeable: {changeable}")
        span = p.high - p.low
        allowed = (-span, span) if p.change == "shift" else (0.0, p.high / p.default)  # scaled: defaults > 0
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount != amount \
                or not allowed[0] <= amount <= allowed[1]:
            raise ScenarioError(f"{where}.{name}: {show(amount)} is not allowed; expected a {p.change} in "
                                f"[{allowed[0]:g}, {allowed[1]:g}] ({'added to' if p.change == 'shift' else 'multiplying'} "
                                f"the status quo, {p.unit})")
        out[name] = float(amount)
    return out


def _month(value: str, where: str) -> int:
    try:
        month = date_to_month(value)
    except ValueError:
        raise ScenarioError(f"{where}: {value!r} is not a date YYYY-MM") from None
    if month < 0:
        raise ScenarioError(f"{where}: {value!r} is before the model's start ({month_to_date(0)})")
    return month


def _phases(raw: list, where: str) -> tuple[Phase, ...]:
    phases = []
    for k, item in enumerate(raw):
        at = f"{where}phases[{k}]"
        if not isinstance(item, dict):
            raise ScenarioError(f"{at}: expected a table with start, end and parameters")
        check_keys(item, _PHASE_KEYS, at + ".")
        if "start" not in item:
            raise ScenarioError(f"{at}.start: missing; give a date YYYY-MM")
        start = _month(item["start"], f"{at}.start")
        end = _month(item["end"], f"{at}.end") if "end" in item else None
        if end is not None and end < start:
            raise ScenarioError(f"{at}.end: {item['end']} is before start {item['start']}")
        values = _params(item.get("parameters", {}), f"{at}.parameters")
        fixed = sorted(name for name in values if REGISTRY[name].group in STRUCTURAL_GROUPS)
        if fixed:
            raise ScenarioError(f"{at}.parameters.{fixed[0]}: a population parameter cannot change over time; set it in [parameters]")
        changes = _changes(item.get("changes", {}), f"{at}.changes")
        if not values and not changes:
            raise ScenarioError(f"{at}.parameters: a phase must set at least one parameter or change")
        phases.append(Phase(start, end, values, changes))
    for i, a in enumerate(phases):
        for j in range(i):
            b = phases[j]
            shared = (set(a.values) | set(a.changes)) & (set(b.values) | set(b.changes))
            overlap = (b.end is None or a.start <= b.end) and (a.end is None or b.start <= a.end)
            if shared and overlap:
                raise ScenarioError(
                    f"{where}phases[{i}]: overlaps phases[{j}] for {', '.join(sorted(shared))}; phases that set the same parameter must not overlap"
                )
    return tuple(phases)


def _load(path: Path, seen: tuple[Path, ...]) -> Scenario:
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(p.stem for p in (*seen, resolved))
        if len(seen) > CHAIN_SHOWN + CHAIN_SHOWN:
            hidden = len(seen) - CHAIN_SHOWN - 1
            chain = (" -> ".join(p.stem for p in seen[:CHAIN_SHOWN])
                     + f" -> ... ({hidden} more) -> {seen[-1].stem} -> {resolved.stem}")
        raise ChainError(f"{path}: parent: circular parents ({chain})")
    if len(seen) > MAX_PARENTS:
        chain = " -> ".join(p.stem for p in seen[:CHAIN_SHOWN]) + f" -> ... -> {resolved.stem}"
        raise ChainError(f"{seen[0]}: parent: more than {MAX_PARENTS} parents in a chain ({chain}); at most {MAX_PARENTS} allowed")
    raw = read_input(path, ScenarioError)
    data = parse_toml(path, raw)
    where = f"{path}: "
    check_keys(data, _TOP_KEYS, where)
    for key in ("title", "description"):
        if key not in data:
            raise ScenarioError(f"{where}{key}: missing")
    check_texts(data, where)
    recs = data.get("recommendations", [])
    for k, rec in enumerate(recs):
        if not isinstance(rec, str) or rec not in RECOMMENDATIONS:
            raise ScenarioError(f"{where}recommendations[{k}]: {show(rec)} is not a recommendation of the brief; allowed: {', '.join(RECOMMENDATIONS)}")
    own = _params(data.get("parameters", {}), f"{where}parameters")
    phases = _phases(data.get("phases", []), where)

    in_catalogue = resolved.parent == SCENARIO_DIR
    parent_name = data.get("parent", None if path.stem == ROOT and in_catalogue else ROOT)
    if parent_name is None:
        if "phases_from" in data:
            raise ScenarioError(f"{where}phases_from: needs a parent whose phases it moves")
        scenario = from_parameters(own)
    else:
        parent_path = _parent_path(path, parent_name, where) if "parent" in data else SCENARIO_DIR / f"{ROOT}.toml"
        try:
            parent = _load(parent_path, (*seen, resolved))
        except ChainError:
            raise
        except ScenarioError as exc:
            if seen:  # the child at the top names the field; files in between are left out, so the line stays short
                raise
            raise ScenarioError(f"{where}parent {parent_name!r}: {exc}") from None
        scenario = parent.with_values(own)
        if "phases_from" in data:
            if not parent.phases:
                raise ScenarioError(f"{where}phases_from: the parent {parent_name!r} has no dated phases to move")
            scenario = scenario.shifted(_month(data["phases_from"], f"{where}phases_from"))
    for ph in phases:
        scenario = scenario.with_phase(ph.start, ph.values, ph.end, changes=ph.changes)
    name = path.stem
    if not in_catalogue and name in catalogue():  # never shown as the catalogue's own
        name = f"{name}@{hashlib.sha256(raw).hexdigest()[:NAME_DIGEST_CHARS]}"
    return replace(scenario, name=name, title=data["title"], description=data["description"].strip(),
                   recommendations=tuple(recs), parent=parent_name, path=path)


def _parent_path(child: Path, name: str, where: str) -> Path:
    """The file a child's ``parent`` names: a file in the child's folder (with or without ``.toml``; a relative path
    is taken from that folder too), else a catalogue scenario."""
    if not isinstance(name, str) or not name or control_character(name):
        raise ScenarioError(f"{where}parent: {show(name)} is not a scenario name or file")
    beside = child.parent / (name if name.endswith(".toml") else f"{name}.toml")
    exact = child.parent / name  # a path given in full ("../shared/base", "/dev/null"), checked after beside
    try:
        for candidate in (beside, *([exact] if len(Path(name).parts) > 1 else [])):
            if candidate.exists():  # a folder or a FIFO there is named by read_input
                return candidate
    except OSError as exc:
        raise ScenarioError(f"{where}parent: {show(name)} is not a usable file name ({exc.strerror})") from None
    if name.endswith(".toml") or len(Path(name).parts) > 1:
        raise ScenarioError(f"{where}parent: {show(name)}: no such file {beside}")
    names = catalogue()
    if name not in names:
        raise ScenarioError(f"{where}parent: unknown scenario {show(name)}{suggest(name, names)}: no {beside.name} in "
                            f"{child.parent} and none in the catalogue ({', '.join(names)})")
    return SCENARIO_DIR / f"{name}.toml"


def from_parameters(values: Mapping[str, Any] | None = None, name: str = "custom") -> Scenario:
    """A scenario made in code (dashboards, sweeps): defaults plus validated values."""
    return Scenario(name=name, title=name, description="", recommendations=(), parent=None, path=None,
                    base=resolve(values or {}))


__all__ = ["Scenario", "ScenarioError", "load", "catalogue", "from_parameters", "first_difference", "RECOMMENDATIONS",
           "DEFAULT_MONTHS"]
