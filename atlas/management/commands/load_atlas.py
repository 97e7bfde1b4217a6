"""manage.py load_atlas [DIR] — load geodata/ (or DIR) into the database, atomically."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from atlas.problems import AtlasDataError
from atlas.services import atlas_load


class Command(BaseCommand):
    help = (
        "Validate the treaties, clauses, features and events in DIR (default: geodata/) and "
        "load them in one transaction. Loading the same files again changes nothing; any "
        "invalid record aborts the load and leaves the database as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            help="The directory to load (default: ATLAS_GEODATA_DIR, i.e. geodata/).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only validate the files; write nothing.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Allow a load that deletes every record of a kind, or more than half of them "
            "(refused otherwise: most often the wrong or an emptied directory).",
        )

    def handle(
        self,
        *args,
        directory: Path | None = None,
        check: bool = False,
        prune: bool = False,
        **options,
    ):
        directory = directory or settings.ATLAS_GEODATA_DIR
        verb = "Checking" if check else "Loading"
        self.stdout.write(f"{verb} {directory} …")
        try:
            report = atlas_load(
                path=directory,
                check=check,
                prune=prune,
                progress=lambda m: self.stdout.write(f"  {m}"),
            )
        except AtlasDataError as exc:
            count = exc.total
            lines = [f"  {p}" for p in exc.problems]
            if exc.more:
                lines.append(f"  … and {exc.more:,} more")
            raise CommandError(
                f"{directory}: {count:,} problem{'s' if count != 1 else ''}, nothing was loaded:\n"
                + "\n".join(lines)
            ) from exc
        if check:
            self.stdout.write(self.style.SUCCESS("All files are valid."))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS("Loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Loaded: the database was already up to date."))
