"""What can be wrong with a geodata directory, and how it is reported: "file: record: problem".

Messages that tests check are module constants. The rules of a record's values live in
atlas.rules; these are the file format's own problems (JSON, structure, references).
"""

from dataclasses import dataclass

ERR_NO_DIR = "{path} is not a directory"
ERR_MISSING_FILE = "required file is missing"
ERR_TOO_LARGE = "file is {size:,} bytes; the limit is {limit:,}"
ERR_ENCODING = "file is not UTF-8 text ({detail})"
ERR_JSON = "not valid JSON: {detail}"
ERR_NAN = "number {value} is not allowed in JSON"
ERR_TOP_LEVEL = "expected {expected}"
ERR_MISSING_KEY = "missing required property {key!r}"
ERR_UNKNOWN_KEY = "unknown property {key!r}"
ERR_TYPE = "{key!r} must be {expected}"
ERR_DUPLICATE = "duplicate {what} {value!r} (first defined in {first})"
ERR_DATE = "{key!r} must be a date YYYY-MM-DD, got {value!r}"
ERR_UNKNOWN_CLAUSE = "basis refers to unknown clause {clause!r}"
ERR_UNKNOWN_TREATY = "refers to unknown treaty {treaty!r}"
ERR_UNKNOWN_FEATURE = "refers to unknown feature {feature!r}"
ERR_UNKNOWN_PERSON = "refers to unknown person {person!r}"
ERR_FEATURE_ID = "feature 'id' {id!r} differs from its slug {slug!r}"
ERR_NOT_FINITE = "number {value} is too large to be a finite number"
ERR_TOO_DEEP = "JSON is nested deeper than {limit} levels"
ERR_SURROGATE = "text {text!r} holds a lone surrogate ({code}), which is not Unicode text"
ERR_MASS_DELETE = (
    "this load would delete {deleted:,} of the {existing:,} {what} in the database "
    "(the files hold {kept:,}); if that is what you mean, load again with --prune"
)
ERR_FIELD = "{key!r}: {message}"  # a rule of atlas.rules (or a model field) refused a value
ERR_EXPORT_NOT_EMPTY = (
    "{path} already holds atlas files ({files}); choose an empty directory or overwrite"
)
ERR_EXPORT_NOT_DIR = "{path} exists and is not a directory"


@dataclass(frozen=True)
class DataProblem:
    """One thing wrong in the input, located as precisely as we can."""

    file: str
    record: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.problem}"


# A file of bad records can hold a million problems: the first ones are kept and listed, the
# rest only counted ("… and 12,345 more").
MAX_PROBLEMS = 200


class Problems(list):
    """The problems found so far: the first MAX_PROBLEMS kept, the others counted."""

    more = 0

    def append(self, problem: DataProblem) -> None:
        if len(self) < MAX_PROBLEMS:
            super().append(problem)
        else:
            self.more += 1

    @property
    def total(self) -> int:
        return len(self) + self.more


class AtlasDataError(Exception):
    """The input cannot be loaded. ``problems`` lists what was found, in file order (the
    first MAX_PROBLEMS of them; ``more`` counts the others)."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = list(problems)
        self.more = getattr(problems, "more", 0)
        lines = [str(p) for p in self.problems]
        if self.more:
            lines.append(f"… and {self.more:,} more")
        super().__init__("\n".join(lines))

    @property
    def total(self) -> int:
        return len(self.problems) + self.more
