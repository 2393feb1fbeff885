from datetime import date

# Dates outside this range are typing mistakes, not diary days.
FIRST_YEAR = 1900
LAST_YEAR = 2200


class IsoDateConverter:
    """/day/2026-11-22/ → date(2026, 11, 22); an impossible date is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        day = date.fromisoformat(value)  # ValueError → no match → 404
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"{value} is out of range")
        return day

    def to_url(self, value: date) -> str:
        return value.isoformat()
