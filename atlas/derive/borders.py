"""Borders by period and the territories they bound: geodata/borders.geojson, territories.geojson.

Where the modern Russia–China and Russia–Mongolia boundaries follow the treaty lines (the
Argun, the Amur, the Ussuri – Sungacha – Khanka – Tumen line, the Kyakhta line east of the
Sayan), the geometry is Natural Earth's, taken as the arcs both countries share. What no modern
boundary follows — the Gorbitsa and the Stanovoy watershed of 1689, the undelimited Uda region,
the Sayan north of Uriankhai (Tuva), the lower Amur below the Ussuri, the sea edges — is drawn
by hand below from the treaty descriptions and is marked approximate or schematic.

Territories are Russia's Natural Earth polygon cut by these lines, so their coasts are Natural
Earth's; their areas are measured on an Albers equal-area projection (``sources.EQUAL_AREA``).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from . import sources
from .sources import CHINA, MONGOLIA, NORTH_KOREA, RUSSIA

BORDERS_FILE = "borders.geojson"
TERRITORIES_FILE = "territories.geojson"
# Lines are simplified to 0.01° (about 1 km; a pixel at zoom 7), areas to 0.02°.
LINE_TOLERANCE = 0.01
AREA_TOLERANCE = 0.02

# Where the modern lines are cut into their historical stretches.
ARGUN_SHILKA_CONFLUENCE = (121.51, 53.33)  # the Amur begins; Peking art. 1 starts here
USSURI_MOUTH_ON_LINE = (134.69, 48.22)  # where the modern line reaches the Ussuri
KHABAROVSK = (135.07, 48.48)  # the Ussuri joins the Amur
SAYAN_EAST = 98.9  # east of this the modern Russia–Mongolia line is the Kyakhta line of 1727
SAYAN_WEST = 89.6  # the Altai west of this was settled only in 1864

# --- Drawn by hand (lon, lat) -------------------------------------------------------------------
# Nerchinsk 1689, art. 1: up the Gorbitsa, a left tributary of the Shilka, to its source, then
# along the crest of the Stone (Stanovoy) mountains towards the sea; the land between the Uda
# and those mountains left undelimited. Crest traced from relief maps; schematic.
GORBITSA_STANOVOY = [
    (119.18, 53.10),  # the Gorbitsa's mouth on the Shilka
    (118.95, 53.60),
    (118.90, 54.10),  # its source
    (119.80, 54.85),
    (121.00, 55.55),
    (123.00, 56.15),
    (125.00, 56.30),
    (127.00, 56.15),
    (129.00, 55.90),
    (131.00, 55.60),  # the watershed forks: Stanovoy north, the Amur–Uda divide south
]
UDA_NORTH = [(131.00, 55.60), (133.00, 56.10), (135.00, 56.60), (136.80, 56.70), (138.30, 56.60)]
UDA_SOUTH = [(131.00, 55.60), (132.20, 54.70), (133.60, 54.25), (134.80, 54.05), (135.60, 54.20)]
# The Shilka from the Gorbitsa's mouth down to the confluence (the cession's west edge).
SHILKA = [(119.18, 53.10), (119.90, 53.25), (120.70, 53.38), ARGUN_SHILKA_CONFLUENCE]
# The Amur below the Ussuri: the line between the Aigun cession and the Ussuri lands.
LOWER_AMUR = [
    KHABAROVSK,
    (135.55, 48.80),
    (136.10, 49.10),
    (136.55, 49.45),
    (136.85, 49.95),
    (136.95, 50.30),
    (137.05, 50.60),
    (137.45, 50.95),
    (138.15, 51.40),
    (139.10, 51.85),
    (140.00, 52.20),
    (140.45, 52.40),
    (140.55, 52.80),
    (140.70, 53.10),
    (141.15, 53.05),  # the mouth, into the Amur estuary
]
# Kyakhta 1727: from where the modern line leaves the Sayan (about 98.9° E), the border of the
# time ran along the Eastern and Western Sayan north of Uriankhai, then Qing territory, to the
# Shabin-Dabaga pass. Traced along the present northern edge of Tuva; approximate.
SAYAN_NORTH_OF_TUVA = [
    (97.70, 52.90),
    (96.50, 53.50),
    (95.20, 53.10),
    (94.00, 52.70),
    (92.60, 52.20),
    (91.30, 51.80),
    (90.30, 51.30),
    (SAYAN_WEST, 50.80),
]
# Sea edges of the cut polygons: they run off shore, through the Tatar Strait west of Sakhalin,
# which no treaty of 1858–1860 names.
SEA_NORTH = [(141.45, 53.30), (141.30, 54.40), (138.80, 55.40), (138.30, 56.60)]
SEA_SOUTH = [
    (130.70, 42.29),  # the Tumen's mouth (modern Russia – North Korea line ends here)
    (131.00, 41.80),
    (134.50, 42.20),
    (139.20, 45.50),
    (140.90, 48.50),
    (141.35, 51.80),
    (141.55, 52.30),
    (141.30, 52.95),
]
SAKHALIN_WEST_COAST = 141.6  # parts of Russia's polygon east of this (Sakhalin) are dropped

# --- Texts ------------------------------------------------------------------------------------
NE = "Natural Earth 1:10m admin-0 countries (public domain), npm world-atlas 2.0.2, shared arcs of {}"
BRIEF = "Research brief on the four treaties (FACTS.md)"
NERCHINSK = "Нерчинский договор 27 августа (6 сентября) 1689 г., ст. 1; Русско-китайские договорно-правовые акты (1689–1916)"
KYAKHTA = "Кяхтинский договор 21 октября (1 ноября) 1727 г., ст. 3; Русско-китайские договорно-правовые акты (1689–1916)"
AIGUN = "Айгунский договор 16 (28) мая 1858 г., ст. 1"
PEKING = "Пекинский договор 2 (14) ноября 1860 г., ст. 1 и 3"
HAND = "Drawn by hand from the treaty description over relief maps (schematic)"
CN_TEXTBOOK = "中国大百科全书 and PRC school history textbooks (the standard figure)"
METHOD = {
    "ru": "Площадь по полигону на равновеликой конической проекции Альберса (44° и 54° с. ш.), "
    "суша Natural Earth 1:10m; границы, не совпадающие с современными, проведены схематично.",
    "en": "Area of the polygon on an Albers equal-area conic projection (44° and 54° N) over "
    "Natural Earth 1:10m land; boundaries that no modern line follows are drawn schematically.",
}


def ru_number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def names(ru: str, en: str, zh: str = "", zh_simplified: str = "", pinyin: str = "") -> dict:
    return {
        "ru": ru,
        "en": en,
        "zh": zh,
        "zh_simplified": zh_simplified or zh,
        "pinyin": pinyin,
        "romanized": "",
        "other": [],
    }


def props(
    slug: str,
    kind: str,
    name: dict,
    valid_from: str,
    valid_to: str | None,
    certainty: str,
    source_list: list[str],
    basis: list[tuple[str, str]],
    note: tuple[str, str],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "slug": slug,
        "kind": kind,
        "name": name,
        "valid_from": valid_from,
        "valid_from_precision": "day",
        "valid_to": valid_to,
        "valid_to_precision": "day" if valid_to else None,
        "certainty": certainty,
        "sources": source_list,
        "basis": [{"clause": c, "role": r} for c, r in basis],
        "note": {"ru": note[0], "en": note[1]},
        **extra,
    }


# --- Geometry ---------------------------------------------------------------------------------


def _cut(line: LineString, at: tuple[float, float]) -> tuple[LineString, LineString]:
    """Split a line at the point of it nearest to ``at``."""
    d = line.project(Point(at))
    return substring(line, 0, d), substring(line, d, line.length)


def modern_lines(atlas: sources.TopoJSON) -> dict[str, LineString]:
    """The modern boundary stretches that follow treaty lines, in their historical parts."""
    russia_china = max(atlas.shared_boundary(RUSSIA, CHINA), key=lambda g: g.length)
    # Natural Earth stores the eastern line from the Mongolian tripoint to the Tumen.
    if russia_china.coords[0][0] > russia_china.coords[-1][0]:
        russia_china = russia_china.reverse()
    argun, rest = _cut(russia_china, ARGUN_SHILKA_CONFLUENCE)
    amur, east = _cut(rest, USSURI_MOUTH_ON_LINE)
    (mongolia,) = atlas.shared_boundary(RUSSIA, MONGOLIA)
    if mongolia.coords[0][0] > mongolia.coords[-1][0]:
        mongolia = mongolia.reverse()
    xy = np.asarray(mongolia.coords)
    start = int(np.argmax(xy[:, 0] >= SAYAN_EAST))
    kyakhta_east = LineString(xy[start:])
    (tumen,) = atlas.shared_boundary(RUSSIA, NORTH_KOREA)
    return {
        "argun": argun,
        "amur": amur,
        "east": east,
        "kyakhta_east": kyakhta_east,
        "tumen_to_sea": tumen,
    }


def _ring(*parts: list[tuple[float, float]]) -> Polygon:
    coords: list[tuple[float, float]] = []
    for part in parts:
        coords.extend(part)
    poly = Polygon(coords)
    return poly if poly.is_valid else poly.buffer(0)


def _mainland(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.centroid.x < SAKHALIN_WEST_COAST]
    return shapely.union_all(parts)


def territories(atlas: sources.TopoJSON, lines: dict[str, LineString]) -> dict[str, BaseGeometry]:
    russia = atlas.country(RUSSIA)
    amur = list(lines["amur"].coords)
    east = list(lines["east"].coords)
    tumen = list(lines["tumen_to_sea"].coords)
    if tumen[0][0] > tumen[-1][0]:
        tumen.reverse()
    # North of the Amur and south of the watershed, from the Shilka to the sea.
    aigun_clip = _ring(
        amur,
        [KHABAROVSK],
        LOWER_AMUR[1:],
        SEA_NORTH[:2],
        [(136.50, 54.70)],
        UDA_SOUTH[::-1],
        GORBITSA_STANOVOY[::-1],
        SHILKA[1:],
    )
    uda_clip = _ring(UDA_SOUTH, [(136.50, 54.70)], SEA_NORTH[2:], UDA_NORTH[::-1])
    # East of the Ussuri – Khanka – Tumen line and south of the lower Amur, to the sea.
    ussuri_clip = _ring(east, tumen, SEA_SOUTH, LOWER_AMUR[::-1], [USSURI_MOUTH_ON_LINE])
    return {
        "aigun": _mainland(russia.intersection(aigun_clip)),
        "uda": _mainland(russia.intersection(uda_clip)),
        "ussuri": _mainland(russia.intersection(ussuri_clip)),
    }


# --- Features ---------------------------------------------------------------------------------


def border_features(lines: dict[str, LineString]) -> list[dict[str, Any]]:
    simple = {k: v.simplify(LINE_TOLERANCE) for k, v in lines.items()}
    kyakhta = MultiLineString(
        [LineString(SAYAN_NORTH_OF_TUVA[::-1] + [simple["kyakhta_east"].coords[0]]),
         simple["kyakhta_east"]]
    )  # fmt: skip
    # From the confluence up the Shilka (its left bank Qing, its right bank Russian), then up
    # the Gorbitsa and along the watershed.
    stanovoy = LineString(SHILKA[::-1] + GORBITSA_STANOVOY[1:])
    uda = MultiLineString([LineString(UDA_NORTH), LineString(UDA_SOUTH)])
    return [
        sources.feature(
            simple["argun"],
            props(
                "border-argun-1689",
                "border",
                names(
                    "Граница по Аргуни (1689)",
                    "Border on the Argun (1689)",
                    "额尔古纳河界",
                    "",
                    "É'ěrgǔnà hé jiè",
                ),
                "1689-09-06",
                None,
                "exact",
                [NE.format("Russia and China"), NERCHINSK, BRIEF],
                [],
                (
                    "Нерчинский договор провёл границу по Аргуни; Пекинский договор начинает восточную границу от слияния Шилки и Аргуни, и по Аргуни она идёт поныне. Линия — современная граница по Natural Earth.",
                    "The Treaty of Nerchinsk made the Argun the border; the Treaty of Peking starts the eastern border at the confluence of the Shilka and the Argun, and along the Argun it runs to this day. The line is the modern boundary from Natural Earth.",
                ),
            ),  # fmt: skip
        ),
        sources.feature(
            stanovoy,
            props(
                "border-stanovoy-1689",
                "border",
                names(
                    "Граница по Горбице и Становому хребту (1689)",
                    "Border on the Gorbitsa and the Stanovoy range (1689)",
                    "外兴安岭界",
                    "",
                    "Wài Xīng'ān lǐng jiè",
                ),
                "1689-09-06",
                "1858-05-28",
                "schematic",
                [NERCHINSK, HAND, BRIEF],
                [],
                (
                    "По Нерчинскому договору граница шла вверх по Горбице до её истока и далее по хребту («Каменным горам») к морю. Водораздел проведён схематично. Айгунский договор (1858) перенёс границу на Амур.",
                    "Under the Treaty of Nerchinsk the border ran from the mouth of the Argun up the Shilka to the Gorbitsa, up the Gorbitsa to its source and then along the crest of the \u201cStone mountains\u201d towards the sea. The watershed is drawn schematically. The Treaty of Aigun (1858) moved the border to the Amur.",
                ),
            ),  # fmt: skip
        ),
        sources.feature(
            uda,
            props(
                "border-uda-undelimited",
                "border",
                names(
                    "Неразграниченная Удская область: её пределы",
                    "Undelimited Uda region: its limits",
                    "乌第河未定界",
                    "",
                    "Wūdì hé wèidìngjiè",
                ),
                "1689-09-06",
                "1858-05-28",
                "schematic",
                [NERCHINSK, HAND, BRIEF],
                [],
                (
                    "Нерчинский договор оставил земли между Удой и горами неразграниченными «до удобного времени». Показаны водоразделы, ограничивающие бассейн Уды, — это не граница, а пределы спорной земли.",
                    "The Treaty of Nerchinsk left the lands between the Uda and the mountains undelimited \u201cuntil a convenient time\u201d. The lines are the watersheds that bound the Uda basin: not a border but the limits of the unsettled land.",
                ),
            ),  # fmt: skip
        ),
        sources.feature(
            kyakhta,
            props(
                "border-kyakhta-1727",
                "border",
                names(
                    "Кяхтинская граница (1727)",
                    "Kyakhta border (1727)",
                    "恰克图界约线",
                    "恰克图界约线",
                    "Qiàkètú jièyuē xiàn",
                ),
                "1727-11-01",
                None,
                "approximate",
                [NE.format("Russia and Mongolia"), KYAKHTA, HAND, BRIEF],
                [],
                (
                    "Граница через Монголию по Кяхтинскому договору. Восточнее ~99° в. д. линия — современная граница России и Монголии (Natural Earth). Западнее граница шла по Саянам севернее Урянхая (Тувы), тогда цинского, до перевала Шабин-Дабага; этот участок проведён по описанию, приблизительно. Алтайский участок западнее ~89,6° в. д. разграничен лишь в 1864 г. и не показан.",
                    "The border across Mongolia under the Treaty of Kyakhta. East of about 99° E the line is the modern Russia–Mongolia boundary (Natural Earth). Further west the border ran along the Sayan north of Uriankhai (Tuva), then Qing territory, to the Shabin-Dabaga pass; that stretch is drawn from the description and is approximate. The Altai section west of about 89.6° E was settled only in 1864 and is not shown.",
                ),
            ),  # fmt: skip
        ),
        sources.feature(
            simple["amur"],
            props(
                "border-amur-1858",
                "border",
                names(
                    "Граница по Амуру (1858)",
                    "Amur border (1858)",
                    "黑龙江界",
                    "",
                    "Hēilóng jiāng jiè",
                ),
                "1858-05-28",
                None,
                "exact",
                [NE.format("Russia and China"), AIGUN, PEKING, BRIEF],
                [
                    ("aigun-1858-art1", "established_by"),
                    ("peking-1860-art1-confirm", "confirmed_by"),
                ],
                (
                    "Амур от слияния Шилки и Аргуни до устья Уссури. Линия — современная граница (Natural Earth); у Большого Уссурийского острова она следует соглашению 2004 г., а не линии XIX в.",
                    "The Amur from the confluence of the Shilka and the Argun down to the mouth of the Ussuri. The line is the modern boundary (Natural Earth); by Bolshoi Ussuriysky island it follows the 2004 agreement, not the 19th-century line.",
                ),
            ),  # fmt: skip
        ),
        sources.feature(
            simple["east"],
            props(
                "border-east-1860",
                "border",
                names(
                    "Восточная граница (1860)",
                    "Eastern border (1860)",
                    "乌苏里江—兴凯湖—图们江界",
                    "",
                    "Wūsūlǐ jiāng – Xīngkǎi hú – Túmén jiāng jiè",
                ),
                "1860-11-14",
                None,
                "exact",
                [NE.format("Russia and China"), PEKING, BRIEF],
                [
                    ("peking-1860-art1-ussuri", "established_by"),
                    ("peking-1860-art3", "established_by"),
                ],
                (
                    "Вверх по Уссури и Сунгаче, через озеро Ханка к реке Белэнхэ (Тур), по горам к Хубту и между Хуньчунем и морем к Тумэню, не далее 20 ли от его устья. Линия — современная граница (Natural Earth), размеченная по протоколу 1861 г.",
                    "Up the Ussuri and the Sungacha, across Lake Khanka to the Belenhe (Tur), along the mountains to the Hubtu, and between Hunchun and the sea to the Tumen, no more than 20 li above its mouth. The line is the modern boundary (Natural Earth), marked out under the 1861 protocol.",
                ),
            ),  # fmt: skip
        ),
    ]


def territory_features(parts: dict[str, BaseGeometry]) -> list[dict[str, Any]]:
    # Simplified together, as one coverage, so that shared edges (the lower Amur, the Amur–Uda
    # divide) stay shared: no gaps or slivers between neighbours.
    keys = list(parts)
    simplified = shapely.coverage_simplify([parts[k] for k in keys], AREA_TOLERANCE)
    simple = {k: shapely.make_valid(g) for k, g in zip(keys, simplified, strict=True)}
    aigun_km2 = sources.area_km2(parts["aigun"])
    uda_km2 = sources.area_km2(parts["uda"])
    ussuri_km2 = sources.area_km2(parts["ussuri"])
    cited_aigun = [
        {
            "value_km2": 600000,
            "includes": {
                "ru": "«свыше 600 тыс. км²»: земли к северу от Амура до Станового хребта",
                "en": "\u201cover 600,000 km²\u201d: the lands north of the Amur up to the Stanovoy range",
            },
            "source": CN_TEXTBOOK,
        },
    ]
    cited_ussuri = [
        {
            "value_km2": 400000,
            "includes": {
                "ru": "«около 400 тыс. км²»: обычно вместе с Сахалином, который договор не называет",
                "en": "\u201cabout 400,000 km²\u201d: usually counted with Sakhalin, which the treaty does not name",
            },
            "source": CN_TEXTBOOK,
        },
    ]
    return [
        sources.feature(
            simple["aigun"],
            props(
                "aigun-cession",
                "cession",
                names(
                    "Левобережье Амура (Айгунский договор)",
                    "Left bank of the Amur (Treaty of Aigun)",
                    "黑龙江以北地区",
                    "",
                    "Hēilóng jiāng yǐ běi dìqū",
                ),
                "1858-05-28",
                None,
                "approximate",
                [NE.format("Russia (land)"), AIGUN, NERCHINSK, HAND, BRIEF],
                [("aigun-1858-art1", "ceded_by"), ("peking-1860-art1-confirm", "confirmed_by")],
                (
                    f"Земли между Амуром и Становым хребтом — около {ru_number(aigun_km2)} км² без Удской области (с ней около {ru_number(aigun_km2 + uda_km2)} км²). Северная граница проведена схематично. По ст. 1 маньчжуры левобережья (Зазейский район) оставались под цинской властью.",
                    f"The lands between the Amur and the Stanovoy range: about {aigun_km2:,} km² without the Uda region (about {aigun_km2 + uda_km2:,} km² with it). The northern edge is drawn schematically. Under art. 1 the Manchu inhabitants of the left bank (the Zeya area) stayed under Qing authority.",
                ),
                area_km2=aigun_km2,
                area_method=METHOD,
                cited_areas=cited_aigun,
            ),  # fmt: skip
        ),
        sources.feature(
            simple["uda"],
            props(
                "uda-region",
                "undelimited",
                names(
                    "Удская область (не разграничена в 1689 г.)",
                    "Uda region (left undelimited in 1689)",
                    "乌第河流域",
                    "",
                    "Wūdì hé liúyù",
                ),
                "1689-09-06",
                "1858-05-28",
                "schematic",
                [NE.format("Russia (land)"), NERCHINSK, HAND, BRIEF],
                [],
                (
                    "Бассейн Уды, оставленный Нерчинским договором неразграниченным. После 1858 г. вопрос о нём не поднимался: земли к северу от Амура отошли к России. Китайские подсчёты потерь иногда включают и его.",
                    "The Uda basin, left undelimited by the Treaty of Nerchinsk. After 1858 the question lapsed: the lands north of the Amur passed to Russia. Chinese counts of the loss sometimes include it.",
                ),
                area_km2=uda_km2,
                area_method=METHOD,
            ),  # fmt: skip
        ),
        sources.feature(
            simple["ussuri"],
            props(
                "ussuri-common",
                "common_territory",
                names(
                    "Уссурийский край в общем владении",
                    "Ussuri region held in common",
                    "乌苏里江以东（共管）",
                    "乌苏里江以东（共管）",
                    "Wūsūlǐ jiāng yǐ dōng (gòngguǎn)",
                ),
                "1858-05-28",
                "1860-11-14",
                "schematic",
                [NE.format("Russia (land)"), AIGUN, HAND, BRIEF],
                [("aigun-1858-art1", "held_in_common_by")],
                (
                    "Земли между Уссури и морем, по ст. 1 Айгунского договора — в общем владении до определения границы. Западный край южнее Уссури договор не определял; здесь он показан по линии 1860 г.",
                    "The lands between the Ussuri and the sea, held in common under art. 1 of the Treaty of Aigun until the border there was fixed. The treaty did not define the western edge south of the Ussuri; it is shown along the line of 1860.",
                ),
                area_km2=ussuri_km2,
                area_method=METHOD,
                cited_areas=cited_ussuri,
            ),  # fmt: skip
        ),
        sources.feature(
            simple["ussuri"],
            props(
                "ussuri-cession",
                "cession",
                names(
                    "Уссурийский край (Пекинский договор)",
                    "Ussuri region (Treaty of Peking)",
                    "乌苏里江以东地区",
                    "",
                    "Wūsūlǐ jiāng yǐ dōng dìqū",
                ),
                "1860-11-14",
                None,
                "approximate",
                [NE.format("Russia (land)"), PEKING, HAND, BRIEF],
                [("peking-1860-art1-ussuri", "ceded_by")],
                (
                    f"Около {ru_number(ussuri_km2)} км² без Сахалина. Договор не называет Сахалин; китайские подсчёты (около 400 тыс. км²) обычно его включают.",
                    f"About {ussuri_km2:,} km² without Sakhalin. The treaty does not name Sakhalin; Chinese counts (about 400,000 km²) usually include it.",
                ),
                area_km2=ussuri_km2,
                area_method=METHOD,
                cited_areas=cited_ussuri,
            ),  # fmt: skip
        ),
    ]


def derive(*, out: Path, progress: Callable[[str], None]) -> list[Path]:
    atlas = sources.world_atlas()
    progress(f"read {sources.WORLD_ATLAS}: {len(atlas.arcs):,} arcs")
    lines = modern_lines(atlas)
    for name, line in lines.items():
        km = sources.length_km(line)
        progress(f"{name}: {len(line.coords):,} points, {km:,.0f} km")
    borders = border_features(lines)
    parts = territories(atlas, lines)
    for name, geom in parts.items():
        progress(f"{name}: {sources.area_km2(geom):,} km²")
    return [
        sources.write_collection(out / BORDERS_FILE, borders),
        sources.write_collection(out / TERRITORIES_FILE, territory_features(parts)),
    ]
