"""The query string read against the document, in one place for every operation.

An operation's ``Query`` parameters are its contract: a value the document would
refuse (a number out of its range, text longer than its ``maxLength``, a choice
not in its ``enum``, a value that does not match its ``pattern``) is refused with
422 and a message beside the parameter, before the view runs, so no list quietly
truncates or ignores what a client sent. The views then only convert values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tracker.parsing import MAX_ID, parse_int
from tracker.translation import _, ngettext


def value_problem(value: str, schema: Mapping[str, Any]) -> str | None:
    """What is wrong with one query value under its JSON schema, or None."""
    if schema.get("type") == "integer":
        return _integer_problem(value, schema)
    if "enum" in schema and value not in schema["enum"]:
        return _("Choose one of %(choices)s.", choices=", ".join(map(str, schema["enum"])))
    longest = schema.get("maxLength")
    if longest is not None and len(value) > longest:
        return ngettext(
            "Enter at most %(num)d character.", "Enter at most %(num)d characters.", longest
        )
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, value):
        examples = schema.get("examples") or []
        if examples:
            return _("Write it like %(example)s.", example=examples[0])
        return _("This value is not in the form the document gives.")
    return None


def _integer_problem(value: str, schema: Mapping[str, Any]) -> str | None:
    low, high = schema.get("minimum", 1), schema.get("maximum", MAX_ID)
    number = parse_int(value)
    if number is not None and low <= number <= high:
        return None
    if low == 1 and high == MAX_ID and "default" not in schema:  # an id, not a page
        return _("Enter an id (a whole number from 1).")
    return _("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)


def query_problems(args: Any, documented: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """A message per query parameter (a werkzeug ``MultiDict``) the operation
    whose parameters are ``documented`` must refuse."""
    problems: dict[str, str] = {}
    for name in args:
        schema = documented.get(name)
        values = args.getlist(name)
        if schema is None:
            problems[name[:60]] = _("Unknown query parameter: remove it or check its spelling.")
        elif len(values) > 1:
            problems[name] = _("Give this parameter once.")
        elif not values[0]:
            if _needs_a_value(schema):
                problems[name] = _("Give a value, or leave the parameter out.")
        else:
            problem = value_problem(values[0], schema)
            if problem:
                problems[name] = problem
    return problems


def _needs_a_value(schema: Mapping[str, Any]) -> bool:
    """An empty value means nothing for a number, a week or a choice."""
    return schema.get("type") == "integer" or "pattern" in schema or "enum" in schema
