"""Strict JSON, read one way everywhere: the loader's files, the admin's JSON boxes and its
live geometry check. No NaN or Infinity, no number too large for a float (1e400), no nesting
deeper than MAX_DEPTH, no lone surrogates, files no larger than MAX_FILE_BYTES.
"""

import json
import math
import re
from pathlib import Path
from typing import Any

from .problems import (
    ERR_ENCODING,
    ERR_JSON,
    ERR_MISSING_FILE,
    ERR_NAN,
    ERR_NOT_FINITE,
    ERR_SURROGATE,
    ERR_TOO_DEEP,
    ERR_TOO_LARGE,
    DataProblem,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32  # a MultiPolygon inside a feature inside a collection is 7 levels deep
SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_constant(value: str) -> None:
    raise ValueError(ERR_NAN.format(value=value))


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # 1e400: JSON allows the digits, a float cannot hold them
        raise ValueError(ERR_NOT_FINITE.format(value=text))
    return value


def json_problem(value: Any) -> str | None:
    """What makes parsed JSON unusable though valid: nesting too deep, a lone surrogate."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return ERR_TOO_DEEP.format(limit=MAX_DEPTH)
        if isinstance(node, dict):
            stack.extend((k, depth + 1) for k in node)
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, str) and (bad := SURROGATE.search(node)):
            code = f"\\u{ord(bad.group()):04x}"
            shown = node[:40].encode("utf-8", "replace").decode()
            return ERR_SURROGATE.format(text=shown, code=code)
    return None


def parse_json(text: str) -> Any:
    """Strict JSON: no NaN or Infinity, no number too large for a float, no nesting deeper
    than MAX_DEPTH, no lone surrogates; ValueError with a message otherwise."""
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise ValueError(ERR_TOO_DEEP.format(limit=MAX_DEPTH)) from None
    problem = json_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def read_json(path: Path, problems: list[DataProblem]) -> Any:
    """Read one JSON file strictly (size limit, UTF-8, no NaN/Infinity); None if unreadable."""
    name = path.name

    def fail(message: str) -> None:
        problems.append(DataProblem(name, "(file)", message))

    if not path.is_file():
        return fail(ERR_MISSING_FILE)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return fail(ERR_TOO_LARGE.format(size=size, limit=MAX_FILE_BYTES))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail(ERR_ENCODING.format(detail=exc.reason))
    try:
        return parse_json(text)
    except json.JSONDecodeError as exc:
        fail(ERR_JSON.format(detail=f"{exc.msg} at line {exc.lineno} column {exc.colno}"))
    except ValueError as exc:
        fail(str(exc))
    return None
