"""Fields the performance pages share: numbers typed the Indonesian way, and a target's fields.

Targets, quarter targets and amounts are dynamic fields named after the row they belong to
(``t2025_value``, ``q12_3_upper``, ``c7``) so that every error sits next to its cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.formats import format_number_id
from kinerja.core.xlsx import NumberError, parse_number_id
from kinerja.performance.models import Indicator

MAX_DECIMALS = 4


def show_number(value: Decimal | None) -> str:
    """A stored number as a person types it: ``1.234.567,5``, no trailing zeros. A whole number
    of one thousands group is shown without its dot (``4880``, not ``4.880``, which the parser
    refuses as ambiguous), so that what a page shows reads back as the same number."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    places = min(places, MAX_DECIMALS)
    if places == 0 and 1000 <= abs(value) < 1_000_000:
        return format_number_id(value, 0).replace(".", "")
    return format_number_id(value, places)


class NumberInput(forms.TextInput):
    """A text box for numbers typed the Indonesian way (``1.234.567,89``)."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return show_number(value)
        return super().format_value(value)


class IdNumberField(forms.Field):
    """A decimal typed as ``1.234,56``, ``85,5%`` or ``1234.56``; empty is None."""

    widget = NumberInput
    default_error_messages = {
        "invalid": gettext_lazy("'%(value)s' is not a number; write e.g. 1.234,56."),
        "places": gettext_lazy("Use at most %(places)d decimals."),
        "digits": gettext_lazy("The number is too large."),
        "negative": gettext_lazy("Write 0 or more."),
    }

    def __init__(
        self,
        *,
        places: int = MAX_DECIMALS,
        digits: int = 20,
        minimum: Decimal | None = None,
        money: bool = False,
        **kw,
    ):
        kw.setdefault("required", False)
        super().__init__(**kw)
        self.places, self.digits, self.minimum, self.money = places, digits, minimum, money

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_number_id(value, money=self.money)
        except NumberError as exc:
            if exc.code != "invalid":  # ambiguous, exponent, too many digits: the parser's words
                raise forms.ValidationError(exc.message, code=exc.code) from None
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise forms.ValidationError(
                self.error_messages["places"], code="places", params={"places": self.places}
            )
        if abs(number) >= Decimal(10) ** (self.digits - self.places):
            raise forms.ValidationError(self.error_messages["digits"], code="digits")
        if self.minimum is not None and number < self.minimum:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return number


def located(where: str, label: Any) -> Any:
    """A field label naming its row, e.g. ``2025 · Target``, for the page's error summary."""
    return format_lazy("{} · {}", where, label)


def choose_from(
    form: forms.BaseForm,
    name: str,
    queryset: QuerySet[Any],
    label: Callable[[Any], str] | None = None,
) -> None:
    """Offer ``queryset`` in the model choice field ``name``, each choice shown by ``label``."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[assignment]


def money_field(**kw: Any) -> IdNumberField:
    return IdNumberField(places=2, digits=18, minimum=Decimal(0), money=True, **kw)


class TargetFields:
    """Adds value/upper/text fields for one target and checks them against the kind of target."""

    @staticmethod
    def add(form: forms.BaseForm, prefix: str, where: str, initial: Any = None) -> None:
        form.fields[f"{prefix}_value"] = IdNumberField(
            label=located(where, gettext_lazy("Target")), initial=getattr(initial, "value", None)
        )
        form.fields[f"{prefix}_upper"] = IdNumberField(
            label=located(where, gettext_lazy("Upper bound")),
            initial=getattr(initial, "upper", None),
        )
        form.fields[f"{prefix}_text"] = forms.CharField(
            label=located(where, gettext_lazy("Grade or milestone")),
            required=False,
            max_length=120,
            initial=getattr(initial, "text", ""),
        )

    @staticmethod
    def check(
        form: forms.BaseForm,
        prefix: str,
        where: str,
        kind: str,
        labels: list[str] | None,
        required: bool = False,
    ) -> dict[str, Any] | None:
        """The cleaned target of ``prefix``; adds errors naming ``where``; None when empty."""
        data = form.cleaned_data
        value, upper = data.get(f"{prefix}_value"), data.get(f"{prefix}_upper")
        text = (data.get(f"{prefix}_text") or "").strip()
        if any(f"{prefix}_{n}" in form.errors for n in ("value", "upper", "text")):
            return None
        cell = _TargetCell(form, prefix, where, required)
        if kind == Indicator.TargetKind.LOOKUP:
            return cell.grade(value, upper, text, labels)
        if text:
            cell.error(
                "text",
                _("%(where)s: only a grade or milestone indicator takes a text target.")
                % {"where": where},
            )
            return None
        if not cell.bounds_fit(kind, value, upper):
            return None
        if value is None:
            cell.missing("value")
            return None
        return {"value": value, "upper": upper, "text": ""}


@dataclass
class _TargetCell:
    """The fields of one target on a form (``prefix``), and its problems reported next to them."""

    form: forms.BaseForm
    prefix: str
    where: str
    required: bool

    def error(self, name: str, message: str) -> None:
        self.form.add_error(f"{self.prefix}_{name}", message)

    def missing(self, name: str) -> None:
        """An empty target: a problem only where one is required."""
        if self.required:
            self.error(name, _("%(where)s: give the target.") % {"where": self.where})

    def grade(
        self, value: Decimal | None, upper: Decimal | None, text: str, labels: list[str] | None
    ) -> dict[str, Any] | None:
        """A grade or milestone target: a text of the lookup table (when it is known), no number."""
        if value is not None or upper is not None:
            self.error(
                "text",
                _("%(where)s: a grade or milestone target is text from the lookup table.")
                % {"where": self.where},
            )
            return None
        if text and labels is not None and text not in labels:
            self.error(
                "text",
                _("%(where)s: '%(value)s' is not in the lookup table (%(labels)s).")
                % {"where": self.where, "value": text, "labels": ", ".join(labels)},
            )
            return None
        if not text:
            self.missing("text")
            return None
        return {"value": None, "upper": None, "text": text}

    def bounds_fit(self, kind: str, value: Decimal | None, upper: Decimal | None) -> bool:
        """Whether the bounds fit the kind: a range has both, in order; other targets no upper."""
        if kind == Indicator.TargetKind.RANGE:
            if (value is None) != (upper is None):
                self.error(
                    "upper" if upper is None else "value",
                    _("%(where)s: a range target needs both the lower and the upper bound.")
                    % {"where": self.where},
                )
                return False
            if value is not None and upper is not None and value > upper:
                self.error(
                    "upper",
                    _("%(where)s: the lower bound %(low)s is above the upper bound %(high)s.")
                    % {"where": self.where, "low": show_number(value), "high": show_number(upper)},
                )
                return False
            return True
        if upper is not None:
            self.error(
                "upper",
                _("%(where)s: only a range target has an upper bound.") % {"where": self.where},
            )
            return False
        return True
