"""The derived borders, territories and 100-li zone: reproducible, valid, and measured right."""

import json
import shutil
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
import shapely
from django.conf import settings
from django.core.management import CommandError, call_command
from pyproj import Geod
from shapely.geometry import Point, shape

from atlas.derive import borders, sources, state_records, zone

GEODATA = Path(settings.ATLAS_GEODATA_DIR)
DERIVED = [
    borders.BORDERS_FILE,
    borders.TERRITORIES_FILE,
    state_records.STATES_FILE,
    zone.ZONE_FILE,
]
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def rederived(tmp_path_factory):
    out = tmp_path_factory.mktemp("geodata")
    shutil.copy(GEODATA / "treaties.json", out)
    call_command("derive_geodata", "borders", "zone", "--out", str(out), stdout=StringIO())
    return out


def features(path: Path) -> dict[str, dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["slug"]: f for f in doc["features"]}


@pytest.mark.parametrize("name", DERIVED)
def test_derived_files_are_exactly_what_their_script_makes(rederived, name):
    assert (rederived / name).read_text(encoding="utf-8") == (GEODATA / name).read_text(
        encoding="utf-8"
    ), f"geodata/{name} differs from `manage.py derive_geodata`; re-run it and commit"


def test_an_unknown_step_is_refused_by_name():
    with pytest.raises(CommandError, match="unknown step 'bordrs'"):
        call_command("derive_geodata", "bordrs", stdout=StringIO())


def geodesic_km(line_points: np.ndarray, point: tuple[float, float]) -> float:
    """Shortest geodesic distance from a point to a densified line's vertices."""
    n = len(line_points)
    _, _, dist = GEOD.inv(
        np.full(n, point[0]), np.full(n, point[1]), line_points[:, 0], line_points[:, 1]
    )
    return float(dist.min()) / 1000


def densified(geom, step_deg: float = 0.005) -> np.ndarray:
    lines = getattr(geom, "geoms", [geom])
    return np.concatenate([np.asarray(shapely.segmentize(g, step_deg).coords) for g in lines])


def test_the_zone_edge_lies_100_li_from_the_border_measured_on_the_ellipsoid():
    border = zone.borders_in_force(GEODATA)
    raw = zone.raw_zone(border)
    line = densified(border)
    ring = max(getattr(raw, "geoms", [raw]), key=lambda p: p.area).exterior
    samples = [ring.interpolate(f, normalized=True) for f in np.linspace(0, 1, 120, endpoint=False)]
    width = zone.WIDTH_M / 1000
    distances = [geodesic_km(line, (p.x, p.y)) for p in samples]
    assert width == 57.6
    assert min(distances) >= width * 0.97, min(distances)
    assert max(distances) <= width * 1.03, max(distances)


def test_the_committed_zone_stays_within_100_li_and_reaches_it():
    border = densified(zone.borders_in_force(GEODATA))
    geom = shape(features(GEODATA / zone.ZONE_FILE)["trade-zone-100-li"]["geometry"])
    points = np.concatenate([np.asarray(p.exterior.coords) for p in getattr(geom, "geoms", [geom])])
    distances = [geodesic_km(border, tuple(p)) for p in points[:: max(1, len(points) // 300)]]
    assert max(distances) <= 57.6 * 1.03
    assert max(distances) >= 57.6 * 0.97  # inland, the zone's edge is the 100-li line itself


def test_the_zone_says_which_li_it_uses_and_why():
    props = features(GEODATA / zone.ZONE_FILE)["trade-zone-100-li"]["properties"]
    assert props["width_km"] == 57.6
    assert "576 m" in props["note"]["en"] and "about 50 km" in props["note"]["en"]
    assert props["basis"] == [{"clause": "rules-1862-art1", "role": "established_by"}]


def test_territory_areas_match_an_independent_geodesic_measurement():
    for slug, f in features(GEODATA / borders.TERRITORIES_FILE).items():
        geom = shape(f["geometry"])
        geodesic = abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
        stored = f["properties"]["area_km2"]
        # The stored area is measured before simplification and rounded to 1,000 km².
        assert abs(stored - geodesic) / geodesic < 0.02, (slug, stored, round(geodesic))


def test_territory_areas_are_the_documented_figures():
    t = {s: f["properties"] for s, f in features(GEODATA / borders.TERRITORIES_FILE).items()}
    # Documented in geodata/README.md: Aigun 640,000–720,000 km² without the Uda region,
    # the Uda basin about 60,000–75,000, the Ussuri region about 310,000–330,000 without Sakhalin.
    assert 640_000 <= t["aigun-cession"]["area_km2"] <= 720_000
    assert 55_000 <= t["uda-region"]["area_km2"] <= 80_000
    assert 300_000 <= t["ussuri-cession"]["area_km2"] <= 330_000
    assert t["ussuri-common"]["area_km2"] == t["ussuri-cession"]["area_km2"]
    # The figures historians cite, and what they include, are in the popups.
    cited = t["ussuri-cession"]["cited_areas"][0]
    assert cited["value_km2"] == 400_000 and "Sakhalin" in cited["includes"]["en"]


def test_sakhalin_is_not_part_of_the_ussuri_cession():
    geom = shape(features(GEODATA / borders.TERRITORIES_FILE)["ussuri-cession"]["geometry"])
    assert not geom.contains(Point(142.7, 50.0))  # central Sakhalin
    assert geom.contains(Point(131.95, 43.8))  # Ussuriysk
    assert geom.contains(Point(133.27, 44.17))  # Arsenyev, between Lake Khanka and the sea
    assert not geom.contains(Point(132.0, 46.5))  # west of the Ussuri: China


def test_the_lines_follow_the_rivers_the_treaties_name():
    b = {s: shape(f["geometry"]) for s, f in features(GEODATA / borders.BORDERS_FILE).items()}
    near = lambda geom, lon, lat, km: geodesic_km(densified(geom), (lon, lat)) <= km  # noqa: E731
    assert near(b["border-amur-1858"], 127.53, 50.27, 5)  # Blagoveshchensk, on the Amur
    assert near(b["border-amur-1858"], 121.51, 53.33, 2)  # begins at the Shilka–Argun confluence
    assert near(b["border-east-1860"], 132.4, 45.0, 40)  # crosses Lake Khanka
    assert near(b["border-east-1860"], 130.6, 42.45, 15)  # ends on the Tumen near its mouth
    assert near(b["border-kyakhta-1727"], 106.45, 50.35, 5)  # Kyakhta is on the line
    # The Kyakhta line of the time ran north of Tuva, not along today's Tuva–Mongolia line.
    assert not near(b["border-kyakhta-1727"], 94.0, 50.3, 50)


def test_territories_and_borders_by_period():
    t = features(GEODATA / borders.TERRITORIES_FILE)
    b = features(GEODATA / borders.BORDERS_FILE)
    common, ceded = t["ussuri-common"]["properties"], t["ussuri-cession"]["properties"]
    assert (common["valid_from"], common["valid_to"]) == ("1858-05-28", "1860-11-14")
    assert ceded["valid_from"] == "1860-11-14"
    assert b["border-stanovoy-1689"]["properties"]["valid_to"] == "1858-05-28"
    assert b["border-amur-1858"]["properties"]["valid_from"] == "1858-05-28"
    assert b["border-east-1860"]["properties"]["valid_from"] == "1860-11-14"
    assert {"clause": "aigun-1858-art1", "role": "held_in_common_by"} in common["basis"]
    assert {"clause": "peking-1860-art1-ussuri", "role": "ceded_by"} in ceded["basis"]


def test_the_natural_earth_lines_are_the_arcs_russia_and_china_share():
    atlas = sources.world_atlas()
    (line,) = [g for g in atlas.shared_boundary("Russia", "China") if g.length > 10]
    russia, china = atlas.country("Russia"), atlas.country("China")
    assert russia.is_valid and china.is_valid
    mid = line.interpolate(0.5, normalized=True)
    assert russia.boundary.distance(mid) < 1e-6 and china.boundary.distance(mid) < 1e-6
