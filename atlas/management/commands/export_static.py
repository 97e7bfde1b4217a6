"""manage.py export_static DIR — the atlas as a folder of files that works from file://."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from atlas.exports.bundle import BUNDLE_ENTRIES, ExportError, export_static, is_empty


def human_size(size: int) -> str:
    for unit in ("bytes", "kB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover


class Command(BaseCommand):
    help = (
        "Write the offline bundle to DIR: every year's map, the presentation, the place and "
        "treaty pages, the API files and the static files they use, with relative links, so "
        "that DIR/index.html opens from a USB stick with no server and no network. "
        "See docs/classroom.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Where to write (created if missing).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write into a DIR that is not empty, replacing an earlier bundle's files "
            f"({', '.join(BUNDLE_ENTRIES)}); other files in DIR are left alone.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"The language of the pages (default {settings.LANGUAGE_CODE}).",
        )

    def handle(self, *args, directory: Path, force: bool = False, language=None, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file, not a folder.")
        if not force and not is_empty(directory):
            raise CommandError(
                f"{directory} is not empty. Choose an empty folder, or add --force to replace "
                "an earlier bundle there."
            )
        self.stdout.write(f"Exporting the atlas ({language}) to {directory} …")
        try:
            bundle = export_static(directory, language=language, progress=self.stdout.write)
        except ExportError as exc:
            raise CommandError(f"The bundle is incomplete: {exc}") from exc
        for address, pages in sorted(bundle.unresolved.items()):
            self.stderr.write(
                f"Warning: {address} (in {', '.join(sorted(pages)[:3])}) is not in the bundle "
                "and will not open offline."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {len(bundle.files)} files, {human_size(bundle.size)} in total. "
                f"Open {directory / 'index.html'} in a browser."
            )
        )
