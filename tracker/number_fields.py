"""Form fields for numbers people type: a decimal comma is a decimal point, and a
number is shown as people write it ("40", "1.5", never "4E+1").

Text inputs with a decimal keyboard, not type="number": a browser sends a number input
it cannot parse ("2,5" in an English browser) as "", or drops the comma, so "2,5" could
arrive as 25. Every amount a person types goes through these fields (entries, water,
supplements, targets, own foods), and the API sends its numbers through the same forms.
"""

from decimal import Decimal
from typing import Any

from django import forms

from nutrients.numbers import plain, typed_number


def decimal_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


def whole_number_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs})


def shown_as_typed(value: Any) -> Any:
    """Decimal("4E+1") → "40", Decimal("1.50") → "1.5"; anything else as it is."""
    if isinstance(value, Decimal) and value.is_finite():
        return plain(value)
    return value


class TypedNumber:
    """What the two fields below share: typed_number before the field reads the text,
    and a text input's attributes (no "step", "min" or "max")."""

    error_messages: dict[str, str]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = typed_number(value)
        return super().to_python(value)  # type: ignore[misc]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)  # type: ignore[misc]
        if not isinstance(widget, forms.NumberInput):
            for name in ("step", "min", "max"):
                attrs.pop(name, None)
        return attrs


class TypedDecimalField(TypedNumber, forms.DecimalField):
    """A DecimalField reading "2,5" as 2.5 and "1,200" as 1200 (typed_number), and
    showing its value as people write it (shown_as_typed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", decimal_input())
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return shown_as_typed(super().prepare_value(value))


class TypedIntegerField(TypedNumber, forms.IntegerField):
    """An IntegerField reading "2,600" as 2600; "2,5" is refused as not whole."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", whole_number_input())
        super().__init__(*args, **kwargs)
