"""Text every app stores: one cleaning rule for every text field, and reading a number a reader typed.

A control character kept in a name or a comment breaks every XML document that shows it (the
feeds answered 500 until the comment was removed), so stored text holds none: tab, line feed
and carriage return stay in multi-line text, everything else below U+0020, DEL, the C1 block,
the two non-characters XML refuses, NUL bytes and lone surrogates are dropped.
"""

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Model

# XML 1.0 refuses U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF; DEL and the C1
# block (U+007F-U+009F) are allowed there but are never text a person meant to write.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]+")
_DIGITS = re.compile("[0-9]+")

# English words too common to tell two texts apart: the near-duplicate check drops them, and
# the related-stories analyser drops them along with its own longer list.
STOP_WORDS = frozenset(
    """
    a about after all also an and any are as at be been but by can could did do does for from had
    has have he her him his how i if in into is it its just me more most my no not of on one only or
    our out over said says she so some than that the their them then there these they this to up was
    we were what when which who will with would you your
    """.split()
)


def clean_text(value: object, *, multiline: bool = True) -> str:
    """`value` as text safe to store and show anywhere: no control characters, no lone surrogates.

    Single-line text (`multiline=False`) also has its tabs and line breaks turned into a space.
    """
    if not value:
        return ""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    return text


def has_control_characters(value: str, *, multiline: bool = True) -> bool:
    return clean_text(value, multiline=multiline) != value


def as_number(value: object, *, max_digits: int = 18) -> int | None:
    """A whole number written with the digits 0-9 only, or None.

    `str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as another
    number: ids from readers go through here instead.
    """
    text = str(value if value is not None else "").strip()
    if not text or len(text) > max_digits or not _DIGITS.fullmatch(text):
        return None
    return int(text)


def text_fields(model: "type[Model]") -> list:
    """The concrete CharField/TextField fields (email, URL and slug fields included) of `model`."""
    from django.db import models

    return [f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]


def clean_text_fields(instance: "Model") -> None:
    """Clean every text field of a model instance in place; connected to every model's pre_save,
    so no form, admin, import or service can store a control character by forgetting to."""
    from django.db import models

    for field in text_fields(type(instance)):
        value = getattr(instance, field.attname)
        if isinstance(value, str) and value:
            cleaned = clean_text(value, multiline=isinstance(field, models.TextField))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
