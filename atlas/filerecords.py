"""One record of a geodata file: its properties parsed to model values, its problems
collected as "file: record: problem", and the model's own rules (atlas.rules, through
``full_clean``) run on it — the reading half of atlas.reading.
"""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from .i18n import language_codes
from .problems import (
    ERR_DATE,
    ERR_DUPLICATE,
    ERR_FIELD,
    ERR_MISSING_KEY,
    ERR_TOP_LEVEL,
    ERR_TYPE,
    ERR_UNKNOWN_KEY,
    DataProblem,
)


class Record:
    """One record of a file: its problems, and its properties parsed to model values."""

    def __init__(self, problems: list[DataProblem], file: str, name: str, obj: dict):
        self.problems, self.file, self.name, self.obj = problems, file, name, obj
        self.failed = False
        self.missing: set[str] = set()  # reported once, not again by the model's rules

    def fail(self, message: str) -> None:
        self.failed = True
        self.problems.append(DataProblem(self.file, self.name, message))

    def keys(self, required: Iterable[str], optional: Iterable[str] = (), obj=None) -> None:
        obj, required = self.obj if obj is None else obj, list(required)
        for key in required:
            if key not in obj:
                self.fail(ERR_MISSING_KEY.format(key=key))
                self.missing.add(key)
        for key in obj:
            if key not in set(required) | set(optional):
                self.fail(ERR_UNKNOWN_KEY.format(key=key))

    def typed(self, key: str, kind: type | tuple, expected: str, default: Any = None) -> Any:
        value = self.obj.get(key, default)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.fail(ERR_TYPE.format(key=key, expected=expected))
            self.missing.add(key)
            return default
        return value.strip() if isinstance(value, str) else value

    def text(self, key: str, default: str | None = None) -> str:
        return self.typed(key, str, "text", default) or ""

    def slug(self, key: str = "slug") -> str:
        """A slug as written: not stripped, so that "aigun\\n" is refused, not mended."""
        value = self.obj.get(key)
        return value if isinstance(value, str) else ""

    def texts(self, key: str, nullable: bool = False, source: dict | None = None) -> dict:
        """A translations dict as written; its completeness is the model's rule."""
        value = (self.obj if source is None else source).get(key)
        if value is None and nullable:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.fail(ERR_TYPE.format(key=key, expected="an object of texts by language"))
            self.missing.add(key)
            return {}
        return {code: text.strip() for code, text in value.items() if text.strip()}

    def language_texts(self, key: str, names: dict) -> dict:
        """The languages' texts of a dict that holds other forms too (a name's zh, pinyin)."""
        return self.texts(key, source={key: {k: names[k] for k in language_codes() if k in names}})

    def per_language(self, prefix: str) -> dict[str, str]:
        """``text_en``, ``text_ru`` … gathered into one translations dict."""
        found = {}
        for code in language_codes():
            text = self.text(f"{prefix}_{code}", "")
            if text:
                found[code] = text
        return found

    def date(self, key: str, nullable: bool = False) -> dt.date | None:
        value = self.obj.get(key)
        if value is None and nullable:
            return None
        try:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(ERR_DATE.format(key=key, value=value))
            self.missing.add(key)
            return None

    def validate(self, model: type[models.Model], row: dict[str, Any], keys: dict = {}) -> bool:  # noqa: B006
        """Run the model's rules (atlas.rules) on ``row``; False if any refused a value."""
        values = {k: v for k, v in row.items() if not isinstance(v, Ref)}
        values |= {k: v.obj for k, v in row.items() if isinstance(v, Ref) and v.obj is not None}
        try:
            model(**values).full_clean(
                exclude=[k for k, v in row.items() if isinstance(v, Ref)],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = keys.get(name, name)
                if key in self.missing:
                    continue
                for message in messages:
                    if name == NON_FIELD_ERRORS:
                        self.fail(message)
                    else:
                        self.fail(ERR_FIELD.format(key=key, message=message))
            return False
        return not self.failed


class Ref(str):
    """A slug that refers to another record (a foreign key, resolved when writing). ``obj``:
    the record itself, unsaved, for the rules that look at it (a clause's treaty)."""

    obj: models.Model | None = None

    @classmethod
    def to(cls, slug: str, obj: models.Model | None = None) -> "Ref":
        ref = cls(slug)
        ref.obj = obj
        return ref


def records(
    doc: Any, file: str, top: str, what: str, problems: list[DataProblem], *, id_key: str = "slug"
):
    """Each object of ``doc[top]`` as a Record named after its slug (or its position)."""
    if not isinstance(doc, dict) or not isinstance(doc.get(top), list):
        problems.append(
            DataProblem(file, "(file)", ERR_TOP_LEVEL.format(expected=f'{{"{top}": [...]}}'))
        )
        return
    for i, obj in enumerate(doc[top]):
        name = f"{what} #{i + 1}"
        if isinstance(obj, dict) and isinstance(obj.get(id_key), str):
            name = f"{what} {obj[id_key]!r}"
        if not isinstance(obj, dict):
            problems.append(DataProblem(file, name, ERR_TOP_LEVEL.format(expected=f"a {what}")))
            continue
        yield i, Record(problems, file, name, obj)


def unique(r: Record, seen: dict[str, str], what: str, slug: str) -> None:
    if slug in seen:
        r.fail(ERR_DUPLICATE.format(what=what, value=slug, first=seen[slug]))
    else:
        seen[slug] = r.name
