"""The rule that derives a claim-cluster member's relation from its value and scope (schema 2.0.0).

Pure functions over small records; the rule is documented in schema/GUIDELINES.md (section 2.1) and
declared in schema/schema.yaml (``relation_rule``):

1. a member whose scope differs from the cluster's reference scope in a stated (non-null) field is
   ``different_scope``;
2. a member of the reference scope whose value is incompatible with the value of another member of the
   reference scope is ``conflicting``; otherwise it is ``consistent``.

Compatibility: numbers of the same unit are ranges (``lower`` = [n, inf), ``upper`` = (-inf, n]) and are
compatible when the gap between the ranges is zero, or at most ``tolerance`` times the larger magnitude if
either is approximate or a round number; numbers of different units are not compared; dates are ranges at
their precision (widened by one unit if approximate, open-ended if a bound) and are compatible when they
overlap; categories when equal.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping, Union

CONSISTENT, CONFLICTING, DIFFERENT_SCOPE = "consistent", "conflicting", "different_scope"
BOUNDS = ("exact", "approximate", "lower", "upper")
DATE_SCOPE_FIELDS = ("since", "as_of")
SET_SCOPE_FIELDS = ("place",)


@dataclass(frozen=True)
class NumberValue:
    number: float
    unit: str
    bound: str = "exact"


@dataclass(frozen=True)
class DateValue:
    """A date range: the first and last day the stated date or interval covers."""
    first: date
    last: date
    bound: str = "exact"
    precision: str = "day"  # of the coarser end: "year", "month" or "day"


@dataclass(frozen=True)
class CategoryValue:
    category: str


Value = Union[NumberValue, DateValue, CategoryValue]


@dataclass(frozen=True)
class Member:
    key: str  # e.g. "doc_id/claim_id"
    value: Value
    scope: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Derivation:
    relation: str
    different_fields: tuple[str, ...] = ()  # scope fields that differ from the reference (different_scope)
    conflicts_with: tuple[str, ...] = ()  # keys of the members it conflicts with (conflicting)


# --------------------------------------------------------------------------------------------
# Parsing (from the JSON of an annotation file)
# --------------------------------------------------------------------------------------------

_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}


def iso_range(value: str) -> tuple[date, date, str]:
    """First and last day of an ISO 8601 year, month or day ("2023", "2023-06", "2023-06-30")."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31), "year"
    if len(parts) == 2:
        y, m = parts
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month"
    if len(parts) == 3:
        d = date(*parts)
        return d, d, "day"
    raise ValueError(f"{value!r} is not an ISO 8601 year, month or day")


def date_value(v: Mapping) -> DateValue:
    bound = v.get("bound", "exact")
    if v.get("date") is not None:
        first, last, precision = iso_range(v["date"])
    else:
        first, _, p1 = iso_range(v["start"])
        _, last, p2 = iso_range(v["end"])
        precision = min(p1, p2, key=_PRECISION_ORDER.__getitem__)
        if last < first:
            raise ValueError(f"interval {v['start']}/{v['end']} ends before it starts")
    return DateValue(first, last, bound, precision)


def value_from_json(v: Mapping) -> Value:
    """The record of a ``cluster_value`` object (``type`` count, amount, ordinal, date or category)."""
    kind = v["type"]
    if kind == "date":
        return date_value(v)
    if kind == "category":
        return CategoryValue(v["category"])
    return NumberValue(float(v["number"]), v["unit"], v.get("bound", "exact"))


# --------------------------------------------------------------------------------------------
# Compatibility
# --------------------------------------------------------------------------------------------


def is_round(n: float) -> bool:
    """A round number: at least 100 and a multiple of 100 (300, 13,000, 1,100 million)."""
    return abs(n) >= 100 and float(n).is_integer() and int(n) % 100 == 0


def _number_range(v: NumberValue) -> tuple[float, float]:
    if v.bound == "lower":
        return v.number, math.inf
    if v.bound == "upper":
        return -math.inf, v.number
    return v.number, v.number


def numbers_compatible(a: NumberValue, b: NumberValue, tolerance: float = 0.10,
                       round_numbers_are_approximate: bool = True) -> bool | None:
    """None when the units differ (not compared)."""
    if a.unit != b.unit:
        return None
    (alo, ahi), (blo, bhi) = _number_range(a), _number_range(b)
    gap = max(0.0, alo - bhi, blo - ahi)
    if gap == 0:
        return True
    loose = "approximate" in (a.bound, b.bound) or (
        round_numbers_are_approximate and (is_round(a.number) or is_round(b.number)))
    return loose and gap <= tolerance * max(abs(a.number), abs(b.number)) + 1e-9


def _widen(first: date, last: date, precision: str) -> tuple[date, date]:
    if precision == "year":
        return date(max(first.year - 1, 1), 1, 1), date(min(last.year + 1, 9999), 12, 31)
    if precision == "month":
        before = first.replace(day=1) - timedelta(days=1)
        y, m = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
        return before.replace(day=1), date(y, m, calendar.monthrange(y, m)[1])
    return first - timedelta(days=1), last + timedelta(days=1)


def _date_range(v: DateValue) -> tuple[date, date]:
    first, last = v.first, v.last
    if v.bound == "approximate":
        first, last = _widen(first, last, v.precision)
    elif v.bound == "lower":
        last = date.max
    elif v.bound == "upper":
        first = date.min
    return first, last


def dates_compatible(a: DateValue, b: DateValue) -> bool:
    (af, al), (bf, bl) = _date_range(a), _date_range(b)
    return af <= bl and bf <= al


def compatible(a: Value, b: Value, tolerance: float = 0.10, round_numbers_are_approximate: bool = True) -> bool | None:
    """Whether two values of the same cluster agree; None when the rule does not compare them."""
    if isinstance(a, NumberValue) and isinstance(b, NumberValue):
        return numbers_compatible(a, b, tolerance, round_numbers_are_approximate)
    if isinstance(a, DateValue) and isinstance(b, DateValue):
        return dates_compatible(a, b)
    if isinstance(a, CategoryValue) and isinstance(b, CategoryValue):
        return a.category == b.category
    raise TypeError(f"values of different types are never compared: {a!r} / {b!r}")


# --------------------------------------------------------------------------------------------
# Scope and derivation
# --------------------------------------------------------------------------------------------


def _same_field(name: str, reference: object, stated: object) -> bool:
    if name in DATE_SCOPE_FIELDS:
        rf, rl, _ = iso_range(str(reference))
        sf, sl, _ = iso_range(str(stated))
        return rf <= sl and sf <= rl
    if name in SET_SCOPE_FIELDS:
        return set(reference) == set(stated)  # type: ignore[arg-type]
    return reference == stated


def different_fields(reference: Mapping[str, object], scope: Mapping[str, object]) -> tuple[str, ...]:
    """The scope fields a member states (non-null) with a value other than the reference's."""
    return tuple(name for name, stated in scope.items()
                 if stated is not None and reference.get(name) is not None
                 and not _same_field(name, reference[name], stated))


def derive(reference_scope: Mapping[str, object], members: list[Member], tolerance: float = 0.10,
           round_numbers_are_approximate: bool = True) -> dict[str, Derivation]:
    """The derived relation of every member of one cluster, by key."""
    out: dict[str, Derivation] = {}
    in_reference = []
    for m in members:
        differs = different_fields(reference_scope, m.scope)
        if differs:
            out[m.key] = Derivation(DIFFERENT_SCOPE, different_fields=differs)
        else:
            in_reference.append(m)
    for m in in_reference:
        against = tuple(o.key for o in in_reference
                        if o.key != m.key and compatible(m.value, o.value, tolerance, round_numbers_are_approximate) is False)
        out[m.key] = Derivation(CONFLICTING, conflicts_with=against) if against else Derivation(CONSISTENT)
    return out
