"""Plain text from Markdown fields: a field's first sentence, and the words a filter searches.

The library index shows each playbook's summary and trigger in one line, and its filter script
searches words a row does not show (the whole summary, the trigger's description, the tags).
Both need the field's *text*: :func:`plain_text` renders a field as the pages do
(:func:`~.inline.md_inline_html`, so it is made safe first) and keeps the words only;
templates escape the result like any other text.

>>> plain_text("Health **below 40** for [two weeks](../metrics/health_score.md) <b>")
'Health below 40 for two weeks <b>'
>>> first_sentence("A 30-day plan. It starts at day 0. Then more.")
'A 30-day plan.'
>>> first_sentence("Runs at 3.5 % churn, e.g. after a drop.")
'Runs at 3.5 % churn, e.g. after a drop.'
"""

from __future__ import annotations

import html
import re

from .inline import md_inline_html

__all__ = ["first_sentence", "plain_text", "search_text"]

_TAG = re.compile(r"<[^>]+>")
#: A sentence ends at ``.``, ``!`` or ``?`` followed by a space and a capital, a digit, a quote
#: or a bracket: ``3.5 %`` and ``e.g. after`` do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘(])")


def plain_text(markdown: str) -> str:
    """A Markdown field as plain text on one line: formatting dropped, links as their text."""
    return " ".join(html.unescape(_TAG.sub("", md_inline_html(markdown))).split())


def first_sentence(text: str) -> str:
    """The first sentence of plain ``text`` (all of it when it is one sentence)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def search_text(*parts: str) -> str:
    """Words for a text filter: the parts joined, lower case, each distinct word once, in order.

    >>> search_text("Renewal", "The renewal date", "renewal, retention")
    'renewal the date retention'
    """
    words = re.findall(r"[\w%+\-./']+", " ".join(parts).lower())
    return " ".join(dict.fromkeys(w.strip(".'-") for w in words if w.strip(".'-")))
