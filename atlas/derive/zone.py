"""The 100-li duty-free zone of the 1862 Rules, art. 1: geodata/trade_zone.geojson.

The zone is every point within 100 li of the border in force when the Rules were signed
(4 March 1862): the Kyakhta line across Mongolia, the Argun, the Amur line of 1858 and the
eastern line of 1860, all read from borders.geojson. The lines are buffered on both sides on a
Lambert conformal conic projection (``sources.CONFORMAL``), then clipped to the land of Russia,
China and Mongolia (the zone does not run into the sea or into Korea).

The length of the li: the Qing li is 180 zhang = 576 m, so 100 li = 57.6 km. The essay says
"about 50 km" and period glosses give 48–53 km; the atlas uses the official Qing measure and the
zone's popup says so.
"""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..timerule import in_force
from . import sources
from .borders import BORDERS_FILE
from .records import BRIEF, props
from .sources import CHINA, MONGOLIA, RUSSIA

ZONE_FILE = "trade_zone.geojson"
LI_M = 576.0
WIDTH_M = 100 * LI_M
SIGNED = date(1862, 3, 4)
# The buffer is simplified in metres before it is unprojected.
ZONE_TOLERANCE_M = 500.0
SLIVER = 0.02  # degrees: a bit of land this close to a neighbour's border is a sliver
LI_SOURCE = "sizes.com, «li»: Qing li = 180 zhang = 576 m"
RULES = "Правила для сухопутной торговли 20 февраля (4 марта) 1862 г., ст. 1"


def borders_in_force(out: Path, on: date = SIGNED) -> BaseGeometry:
    """The border lines of borders.geojson in force on a date, as one (multi)line."""
    doc = json.loads((out / BORDERS_FILE).read_text(encoding="utf-8"))
    lines = []
    for f in doc["features"]:
        p = f["properties"]
        start = date.fromisoformat(p["valid_from"])
        end = date.fromisoformat(p["valid_to"]) if p["valid_to"] else None
        if in_force(start, end, on=on):
            lines.append(shape(f["geometry"]))
    return shapely.union_all(lines)


def raw_zone(border: BaseGeometry) -> BaseGeometry:
    """The border buffered by 100 li on both sides, before clipping, in lon/lat."""
    metric = sources.in_crs(border, sources.CONFORMAL)
    buffered = metric.buffer(WIDTH_M, quad_segs=16).simplify(ZONE_TOLERANCE_M)
    return buffered.to_crs(sources.WGS84).iloc[0]


def zone(border: BaseGeometry) -> BaseGeometry:
    """The zone on land: the land of Russia, China and Mongolia (no other country's), its
    coast the base map's (``basemap.detailed_land``), as the territories' (on_the_coast)."""
    from .basemap import DETAIL_MIN_AREA, detailed_land

    atlas = sources.world_atlas()
    raw = raw_zone(border)
    # The neighbours (North Korea): countries that lie in the atlas' region whole (not
    # France or Britain, whose far-flung islands unwrap across the whole map).
    others = [
        atlas.country(name)
        for name in sorted(atlas.countries)
        if name not in (RUSSIA, CHINA, MONGOLIA)
    ]
    others = shapely.union_all(
        [g for g in others if g.bounds[0] >= 60 and g.bounds[2] <= 200 and g.intersects(raw)]
    )
    # The land not another country's: its coast is the base map's. Where the base map's coast
    # and the neighbour's border differ (the Tumen's banks), the slivers left are dropped.
    found = shapely.make_valid(raw.intersection(detailed_land()).difference(others))
    parts = [p for p in getattr(found, "geoms", [found]) if p.area > 0]
    return shapely.union_all(
        [p for p in parts if p.area >= DETAIL_MIN_AREA or p.distance(others) > SLIVER]
    )


def zone_feature(geom: BaseGeometry) -> dict[str, Any]:
    return sources.feature(
        geom,
        props(
            "trade-zone-100-li",
            "trade_zone",
            {
                "ru": "Полоса беспошлинной торговли в 100 ли",
                "en": "100-li duty-free trade zone",
                "zh-hans": "百里免税贸易区",
                "zh": "百里免稅貿易區",
                "zh_simplified": "百里免税贸易区",
                "pinyin": "Bǎi lǐ miǎnshuì màoyì qū",
                "romanized": "",
                "other": [],
            },
            "1862-03-04",
            None,
            "schematic",
            [RULES, LI_SOURCE, BRIEF],
            [("rules-1862-art1", "established_by")],
            (
                "Полоса по 100 ли (57,6 км) по обе стороны границы 1862 г. Цинское ли = 180 чжан "
                "= 576 м; эссе говорит «около 50 км», глоссы того времени — 48–53 км. Атлас "
                "берёт официальную цинскую меру. Построено буфером границы на равноугольной "
                "конической проекции и обрезано по суше.",
                "A belt of 100 li (57.6 km) on each side of the border of 1862. The Qing li is "
                "180 zhang = 576 m; the essay says \u201cabout 50 km\u201d and period glosses give "
                "48\u201353 km. The atlas uses the official Qing measure. Built by buffering the "
                "border on a conformal conic projection and clipped to the land.",
                "1862年边界两侧各百里（57.6千米）的地带。清制一里为一百八十丈，合576米；文章作"
                "“约50千米”，当时的释义作48—53千米。本地图集采用清朝官定里制。以等角圆锥投影对"
                "边界作缓冲区，并按陆地裁剪。",
            ),
            width_km=WIDTH_M / 1000,
        ),
    )


def derive(*, out: Path, progress: Callable[[str], None]) -> list[Path]:
    border = borders_in_force(out)
    km = sources.length_km(border)
    progress(f"border in force on {SIGNED}: {km:,.0f} km")
    geom = zone(border)
    progress(f"zone {WIDTH_M / 1000} km each side: {sources.area_km2(geom):,} km²")
    return [sources.write_collection(out / ZONE_FILE, [zone_feature(geom)])]
