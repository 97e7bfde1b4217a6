"""manage.py export_atlas DIR — write the whole atlas to DIR in the geodata/ format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atlas.exports.backup import atlas_export
from atlas.problems import AtlasDataError


class Command(BaseCommand):
    help = (
        "Write the treaties, clauses, features, events and the classroom story in the "
        "database to DIR in the geodata/ format (treaties.json, events.json, one .geojson file "
        "per group of feature kinds, and story.json when there is a story), ready for "
        "`load_atlas DIR`. The export is checked with the loader before it is written. "
        "See docs/backup.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Where to write (created if missing).")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace the atlas files (*.geojson, treaties.json, events.json, story.json) "
            "already in DIR; other files are left alone.",
        )

    def handle(self, *args, directory: Path, overwrite: bool = False, **options):
        try:
            names = atlas_export(path=directory, overwrite=overwrite)
        except AtlasDataError as exc:
            raise CommandError(
                "Nothing was exported:\n" + "\n".join(f"  {p}" for p in exc.problems)
            ) from exc
        self.stdout.write(f"Exported to {directory}: {', '.join(names)}")
        self.stdout.write(self.style.SUCCESS("Exported."))
