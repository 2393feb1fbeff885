"""What came before the cramps: the days before a cramp against the other days.

Pure: no Django. The caller hands in the span's days, today, the days with food logged,
the cramps (their diary day and whether they came in the night) and, per measure, a value
per day; this module groups the days, tests each measure's difference (Mann–Whitney U for
amounts, Fisher's exact test for yes/no days), adjusts the p-values for the number of
measures compared (Holm) and says what that means in words.

One person's diary shows associations, never causes: the texts say so.
"""

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# --- The thresholds, in one place so that they can be tuned ---------------------------
# Distinct days each side needs before a comparison: days before a cramp, other days.
MIN_DAYS_PER_SIDE = 5
# An adjusted p-value (two-sided) below this is called a pattern.
PATTERN_P_VALUE = 0.05
# Below this many days on a side, only a large difference can show: the page says so.
SMALL_SAMPLE_DAYS = 20
SPANS_DAYS = (30, 90, 365)
DEFAULT_SPAN_DAYS = 90

MANN_WHITNEY = "Mann–Whitney U test"
FISHER = "Fisher’s exact test"
HOLM = "Holm"

ASSOCIATION_NOT_DIAGNOSIS = (
    "This is an association in your own diary, not a diagnosis: something else may "
    "explain both. If cramps persist, get worse or come with weakness, see a health "
    "professional."
)


@dataclass(frozen=True)
class Measure:
    key: str  # stable: the API's and the table's names ("magnesium", "water", "workouts")
    name: str
    # How a value reads: "percent of target" for intakes, "percent of days" for yes/no.
    unit: str
    # A yes/no measure has 100 (yes) or 0 (no) per day, and Fisher's exact test.
    yes_no: bool = False
    # For a yes/no measure, what a "yes" day is, in words: "intense-workout days".
    yes_days: str = ""

    @property
    def test(self) -> str:
        return FISHER if self.yes_no else MANN_WHITNEY


# --- The tests --------------------------------------------------------------------------


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


# Tables this close to the observed one's probability count as "as likely" (floating
# point), as scipy's fisher_exact allows.
FISHER_RELATIVE_TOLERANCE = 1e-7


def fisher_exact_p(yes_a: int, no_a: int, yes_b: int, no_b: int) -> float:
    """Two-sided p-value of Fisher's exact test on the 2×2 table [[yes_a, no_a], [yes_b,
    no_b]]: the sum of the probabilities of every table with the same margins that is at
    most as likely as the observed one (as scipy.stats.fisher_exact)."""
    row_a = yes_a + no_a
    yes = yes_a + yes_b
    total = row_a + yes_b + no_b
    if not row_a or row_a == total or not yes or yes == total:
        return 1.0  # a side or a column is empty: every table is the observed one
    whole = math.comb(total, row_a)

    def probability(x: int) -> float:  # x of the yes days fall in row a
        return math.comb(yes, x) * math.comb(total - yes, row_a - x) / whole

    observed = probability(yes_a)
    lowest, highest = max(0, row_a - (total - yes)), min(row_a, yes)
    p = sum(
        chance
        for x in range(lowest, highest + 1)
        if (chance := probability(x)) <= observed * (1 + FISHER_RELATIVE_TOLERANCE)
    )
    return min(1.0, p)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment: the smallest p times m, the next times m − 1…, each
    at least the one before it and at most 1. In the order given."""
    m = len(p_values)
    adjusted = [1.0] * m
    running = 0.0
    for rank, index in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def p_text(p_value: float) -> str:
    """ "p = 0.063", "p < 0.001": two significant figures."""
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.2g}"


def chance_text(p_value: float) -> str:
    """ "about 1 time in 50", for a person rather than a statistician."""
    if p_value < 0.001:
        return "less than 1 time in 1,000"
    if p_value >= 0.5:
        return "more often than not"
    return f"about 1 time in {round(1 / p_value):,}"


# --- The window and the groups ----------------------------------------------------------


@dataclass(frozen=True)
class CrampMark:
    """What the grouping needs of a cramp."""

    day: date  # the diary day it belongs to (a night cramp: the evening before)
    at_night: bool  # in the night (before 06:00, or noted asleep or resting at night)

    @property
    def day_before(self) -> date:
        """The last whole day whose eating ended before the cramp: the evening before a
        night cramp, which is its diary day; the calendar day before a daytime cramp,
        whose own day's food may come after it."""
        return self.day if self.at_night else self.day - timedelta(days=1)


@dataclass(frozen=True)
class Groups:
    """The span's whole days (today, unfinished, in neither group) split in two."""

    before: tuple[date, ...]  # days before a cramp with food logged
    other: tuple[date, ...]  # days with food logged, neither a cramp's day nor before one
    cramps: int
    cramp_days: int  # distinct days before a cramp in the span, logged or not
    unlogged_before: tuple[date, ...]  # days before a cramp with no food logged
    unlogged_other: int  # days that would be "other" with food logged

    @property
    def cramp_days_needed(self) -> int:
        """More days with a cramp: 6 cramps on 2 nights are 2 days, not 6."""
        return max(MIN_DAYS_PER_SIDE - self.cramp_days, 0)

    @property
    def before_logged_needed(self) -> int:
        """Days before a cramp still to log food on (only those that exist)."""
        short = max(MIN_DAYS_PER_SIDE - len(self.before), 0)
        return min(short, len(self.unlogged_before))

    @property
    def other_logged_needed(self) -> int:
        short = max(MIN_DAYS_PER_SIDE - len(self.other), 0)
        return min(short, self.unlogged_other)

    @property
    def logged_days_needed(self) -> int:
        """Days to log food on that would make the comparison possible: only days that
        exist in the span, so that logging can fix it."""
        return self.before_logged_needed + self.other_logged_needed

    @property
    def too_few_other_days(self) -> bool:
        """Cramps on or after nearly every day: no logging can give 5 other days."""
        return len(self.other) + self.unlogged_other < MIN_DAYS_PER_SIDE

    @property
    def small_sample_text(self) -> str:
        """ "With 6 days before a cramp, only a large difference would show." """
        fewest = min(len(self.before), len(self.other))
        if not self.ready or fewest >= SMALL_SAMPLE_DAYS:
            return ""
        side = "days before a cramp" if len(self.before) == fewest else "other days"
        return f"With {fewest} {side}, only a large difference would show."

    @property
    def ready(self) -> bool:
        return len(self.before) >= MIN_DAYS_PER_SIDE and len(self.other) >= MIN_DAYS_PER_SIDE

    @property
    def needs_text(self) -> str:
        """What is short, in words, and only what logging can fix; "" when ready."""
        if self.ready:
            return ""
        parts = []
        if self.cramp_days_needed:
            more = self.cramp_days_needed
            # Tonight's cramp gives no whole day yet: the words count days, not cramps.
            so_far = (
                f"the {self.cramps} cramp{plural(self.cramps)} so far "
                f"give{'s' if self.cramps == 1 else ''} {self.cramp_days or 'none'}"
                if self.cramps
                else "no cramp is logged yet"
            )
            parts.append(
                f"Needs cramps on {more} more day{plural(more)} before it can compare: it "
                f"compares days, not cramps, and needs at least {MIN_DAYS_PER_SIDE} whole days "
                f"before a cramp; {so_far}."
            )
        if self.logged_days_needed:
            sides = []
            if self.before_logged_needed:
                named = ", ".join(f"{day:%-d %b}" for day in self.unlogged_before[:3])
                sides.append(
                    f"{self.before_logged_needed} of the days before a cramp "
                    f"(nothing logged on {named}"
                    f"{'…' if len(self.unlogged_before) > 3 else ''})"
                )
            if self.other_logged_needed:
                more = self.other_logged_needed
                sides.append(f"{more} other day{plural(more)}")
            parts.append(
                f"Needs food logged on {self.logged_days_needed} more "
                f"day{plural(self.logged_days_needed)}: {' and '.join(sides)}."
            )
        if self.too_few_other_days:
            parts.append(
                f"Nearly every day of the span is a cramp’s day or the day before one, so "
                f"fewer than {MIN_DAYS_PER_SIDE} other days are left to compare with; a "
                "longer span may have them."
            )
        return " ".join(parts)


def plural(count: int) -> str:
    return "" if count == 1 else "s"


def group_days(
    days: Sequence[date], today: date, logged: Collection[date], cramps: Sequence[CrampMark]
) -> Groups:
    """The span's whole days before a cramp and the other days with food logged.

    Today is unfinished: it is in neither group. A cramp's own diary day is never an
    "other" day. Counts are of distinct days."""
    whole = [day for day in days if day < today]
    whole_set = set(whole)
    befores = {cramp.day_before for cramp in cramps} & whole_set
    cramp_days = {cramp.day for cramp in cramps}
    candidates = [day for day in whole if day not in befores and day not in cramp_days]
    return Groups(
        before=tuple(day for day in whole if day in befores and day in logged),
        other=tuple(day for day in candidates if day in logged),
        cramps=len(cramps),
        cramp_days=len(befores),
        unlogged_before=tuple(day for day in whole if day in befores and day not in logged),
        unlogged_other=sum(1 for day in candidates if day not in logged),
    )


# --- The comparisons ----------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    measure: Measure
    groups: Groups
    before_cramp: tuple[float, ...]  # one value per day before a cramp (with a value)
    no_cramp: tuple[float, ...]  # one per other day (with a value)
    p_value: float | None  # None: not compared (too little yet, or nothing varies)
    p_adjusted: float | None = None  # Holm, across the measures compared
    measures_compared: int = 0

    @property
    def test(self) -> str:
        return self.measure.test

    @property
    def before_average(self) -> int | None:
        return average(self.before_cramp)

    @property
    def no_cramp_average(self) -> int | None:
        return average(self.no_cramp)

    @property
    def cramp_days_needed(self) -> int:
        return self.groups.cramp_days_needed

    @property
    def logged_days_needed(self) -> int:
        return self.groups.logged_days_needed

    @property
    def is_pattern(self) -> bool:
        return self.p_adjusted is not None and self.p_adjusted < PATTERN_P_VALUE

    @property
    def direction(self) -> str:
        """ "lower before cramps", "more often before cramps"."""
        higher = (self.before_average or 0) > (self.no_cramp_average or 0)
        if self.measure.yes_no:
            return f"{'more' if higher else 'less'} often before cramps"
        return f"{'higher' if higher else 'lower'} before cramps"

    @property
    def said(self) -> str:
        """The two groups' averages, in words."""
        before, other = len(self.before_cramp), len(self.no_cramp)
        if self.measure.yes_no:
            yes_before = sum(1 for value in self.before_cramp if value)
            yes_other = sum(1 for value in self.no_cramp if value)
            return (
                f"{yes_before} of the {before} days before a cramp were "
                f"{self.measure.yes_days} ({self.before_average}%), against {yes_other} of "
                f"the {other} other days ({self.no_cramp_average}%)."
            )
        return (
            f"On the {before} days before a cramp, {self.measure.name.lower()} averaged "
            f"{self.before_average}% of target; on the {other} other days, "
            f"{self.no_cramp_average}%."
        )

    @property
    def test_text(self) -> str:
        """ "Fisher’s exact test, two-sided: p = 0.063; adjusted (Holm) for the 5 measures
        compared: p = 0.31." """
        if self.p_value is None or self.p_adjusted is None:
            return ""
        return (
            f"{self.test}, two-sided: {p_text(self.p_value)}; adjusted ({HOLM}) for the "
            f"{self.measures_compared} measure{plural(self.measures_compared)} compared: "
            f"{p_text(self.p_adjusted)}."
        )

    @property
    def text(self) -> str:
        if not self.groups.ready:
            return self.groups.needs_text
        before, other = len(self.before_cramp), len(self.no_cramp)
        if self.p_value is None:
            if self.measure.yes_no:
                return f"No {self.measure.yes_days} on the days compared: nothing to compare."
            return (
                f"Too few of the days have a {self.measure.name.lower()} value to compare "
                f"({before} before a cramp, {other} other days; at least "
                f"{MIN_DAYS_PER_SIDE} each)."
            )
        assert self.p_adjusted is not None
        if self.is_pattern:
            verdict = (
                f"A pattern: {self.direction}. Even allowing for the "
                f"{self.measures_compared} measures compared, a gap this large would come "
                f"by chance {chance_text(self.p_adjusted)}."
            )
        else:
            verdict = (
                f"No pattern yet: with {before} days before a cramp and {other} other days, "
                "not enough evidence either way (which is not the same as no effect)."
            )
        return " ".join((self.said, verdict, self.test_text))


def average(values: Sequence[float]) -> int | None:
    """The mean, to the nearest whole number, halves up (nutrients.numbers.whole)."""
    return math.floor(sum(values) / len(values) + 0.5) if values else None


def compare_all(
    measures: Sequence[Measure], groups: Groups, values: Mapping[str, Mapping[date, float | None]]
) -> list[Comparison]:
    """Each measure's comparison, their p-values adjusted together (Holm).

    A measure is compared when both groups are big enough and it has at least
    MIN_DAYS_PER_SIDE values a side; a yes/no measure also needs a "yes" day and a "no"
    day among the days compared (else nothing can differ)."""
    drafts = []
    for measure in measures:
        by_day = values.get(measure.key, {})
        before = tuple(v for day in groups.before if (v := by_day.get(day)) is not None)
        other = tuple(v for day in groups.other if (v := by_day.get(day)) is not None)
        p_value = None
        if groups.ready and min(len(before), len(other)) >= MIN_DAYS_PER_SIDE:
            if not measure.yes_no:
                p_value = mann_whitney_p(before, other)
            elif len({*before, *other}) > 1:
                yes_before = sum(1 for v in before if v)
                yes_other = sum(1 for v in other if v)
                p_value = fisher_exact_p(
                    yes_before, len(before) - yes_before, yes_other, len(other) - yes_other
                )
        drafts.append(Comparison(measure, groups, before, other, p_value))
    tested = [c for c in drafts if c.p_value is not None]
    adjusted = dict(
        zip(
            (c.measure.key for c in tested),
            holm([c.p_value for c in tested if c.p_value is not None]),
            strict=True,
        )
    )
    return [
        Comparison(
            c.measure,
            c.groups,
            c.before_cramp,
            c.no_cramp,
            c.p_value,
            adjusted.get(c.measure.key),
            len(tested),
        )
        for c in drafts
    ]
