"""What came before the cramps: the days before a cramp against the days before none.

Pure: no Django. The caller hands in the span's days, the days with food logged, the
days cramps belong to and, per measure, a value per day; this module groups the days,
averages each side and tests the difference with a Mann-Whitney U test.

One person's diary shows associations, never causes: the texts say so.
"""

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# --- The thresholds, in one place so that they can be tuned ---------------------------
# Fewer cramps than this in the span: no comparison yet, only how many more it needs.
MIN_CRAMPS = 5
# Each side needs at least this many logged days with a value.
MIN_DAYS_PER_SIDE = 5
# A difference this unlikely by chance (two-sided) is called a pattern.
PATTERN_P_VALUE = 0.05
SPANS_DAYS = (30, 90, 365)
DEFAULT_SPAN_DAYS = 90

ASSOCIATION_NOT_DIAGNOSIS = (
    "This is an association in your own diary, not a diagnosis: something else may "
    "explain both. If cramps persist, get worse or come with weakness, see a health "
    "professional."
)


@dataclass(frozen=True)
class Measure:
    key: str  # stable: the API's and the table's names ("magnesium", "water", "workouts")
    name: str
    # How a value reads: "percent of target" for intakes, "of days" for workouts.
    unit: str
    # For intakes a pattern is "lower before cramps"; for workouts "more often".
    low_before_cramps_is_pattern: bool = True


def mann_whitney_p(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test, by the normal approximation with
    the tie correction and a continuity correction (good from about 5 values a side).

    Ranks all values together (ties share their average rank); U is how far the ranks
    of `a` sit from what chance would give them.
    """
    n1, n2 = len(a), len(b)
    if not n1 or not n2:
        return 1.0
    ordered = sorted([*a, *b])
    rank_of: dict[float, float] = {}
    ties = 0.0  # Σ (t³ − t) over groups of t equal values
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[start]:
            end += 1
        rank_of[ordered[start]] = (start + end) / 2 + 1  # ranks count from 1
        size = end - start + 1
        ties += size**3 - size
        start = end + 1
    u = sum(rank_of[value] for value in a) - n1 * (n1 + 1) / 2
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:  # every value the same: no difference to find
        return 1.0
    z = max(abs(u - n1 * n2 / 2) - 0.5, 0) / math.sqrt(variance)
    return min(1.0, math.erfc(z / math.sqrt(2)))


def chance_text(p_value: float) -> str:
    """ "about 1 time in 50", for a person rather than a statistician."""
    if p_value < 0.001:
        return "less than 1 time in 1,000"
    times = round(1 / p_value)
    if times <= 2:
        return "easily (about every other time)"
    return f"about 1 time in {times:,}"


@dataclass(frozen=True)
class Comparison:
    measure: Measure
    before_cramp: tuple[float, ...]  # one value per logged day before a cramp
    no_cramp: tuple[float, ...]  # one per logged day with no cramp on it or the next day
    cramps: int
    p_value: float | None  # None: too little to compare yet
    cramps_needed: int
    days_needed: int  # more logged days on the side that has fewest

    @property
    def before_average(self) -> int | None:
        return average(self.before_cramp)

    @property
    def no_cramp_average(self) -> int | None:
        return average(self.no_cramp)

    @property
    def is_pattern(self) -> bool:
        if self.p_value is None or self.p_value >= PATTERN_P_VALUE:
            return False
        lower_before = (self.before_average or 0) < (self.no_cramp_average or 0)
        return lower_before == self.measure.low_before_cramps_is_pattern

    @property
    def text(self) -> str:
        if self.cramps_needed:
            more = self.cramps_needed
            return (
                f"Needs {more} more cramp{'s' if more != 1 else ''} logged before it can "
                f"compare (at least {MIN_CRAMPS} in the span)."
            )
        if self.days_needed:
            return (
                f"Needs {self.days_needed} more day{'s' if self.days_needed != 1 else ''} "
                f"with food logged on each side (at least {MIN_DAYS_PER_SIDE})."
            )
        name = self.measure.name
        before, after = len(self.before_cramp), len(self.no_cramp)
        if self.measure.low_before_cramps_is_pattern:
            said = (
                f"On the {before} days before a cramp, {name.lower()} averaged "
                f"{self.before_average}% of target; on the {after} days before no cramp, "
                f"{self.no_cramp_average}%."
            )
        else:
            said = (
                f"{self.before_average}% of the {before} days before a cramp were "
                f"{name.lower()}; of the {after} days before no cramp, {self.no_cramp_average}%."
            )
        assert self.p_value is not None
        chance = f"A gap this large would come by chance {chance_text(self.p_value)}."
        if self.is_pattern:
            return f"{said} {chance}"
        return f"{said} {chance} No pattern to speak of."


def average(values: Sequence[float]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def split_days(
    days: Sequence[date], logged: Collection[date], cramp_days: Collection[date]
) -> tuple[list[date], list[date]]:
    """The logged days of the span before a cramp (the day a cramp belongs to, and the
    day before it) and those before none (no cramp on the day or the next). The span's
    last day has no known next day: it counts only when a cramp belongs to it."""
    before, none = [], []
    last = days[-1] if days else None
    for day in days:
        if day not in logged:
            continue
        next_day = day + timedelta(days=1)
        if day in cramp_days or next_day in cramp_days:
            before.append(day)
        elif day != last:
            none.append(day)
    return before, none


def compare(
    measure: Measure,
    days: Sequence[date],
    logged: Collection[date],
    cramp_days: Collection[date],
    cramps: int,
    values: Mapping[date, float | None],
) -> Comparison:
    """One measure's comparison over the span; `cramps` counts the episodes."""
    before_days, none_days = split_days(days, logged, cramp_days)
    before = tuple(v for d in before_days if (v := values.get(d)) is not None)
    none = tuple(v for d in none_days if (v := values.get(d)) is not None)
    cramps_needed = max(MIN_CRAMPS - cramps, 0)
    days_needed = max(MIN_DAYS_PER_SIDE - min(len(before), len(none)), 0)
    p_value = None
    if not cramps_needed and not days_needed:
        p_value = mann_whitney_p(list(before), list(none))
    return Comparison(measure, before, none, cramps, p_value, cramps_needed, days_needed)
