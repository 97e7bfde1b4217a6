"""Exports never lose what was there: each is written whole into a scratch folder beside its
target and moved in only when complete; a target keeps a manifest of what an export put in it,
and only those entries are ever replaced or removed. Everything else in the folder is left as
it is, and a folder that holds entries of the same names that no export wrote is refused.
"""

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MANIFEST = ".treaty-atlas-export.json"

ERR_NOT_OURS = (
    "{target} already holds {names}, which no export of the atlas wrote there "
    "(it has no {manifest}); choose an empty folder"
)
ERR_WRITE = "could not write the export ({detail}); {target} was left as it was"
ERR_NOT_DIR = "{target} exists and is not a folder"


class StagingError(Exception):
    """The export cannot go into its target; nothing in the target was changed."""


def manifest(target: Path, kind: str) -> list[str] | None:
    """The entries an earlier export of ``kind`` wrote into ``target``, or None."""
    try:
        doc = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("kind") != kind:
        return None
    entries = doc.get("entries")
    ok = isinstance(entries, list) and all(isinstance(e, str) and "/" not in e for e in entries)
    return entries if ok else None


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A scratch folder beside ``target`` (same file system, so moving in is a rename); removed
    afterwards whatever happens. A failure to write (a full disk) changes nothing in target."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise StagingError(ERR_NOT_DIR.format(target=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield scratch
    except OSError as exc:
        raise StagingError(ERR_WRITE.format(detail=exc.strerror or exc, target=target)) from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def move_in(scratch: Path, target: Path, *, kind: str, replace: set[str] | None = None) -> None:
    """Move every entry of ``scratch`` into ``target``.

    An entry of the same name already in ``target`` is replaced only if an earlier export of
    ``kind`` wrote it (its manifest lists it) or it is in ``replace`` (names the caller may
    overwrite); otherwise nothing moves and StagingError says why. Entries the earlier export
    wrote that this one does not are removed; nothing else in ``target`` is touched.
    """
    target.mkdir(parents=True, exist_ok=True)
    new = sorted(p.name for p in scratch.iterdir())
    earlier = set(manifest(target, kind) or [])
    allowed = earlier | (replace or set())
    clash = [n for n in new if (target / n).exists() and n not in allowed]
    if clash:
        names = ", ".join(clash[:5]) + (" …" if len(clash) > 5 else "")
        raise StagingError(ERR_NOT_OURS.format(target=target, names=names, manifest=MANIFEST))
    trash = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    moved: list[tuple[Path, Path]] = []
    try:
        for name in sorted((set(new) & allowed) | (earlier - set(new))):
            if (target / name).exists() or (target / name).is_symlink():
                os.replace(target / name, trash / name)
                moved.append((trash / name, target / name))
        for name in new:
            os.replace(scratch / name, target / name)
    except OSError:
        for name in new:  # put the earlier export back as it was
            if (target / name).exists() and not (scratch / name).exists():
                os.replace(target / name, scratch / name)
        for old, place in moved:
            os.replace(old, place)
        raise
    finally:
        shutil.rmtree(trash, ignore_errors=True)
    (target / MANIFEST).write_text(
        json.dumps({"kind": kind, "entries": new}, indent=2) + "\n", encoding="utf-8"
    )
