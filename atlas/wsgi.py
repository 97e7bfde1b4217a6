"""WSGI entry point (gunicorn atlas.wsgi).

A web worker renders maps with folium, which uses pandas only if it can import it (for
DataFrame input the atlas never passes). Marking pandas as absent here keeps its ~40 MB out of
every worker; the commands that build geodata with geopandas run through manage.py instead.
"""

import os
import sys

from django.core.wsgi import get_wsgi_application

sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]  # `import pandas` fails
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atlas.settings")
application = get_wsgi_application()
