"""The states by year as records of the atlas (geodata/states.geojson): names, dates, certainty,
sources, treaty basis, notes, area, tint and where the name goes. Their geometry is atlas/derive/
states.py's: each state is the union of its land pieces for the years it stands.
"""

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from . import sources
from .records import AIGUN, BRIEF, HAND, KYAKHTA, NE, NERCHINSK, PEKING, names, props, ru_number
from .states import Pieces, land_of, state

STATES_FILE = "states.geojson"
SHIMODA = "Симодский трактат 26 января (7 февраля) 1855 г., ст. 2"
JOSEON = "Большая российская энциклопедия, «Корея»; Encyclopaedia Britannica, «Chosŏn dynasty»"
METHOD = {
    "ru": "Площадь суши в изображённых пределах (восточнее 60° в. д.) на равновеликой конической "
    "проекции Альберса по Natural Earth 1:10m; полоса моря у берегов не учитывается.",
    "en": "Land area within the part drawn (east of 60° E) on an Albers equal-area conic "
    "projection over Natural Earth 1:10m; the strip of sea along the coast is not counted.",
    "zh-hans": "所绘部分（东经60°以东）的陆地面积，按阿尔伯斯等积圆锥投影在Natural Earth "
    "1:10m上计算；沿岸的海域带不计入。",
}
# Pale tints of Okabe & Ito's colours, told apart in every common colour vision; the states
# are the map's ground, under the cessions and the zone.
RUSSIA_FILL, QING_FILL, KOREA_FILL, JAPAN_FILL = "#E7CBDB", "#F1E49A", "#DCD8EE", "#D6EAD3"
# Where each name may go (lon, lat), in order of preference: the first that is in view and
# clear of more important names is used.
RUSSIA_AT = [(100.0, 60.5), (122.0, 58.5), (88.0, 57.5), (137.0, 61.0), (110.0, 55.0)]
AMUR_LANDS_AT = [(129.0, 52.8), (136.0, 51.3)]
USSURI_AT = [(135.4, 45.9), (132.8, 44.1)]
# The last ones name the empire close up too: north of Beijing, by Hangzhou, in Guangdong.
QING_AT = [
    (103.0, 35.0), (113.0, 32.0), (90.0, 38.0), (117.5, 42.3), (124.5, 46.5),
    (116.2, 40.9), (120.3, 30.3), (113.6, 24.6),
]  # fmt: skip
QING_NORTH_AT = [(128.5, 52.0)]


@dataclass(frozen=True)
class StateSpec:
    slug: str
    pieces: list[str]
    name: dict
    valid: tuple[str, str | None]
    sources: list[str]
    basis: list[tuple[str, str]]
    note: tuple[str, str, str]
    fill: str
    at: list[tuple[float, float]]
    importance: int
    from_precision: str = "day"
    with_common: list[str] = field(default_factory=list)  # pieces held in common, not counted


RUSSIA = names("Российская империя", "Russian Empire", "俄羅斯帝國", "俄罗斯帝国", "Éluósī dìguó")
QING = names("Цинская империя", "Qing empire", "大清", "大清", "Dà Qīng", zh_hans="清帝国")
KOREA = {**names("Корея", "Korea", "朝鮮", "朝鲜", "Cháoxiǎn"), "romanized": "Joseon"}
JAPAN = names("Япония", "Japan", "日本", "日本", "Rìběn")
NE_STATES = NE.format("Russia, China, Mongolia and Taiwan (cut by the atlas' treaty lines)")
LEFT_RU = (
    "Показана только часть империи в нынешних границах России восточнее 60° в. д.; её земли в "
    "Казахской степи, в Европе и в Америке не закрашены. Сахалин, по Симодскому трактату 1855 г. "
    "неразделённый с Японией, не учтён."
)
LEFT_EN = (
    "Only the part of the empire within today's Russia east of 60° E is drawn; its lands in the "
    "Kazakh steppe, in Europe and in America are not tinted. Sakhalin, left undivided with Japan "
    "by the Treaty of Shimoda (1855), is not counted."
)
LEFT_ZH = (
    "仅绘出帝国在今俄罗斯境内、东经60°以东的部分；其在哈萨克草原、欧洲和美洲的领土未着色。"
    "库页岛依1855年《下田条约》与日本未划分，不计入。"
)
WEST_RU = (
    "Западная граница империи (Синьцзян) была разграничена лишь в 1864 и 1881 гг.; здесь показана "
    "позднейшая линия. Остров Гонконг (британский с 1842 г.) и Макао не закрашены."
)
WEST_EN = (
    "Its western frontier (Xinjiang) was settled only in 1864 and 1881; the later line is shown. "
    "Hong Kong island (British from 1842) and Macau are not tinted."
)
WEST_ZH = (
    "其西部边界（新疆）迟至1864年和1881年才划定，此处绘出的是后来的界线。"
    "香港岛（1842年起属英国）和澳门未着色。"
)

SPECS = [
    StateSpec(
        "russian-empire-1727", ["russia"], RUSSIA, ("1727-11-01", "1858-05-28"),
        [NE_STATES, NERCHINSK, KYAKHTA, SHIMODA, HAND, BRIEF], [],
        ("Империя до Айгунского договора: граница по Аргуни, Горбице и Становому хребту "
         "(Нерчинск, 1689) и по Кяхтинской линии (1727). Земли южнее Станового хребта по Амуру — "
         "цинские, Удская область не разграничена. " + LEFT_RU,
         "The empire before the Treaty of Aigun: its border ran along the Argun, the Gorbitsa and "
         "the Stanovoy range (Nerchinsk, 1689) and along the Kyakhta line (1727). South of the "
         "Stanovoy the Amur lands were Qing; the Uda region was undelimited. " + LEFT_EN,
         "《瑷珲条约》之前的帝国：其边界沿额尔古纳河、格尔必齐河和外兴安岭（1689年《尼布楚条约》）"
         "以及恰克图界线（1727年）。外兴安岭以南的黑龙江流域属清朝；乌第河地区未划界。" + LEFT_ZH),
        RUSSIA_FILL, RUSSIA_AT, 95,
    ),
    StateSpec(
        "russian-empire-1858", ["russia", "aigun", "uda"], RUSSIA, ("1858-05-28", "1860-11-14"),
        [NE_STATES, AIGUN, KYAKHTA, SHIMODA, HAND, BRIEF],
        [("aigun-1858-art1", "established_by")],
        ("С Айгунского договора: левобережье Амура от Аргуни до моря; вопрос об Удской области "
         "снят. Уссурийский край — в общем владении с Цинской империей и не учтён (с ним около "
         "{with_common_ru} км²). " + LEFT_RU,
         "From the Treaty of Aigun: the left bank of the Amur from the Argun to the sea; the "
         "question of the Uda region lapsed. The Ussuri lands were held in common with the Qing "
         "empire and are not counted (with them, about {with_common_en} km²). " + LEFT_EN,
         "自《瑷珲条约》起：黑龙江左岸自额尔古纳河至海；乌第河地区的问题随之不复存在。"
         "乌苏里江以东地区与清朝共管，不计入（计入则约{with_common_zh}平方公里）。" + LEFT_ZH),
        RUSSIA_FILL, RUSSIA_AT + AMUR_LANDS_AT, 95, with_common=["ussuri"],
    ),
    StateSpec(
        "russian-empire-1860", ["russia", "aigun", "uda", "ussuri"], RUSSIA, ("1860-11-14", None),
        [NE_STATES, AIGUN, PEKING, KYAKHTA, SHIMODA, HAND, BRIEF],
        [("aigun-1858-art1", "established_by"), ("peking-1860-art1-ussuri", "established_by")],
        ("С Пекинского договора: и Уссурийский край, до границы по Уссури, Сунгаче, озеру Ханка и "
         "Тумэньцзяну. " + LEFT_RU,
         "From the Treaty of Peking: the Ussuri region too, to the border along the Ussuri, the "
         "Sungacha, Lake Khanka and the Tumen. " + LEFT_EN,
         "自《北京条约》起，又有乌苏里江以东地区，边界沿乌苏里江、松阿察河、兴凯湖至图们江。"
         + LEFT_ZH),
        RUSSIA_FILL, RUSSIA_AT + AMUR_LANDS_AT + USSURI_AT, 95,
    ),
    StateSpec(
        "qing-empire-1727", ["qing", "tuva", "aigun", "ussuri"], QING, ("1727-11-01", "1858-05-28"),
        [NE_STATES, NERCHINSK, KYAKHTA, HAND, BRIEF], [],
        ("Империя до Айгунского договора: по Нерчинскому договору (1689) ей принадлежали все "
         "земли южнее Станового хребта по Амуру до моря, по Кяхтинскому (1727) — Монголия и "
         "Урянхай (Тува); Удская область не разграничена. " + WEST_RU,
         "The empire before the Treaty of Aigun: under the Treaty of Nerchinsk (1689) it held all "
         "the land south of the Stanovoy range down the Amur to the sea, under the Treaty of "
         "Kyakhta (1727) Mongolia and Uriankhai (Tuva); the Uda region was undelimited. "
         + WEST_EN,
         "《瑷珲条约》之前的帝国：依《尼布楚条约》（1689年），外兴安岭以南直至黑龙江入海口的"
         "全部土地属清朝；依《恰克图条约》（1727年），蒙古和乌梁海（图瓦）属清朝；"
         "乌第河地区未划界。" + WEST_ZH),
        QING_FILL, QING_AT + QING_NORTH_AT, 95,
    ),
    StateSpec(
        "qing-empire-1858", ["qing", "tuva"], QING, ("1858-05-28", None),
        [NE_STATES, AIGUN, PEKING, KYAKHTA, HAND, BRIEF],
        [("aigun-1858-art1", "established_by"), ("peking-1860-art1-confirm", "confirmed_by")],
        ("С Айгунского договора граница идёт по Амуру. Уссурийский край до Пекинского договора "
         "(14 ноября 1860 г.) был в общем владении и здесь не учтён (с ним около "
         "{with_common_ru} км²); затем он отошёл к России. Монголия и Урянхай (Тува) — цинские. "
         + WEST_RU,
         "From the Treaty of Aigun the border runs along the Amur. The Ussuri lands, held in "
         "common until the Treaty of Peking (14 November 1860), are not counted here (with them, "
         "about {with_common_en} km²); then they passed to Russia. Mongolia and Uriankhai (Tuva) "
         "stayed Qing. " + WEST_EN,
         "自《瑷珲条约》起，边界沿黑龙江。乌苏里江以东地区在《北京条约》（1860年11月14日）之前"
         "为共管，此处不计入（计入则约{with_common_zh}平方公里），其后归俄国。"
         "蒙古和乌梁海（图瓦）仍属清朝。" + WEST_ZH),
        QING_FILL, QING_AT, 95, with_common=["ussuri"],
    ),
    StateSpec(
        "korea-joseon", ["korea"], KOREA, ("1392-01-01", None),
        [NE.format("North Korea and South Korea"), JOSEON],
        [],
        ("Королевство Чосон (1392–1897), данник Цинской империи; северная граница — по Ялуцзяну "
         "и Тумэньцзяну. Показано для ориентира.",
         "The kingdom of Joseon (1392–1897), a tributary of the Qing empire; its northern border "
         "ran along the Yalu and the Tumen. Shown for orientation.",
         "朝鲜王朝（1392—1897年），清朝的藩属国；北界沿鸭绿江和图们江。仅作参照。"),
        KOREA_FILL, [(127.8, 38.3), (127.0, 40.5)], 75, from_precision="year",
    ),
    StateSpec(
        "japan-1855", ["japan"], JAPAN, ("1855-02-07", None),
        [NE.format("Japan and Russia (the southern Kurils)"), SHIMODA, BRIEF],
        [],
        ("Япония при сёгунате Токугава. Симодский трактат (1855) провёл границу между Итурупом и "
         "Урупом и оставил Сахалин неразделённым. Королевство Рюкю (присоединено в 1879 г.) и "
         "острова Огасавара не закрашены. Показано для ориентира.",
         "Japan under the Tokugawa shogunate. The Treaty of Shimoda (1855) drew the border "
         "between Iturup and Urup and left Sakhalin undivided. The Ryukyu kingdom (annexed in "
         "1879) and the Bonin islands are not tinted. Shown for orientation.",
         "德川幕府治下的日本。《下田条约》（1855年）在择捉岛与得抚岛之间划界，库页岛未划分。"
         "琉球王国（1879年被吞并）和小笠原群岛未着色。仅作参照。"),
        JAPAN_FILL, [(138.5, 36.7), (142.8, 43.6), (131.0, 32.5)], 75,
    ),
]  # fmt: skip


def state_features(pieces: Pieces, simple: Pieces) -> list[dict[str, Any]]:
    """Every state of every period: measured on ``pieces`` (full detail), drawn from
    ``simple`` (the same pieces simplified as one coverage)."""
    out = []
    for spec in SPECS:
        km2 = sources.area_km2(land_of(pieces, spec.pieces))
        with_common = sources.area_km2(land_of(pieces, spec.pieces + spec.with_common))
        ru, en, zh = spec.note
        note = (
            ru.format(with_common_ru=ru_number(with_common)),
            en.format(with_common_en=f"{with_common:,}"),
            zh.format(with_common_zh=f"{with_common:,}"),
        )
        geom: BaseGeometry = state(simple, spec.pieces)
        out.append(
            sources.feature(
                geom,
                props(
                    spec.slug,
                    "state",
                    spec.name,
                    spec.valid[0],
                    spec.valid[1],
                    "approximate",
                    spec.sources,
                    spec.basis,
                    note,
                    from_precision=spec.from_precision,
                    area_km2=km2,
                    area_method=METHOD,
                    fill=spec.fill,
                    label={"at": [list(p) for p in spec.at], "importance": spec.importance},
                ),
            )
        )
    return out
