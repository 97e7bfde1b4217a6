"""Re-derive the generated layers of geodata/ from their public sources."""

import importlib
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# In dependency order: the zone is buffered from the borders.
STEPS = {
    "basemap": "atlas.derive.basemap",
    "borders": "atlas.derive.borders",
    "zone": "atlas.derive.zone",
}


class Command(BaseCommand):
    help = (
        "Derive geodata/ layers from public data in installed packages: basemap (land, sea, lakes, "
        "rivers), borders (borders and territories from Natural Earth), zone (the 100-li zone "
        "of 1862). With no STEP, runs them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("steps", nargs="*", metavar="STEP", help=", ".join(STEPS))
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="geodata directory to write into (default: ATLAS_GEODATA_DIR)",
        )

    def handle(self, *args, steps, out, **options):
        unknown = [s for s in steps if s not in STEPS]
        if unknown:
            raise CommandError(f"unknown step {unknown[0]!r}; choose from {', '.join(STEPS)}")
        out = Path(out or settings.ATLAS_GEODATA_DIR)
        if not out.is_dir():
            raise CommandError(f"{out} is not a directory")
        for step in steps or list(STEPS):
            module = importlib.import_module(STEPS[step])
            started = time.perf_counter()
            self.stdout.write(f"{step}:")
            try:
                written = module.derive(out=out, progress=lambda m: self.stdout.write(f"  {m}"))
            except FileNotFoundError as exc:
                raise CommandError(f"{step}: a source is missing: {exc}") from exc
            for path in written:
                size = path.stat().st_size
                self.stdout.write(f"  wrote {path.relative_to(out)} ({size / 1024:.1f} KB)")
            self.stdout.write(f"  done in {time.perf_counter() - started:.1f} s")
