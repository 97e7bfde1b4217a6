"""manage.py export_images DIR — one PNG per year of the map, drawn by headless Chromium."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from atlas.exports.images import (
    DEFAULT_SIZE,
    ImageExportError,
    export_images,
    parse_size,
    parse_years,
)
from atlas.i18n import language_codes


class Command(BaseCommand):
    help = (
        "Write one PNG per year of the map to DIR (treaty-atlas-<year>.png), drawn by headless "
        "Chromium from /embed/<year>/ served by a temporary local server. The database must be "
        "loaded (manage.py load_atlas). See docs/classroom.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = "{}x{}".format(*DEFAULT_SIZE)
        parser.add_argument("directory", type=Path, help="Where to write (created if missing).")
        parser.add_argument(
            "--size", default=default, help=f"WIDTHxHEIGHT in pixels (default {default})."
        )
        parser.add_argument(
            "--years",
            nargs="+",
            metavar="YEAR",
            help="The years to draw, e.g. --years 1858 1860 (default: every year of the atlas).",
        )
        parser.add_argument(
            "--chromium",
            default=None,
            help="The Chromium to use (default: $ATLAS_CHROMIUM, else chromium on the PATH).",
        )
        parser.add_argument(
            "--language",
            choices=language_codes(),
            default=None,
            help=f"The language of the maps' words (default {settings.LANGUAGE_CODE}).",
        )

    def handle(self, *args, directory: Path, size: str, years, chromium, language=None, **options):
        try:
            written = export_images(
                directory,
                size=parse_size(size),
                years=parse_years(years),
                chromium=chromium,
                language=language,
                progress=self.stdout.write,
            )
        except ImageExportError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(p.stat().st_size for p in written)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(written)} images, {total / 1024:.0f} kB in total.")
        )
