"""Translation: one label in one language, glossary terms filled in, numbers in local style."""

from __future__ import annotations

import math
import string
from typing import Any

from .glossary import LANGUAGES, terms
from .labels import LABELS


class MissingTranslation(KeyError):
    """A label key that ``labels.LABELS`` does not declare."""


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a label."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def t(key: str, lang: str, **values: Any) -> str:
    """The label ``key`` in ``lang``, with glossary terms and ``values`` filled in.

    A label that starts with a glossary term starts with a capital letter.
    """
    try:
        text = LABELS[key][LANGUAGES.index(lang)]
    except KeyError:
        raise MissingTranslation(key) from None
    filled = text.format(**terms(lang), **values)
    return filled[:1].upper() + filled[1:] if text.startswith("{") else filled


def number(value: float, digits: int, lang: str, signed: bool = False) -> str:
    """A rounded number with the decimal comma in Dutch and French; 'not available' in the language when undefined."""
    if value is None or math.isnan(value):
        return t("not_available", lang)
    text = f"{round(value, digits) + 0.0:{'+' if signed else ''},.{digits}f}"  # + 0.0: no '-0.0'
    if lang == "en":
        return text
    return text.replace(",", "\u202f").replace(".", ",")  # thin space for thousands, comma for decimals
