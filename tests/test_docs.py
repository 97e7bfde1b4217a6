"""The documentation agrees with the code, in the spirit of datasette's documentation tests.

Every name that README.md, docs/*.md, geodata/README.md and .env.example give — a management
command and its options, a make target, an address, an environment variable, a member of
window.atlas, a path of the layout, a file or a Python name — is read from the text and checked
against the code, one test per name, so that a stale line fails with the name and the file that
holds it. The other way round, every public address and every environment variable the code
reads must be documented.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md")), *sorted(ROOT.glob("geodata/**/*.md"))]
ENV_EXAMPLE = ROOT / ".env.example"

# Values put in place of an address's parameters before it is resolved.
SAMPLE_VALUES = {"year": "1858", "slug": "aigun", "code": "en"}
# File name endings that make a name in the docs a path rather than a Python name.
FILE_ENDINGS = ("py", "json", "geojson", "html", "md", "po", "js", "css", "txt", "toml", "svg")


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- Reading the documents --------------------------------------------------------------------

CODE = re.compile(r"^```[^\n]*\n(?P<block>.*?)^```|`(?P<span>[^`\n]+)`", re.M | re.S)


def code_units(text: str) -> list[tuple[str, bool]]:
    """The document's code in reading order: each inline span, and each line of a fenced
    block without its shell comment. The flag says whether the unit is an inline span."""
    units = []
    for m in CODE.finditer(text):
        if m["block"] is not None:
            units += [(re.sub(r"\s#\s.*$", "", line), False) for line in m["block"].splitlines()]
        else:
            units.append((m["span"], True))
    return units


def section(text: str, title: str) -> str:
    """The body of the `## title` section (up to the next heading of level 1 or 2)."""
    m = re.search(rf"^##\s+{re.escape(title)}\s*$(.*?)(?=^#{{1,2}}\s|\Z)", text, re.M | re.S)
    assert m, f"README.md has no '## {title}' section"
    return m[1]


def command_mentions() -> list[tuple[str, str, str]]:
    """(document, command, option or "") for every `manage.py COMMAND --option …`.

    An option in a span of its own (`--force` in a sentence) belongs to the command named
    last before it in the same document."""
    found = []
    for doc in DOCS:
        last = ""
        for unit, inline in code_units(doc.read_text()):
            for m in re.finditer(r"manage\.py\s+([a-z]\w*)((?:\s+[^\s&;|]+)*)", unit):
                last = m[1]
                found.append((rel(doc), last, ""))
                found += [(rel(doc), last, o) for o in re.findall(r"(?<!\S)(--[\w-]+)", m[2])]
            if inline and unit.startswith("--"):
                found += [(rel(doc), last, o) for o in re.findall(r"(?<!\S)(--[\w-]+)", unit)]
    return found


def make_mentions() -> list[tuple[str, str]]:
    return [
        (rel(doc), m[1])
        for doc in DOCS
        for unit, _ in code_units(doc.read_text())
        for m in re.finditer(r"(?:^|[\s;&|(])make\s+([a-z][\w-]*)", unit)
    ]


def documented_addresses() -> list[tuple[str, str]]:
    """(document, address) for every address written as a code span, e.g. `/map/<year>/`."""
    return [
        (rel(doc), unit)
        for doc in DOCS
        for unit, inline in code_units(doc.read_text())
        if inline and re.fullmatch(r"/(?:[\w.<>-]+/?)*(?:\?\S*)?", unit)
    ]


def using_it_addresses() -> list[str]:
    """The addresses in the first column of README's "Using it" table."""
    table = section(README.read_text(), "Using it")
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    addresses = [a for row in rows for a in re.findall(r"`([^`]+)`", row)]
    assert addresses, "README.md's 'Using it' section has no table of addresses"
    return addresses


def sample_path(address: str) -> str:
    path = address.split("?")[0]
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_VALUES.get(m[1], "x"), path)


def route_shape(route: str) -> str:
    """`/map/<int:year>/` and `/map/<year>/?x=1` ➜ `/map/<>/`, to compare patterns and docs."""
    return re.sub(r"<[^>]*>", "<>", route.split("?")[0])


ENV_NAME = r"[A-Z][A-Z0-9_]*[A-Z0-9]"


def documented_env_vars() -> list[tuple[str, str]]:
    """(document, name) for every environment variable the docs and .env.example name."""
    found = []
    for doc in DOCS:
        text = doc.read_text()
        names = set(re.findall(rf"(?<![\w.])((?:DJANGO|ATLAS)_{ENV_NAME}|DATABASE_URL)\b", text))
        for unit, _ in code_units(text):
            names |= set(re.findall(rf"(?:^|\s)({ENV_NAME})=", unit))  # PORT=8123 make run
            names |= set(re.findall(rf"\$\{{?({ENV_NAME})\b", unit))  # $ATLAS_CHROMIUM
        found += [(rel(doc), n) for n in sorted(names)]
    found += [
        (rel(ENV_EXAMPLE), n)
        for n in re.findall(rf"^#? ?({ENV_NAME})=", ENV_EXAMPLE.read_text(), re.M)
    ]
    return found


ENV_READ = re.compile(
    rf"""(?:getenv|environ\.get|environ\.setdefault|env_\w+)\(\s*["']({ENV_NAME})["']"""
    rf"""|environ\[\s*["']({ENV_NAME})["']\s*\]"""
)


def env_vars_read_in(paths, *, defaults: bool = False) -> dict[str, list[str]]:
    """Variable ➜ the files that read it from the environment. `os.environ.setdefault(…)`
    (DJANGO_SETTINGS_MODULE) counts only with `defaults`: it is Django that reads it."""
    read: dict[str, list[str]] = {}
    for path in paths:
        for m in ENV_READ.finditer(path.read_text()):
            if defaults or "setdefault" not in m[0]:
                read.setdefault(m[1] or m[2], []).append(rel(path))
    return read


def code_files() -> list[Path]:
    return [ROOT / "manage.py", *sorted((ROOT / "atlas").rglob("*.py"))]


def env_vars_read() -> set[str]:
    """Everything the code, manage.py or the Makefile reads from the environment."""
    read = set(env_vars_read_in(code_files(), defaults=True))
    # `PORT ?= 8000`: the environment's value wins over the Makefile's default.
    read |= set(re.findall(rf"^({ENV_NAME})\s*\?=", (ROOT / "Makefile").read_text(), re.M))
    return read


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    targets = set()
    for line in text.splitlines():
        m = re.match(r"^([^\s:#=][^:=]*?)\s*:(?![:=])", line)
        if m:
            targets |= set(m[1].split())
    return targets


def window_atlas_members() -> list[tuple[str, str]]:
    """(document, member) for each span in a paragraph that names `window.atlas`, and each
    `window.atlas.member` anywhere."""
    found = []
    for doc in DOCS:
        text = re.sub(r"^```.*?^```", "", doc.read_text(), flags=re.M | re.S)
        for paragraph in re.split(r"\n\s*\n", text):
            spans = re.findall(r"`([^`\n]+)`", paragraph)
            if "window.atlas" in spans:
                for span in spans:
                    m = re.match(r"(?:(?:window\.)?atlas\.)?([A-Za-z_$][\w$]*)", span)
                    if span != "window.atlas" and m:
                        found.append((rel(doc), m[1]))
            found += [(rel(doc), m) for m in re.findall(r"`window\.atlas\.(\w+)", paragraph)]
    return found


def layout_paths() -> list[tuple[str, str]]:
    """(path, the line of the layout that names it) for README's "Layout" block.

    A line is NAMES, then two or more spaces and a description. Names are single words
    (several on a line, or after commas); an indented line is inside the directory above it.
    Files that the description names (`builders.py (…)`, `*.geojson`, `base/`) are inside
    the line's directory; in `management/commands/` the description lists commands."""
    block = re.search(r"```\n(.*?)```", section(README.read_text(), "Layout"), re.S)
    assert block, "README.md's 'Layout' section has no code block"
    found = []
    parents: list[tuple[int, str]] = []  # (indent, directory)
    for line in block[1].splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        parents = [(i, d) for i, d in parents if i < indent]
        base = parents[-1][1] if parents else ""
        chunks = re.split(r"\s{2,}", line.strip())
        names = re.split(r",\s*", chunks.pop(0))
        # More names follow on the same line (`manage.py  Makefile  …`) until a description,
        # which has spaces in it or follows a directory.
        while chunks and not any(n.endswith("/") for n in names):
            more = re.split(r",\s*", chunks[0])
            if not all(re.fullmatch(r"[\w.*/-]+", n) for n in more):
                break
            names += more
            chunks.pop(0)
        description = " ".join(chunks)
        for name in names:
            found.append((base + name, line.strip()))
        directory = next((base + n for n in names if n.endswith("/")), None)
        if directory is None:
            continue
        parents.append((indent, directory))
        if directory.endswith("management/commands/"):
            found += [(f"{directory}{c}.py", line.strip()) for c in re.findall(r"\w+", description)]
            continue
        endings = "|".join(FILE_ENDINGS)
        for word in re.findall(r"(?<![\w/.])([\w*][\w.*/-]*)", description):
            word = word.rstrip(".:")
            if not (re.search(rf"\.({endings})$", word) or word.endswith("/")):
                continue
            # `tests/data/` beside `tests/` is written from the top, not inside tests/.
            found.append((word if word.startswith(directory) else directory + word, line.strip()))
    return found


def named_files() -> list[tuple[str, str]]:
    """(document, path) for every repository path written in code or as a link target.

    Only paths that start in an existing directory (beside the document or at the top) are
    taken: `map/<year>/index.html` is a path inside the offline bundle, not the repository."""
    found = []
    for doc in DOCS:
        text = doc.read_text()
        if doc == README:  # the Layout block has a test of its own
            text = text.replace(section(text, "Layout"), "")
        candidates = [w for u, inline in code_units(text) for w in ([u] if inline else u.split())]
        candidates += re.findall(r"\]\(([^)#\s]+)\)", text)
        for path in candidates:
            if "://" in path or not re.fullmatch(r"\w[\w.-]*/[\w./-]*", path):
                continue
            top = path.split("/")[0]
            if (doc.parent / top).is_dir() or (ROOT / top).is_dir():
                found.append((rel(doc), path))
    return found


def python_names() -> list[tuple[str, str]]:
    """(document, dotted name) for spans such as `atlas.services.EXPORT_FILES`."""
    return [
        (rel(doc), unit)
        for doc in DOCS
        for unit, inline in code_units(doc.read_text())
        if inline
        and re.fullmatch(r"atlas(?:\.[A-Za-z_]\w*)+", unit)
        and unit.rsplit(".", 1)[1] not in FILE_ENDINGS  # `atlas.js` is a file
    ]


def public_url_shapes(patterns=None, prefix: str = "/") -> list[str]:
    """The shape of every address the site answers, e.g. `/map/<>/`; an included URLconf
    (the admin) counts as its prefix."""
    shapes = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver) and p.namespace:  # the admin: documented as its prefix
            shapes.append(route_shape(route))
        elif isinstance(p, URLResolver):
            shapes += public_url_shapes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            shapes.append(route_shape(route))
    return shapes


def ids(items):
    return [" ".join(str(x) for x in item if x) for item in items]


# --- The tests --------------------------------------------------------------------------------

COMMANDS = sorted(set(command_mentions()))


@pytest.mark.parametrize("doc, command, option", COMMANDS, ids=ids(COMMANDS))
def test_named_commands_and_options_exist(doc, command, option):
    assert command, f"{doc}: {option} is not written after any `manage.py COMMAND`"
    commands = get_commands()
    assert command in commands, f"{doc}: `manage.py {command}` is not a management command"
    if option:
        parser = load_command_class(commands[command], command).create_parser("manage.py", command)
        known = {o for action in parser._actions for o in action.option_strings}
        assert option in known, f"{doc}: `manage.py {command}` has no option {option}"


def test_the_docs_name_commands_and_options():
    assert {c for _, c, _ in COMMANDS} >= {"load_atlas", "export_atlas", "export_static"}
    assert any(o for _, _, o in COMMANDS)


MAKE = sorted(set(make_mentions()))


@pytest.mark.parametrize("doc, target", MAKE, ids=ids(MAKE))
def test_named_make_targets_exist(doc, target):
    assert target in makefile_targets(), f"{doc}: `make {target}` is not a target in Makefile"


def test_the_docs_name_make_targets():
    assert {t for _, t in MAKE} >= {"run", "test"}


ADDRESSES = sorted(set(documented_addresses()) | {("README.md", a) for a in using_it_addresses()})


@pytest.mark.parametrize("doc, address", ADDRESSES, ids=ids(ADDRESSES))
def test_documented_addresses_resolve(doc, address):
    try:
        resolve(sample_path(address))
    except Resolver404:
        pytest.fail(f"{doc}: {address} (as {sample_path(address)}) is not an address of the site")


def test_the_using_it_table_names_the_maps():
    shapes = {route_shape(a) for a in using_it_addresses()}
    assert {"/", "/map/<>/", "/api/features.geojson"} <= shapes


@pytest.mark.parametrize("shape", public_url_shapes())
def test_every_address_is_documented(shape):
    documented = {route_shape(a) for _, a in ADDRESSES}
    assert shape in documented, f"{shape} is an address of the site that README.md does not give"


ENV_DOCUMENTED = sorted(set(documented_env_vars()))


@pytest.mark.parametrize("doc, name", ENV_DOCUMENTED, ids=ids(ENV_DOCUMENTED))
def test_documented_environment_variables_are_read(doc, name):
    assert name in env_vars_read(), (
        f"{doc} names the environment variable {name}, which neither the code nor the "
        "Makefile reads"
    )


def test_the_docs_name_environment_variables():
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL"} <= {n for _, n in ENV_DOCUMENTED}


@pytest.mark.parametrize("name", sorted(env_vars_read_in(code_files())))
def test_environment_variables_read_are_documented(name):
    where = {rel(p) for p in [README, ENV_EXAMPLE, *DOCS]}
    documented = {n for d, n in ENV_DOCUMENTED if d in where}
    readers = ", ".join(sorted(set(env_vars_read_in(code_files())[name])))
    assert name in documented, f"{readers} reads {name}; document it in README.md or .env.example"


def test_the_settings_read_environment_variables():
    assert {"DJANGO_DEBUG", "DATABASE_URL"} <= set(env_vars_read_in([ROOT / "atlas/settings.py"]))


MEMBERS = sorted(set(window_atlas_members()))


@pytest.mark.parametrize("doc, member", MEMBERS, ids=ids(MEMBERS))
def test_window_atlas_members_exist(doc, member):
    scripts = sorted((ROOT / "atlas/static/atlas").glob("*.js"))
    defined = {m for js in scripts for m in re.findall(r"\batlas\.(\w+)\s*=(?!=)", js.read_text())}
    assert member in defined, (
        f"{doc}: window.atlas.{member} is not set by the page's scripts "
        f"({', '.join(rel(js) for js in scripts)})"
    )


def test_the_readme_names_window_atlas_members():
    assert {"setYear", "map"} <= {m for _, m in MEMBERS}


LAYOUT = layout_paths()


@pytest.mark.parametrize("path, line", LAYOUT, ids=[p for p, _ in LAYOUT])
def test_layout_paths_exist(path, line):
    matches = list(ROOT.glob(path.rstrip("/")))
    exists = matches and (not path.endswith("/") or all(m.is_dir() for m in matches))
    assert exists, f"README.md's Layout names {path}, which does not exist (line: {line!r})"


def test_the_layout_is_read():
    paths = {p for p, _ in LAYOUT}
    assert {"manage.py", "atlas/", "atlas/settings.py", "geodata/", "tests/"} <= paths
    assert any(p.startswith("atlas/management/commands/") and p.endswith(".py") for p in paths)


FILES = sorted(set(named_files()))


@pytest.mark.parametrize("doc, path", FILES, ids=ids(FILES))
def test_named_files_exist(doc, path):
    here = (ROOT / doc).parent
    assert (here / path).exists() or (ROOT / path).exists(), f"{doc} names {path}, which is missing"


PYTHON_NAMES = sorted(set(python_names()))


@pytest.mark.parametrize("doc, name", PYTHON_NAMES, ids=ids(PYTHON_NAMES))
def test_named_python_names_exist(doc, name):
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            assert hasattr(obj, attr), f"{doc} names {name}, but {attr} is not in {obj!r}"
            obj = getattr(obj, attr)
        return
    pytest.fail(f"{doc} names {name}, which cannot be imported")  # pragma: no cover
