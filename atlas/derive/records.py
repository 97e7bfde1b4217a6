"""The derived borders and territories as records of the atlas: names, dates, certainty,
sources, treaty basis and notes, shaped as geodata/ holds them (atlas.shapes). The geometry is
atlas/derive/borders.py's.
"""

from datetime import date
from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from .. import shapes
from ..models import Feature
from . import sources
from .borders import (
    AREA_TOLERANCE,
    GORBITSA_STANOVOY,
    LINE_TOLERANCE,
    SAYAN_NORTH_OF_TUVA,
    SHILKA,
    UDA_NORTH,
    UDA_SOUTH,
)

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
    "zh-hans": "按阿尔伯斯等积圆锥投影（北纬44°和54°）在Natural Earth 1:10m陆地上计算的多边形"
    "面积；与现代边界不重合的界线为示意绘出。",
}


def ru_number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def names(
    ru: str, en: str, zh: str = "", zh_simplified: str = "", pinyin: str = "", *, zh_hans: str = ""
) -> dict:
    """A derived feature's names; its Chinese (Simplified) name, if not given, is the simplified
    characters of its Chinese name."""
    return {
        "ru": ru,
        "en": en,
        "zh-hans": zh_hans or zh_simplified or zh,
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
    note: tuple[str, str, str],
    **extra: Any,
) -> dict[str, Any]:
    """A derived feature's properties, shaped as every feature of geodata/ (atlas.shapes)."""
    feature = Feature(
        slug=slug,
        kind=kind,
        name={code: name[code] for code in ("ru", "en", "zh-hans")},
        name_zh=name.get("zh", ""),
        name_zh_simplified=name.get("zh_simplified", ""),
        name_pinyin=name.get("pinyin", ""),
        name_romanized=name.get("romanized", ""),
        other_names=name.get("other", []),
        valid_from=date.fromisoformat(valid_from),
        valid_from_precision="day",
        valid_to=date.fromisoformat(valid_to) if valid_to else None,
        valid_to_precision="day" if valid_to else "",
        certainty=certainty,
        sources=source_list,
        note={"ru": note[0], "en": note[1], "zh-hans": note[2]},
        extra=extra,
    )
    return shapes.feature_file(feature, basis=basis)["properties"]


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
                    zh_hans="额尔古纳河界（1689年）",
                ),
                "1689-09-06",
                None,
                "exact",
                [NE.format("Russia and China"), NERCHINSK, BRIEF],
                [],
                (
                    "Нерчинский договор провёл границу по Аргуни; Пекинский договор начинает восточную границу от слияния Шилки и Аргуни, и по Аргуни она идёт поныне. Линия — современная граница по Natural Earth.",
                    "The Treaty of Nerchinsk made the Argun the border; the Treaty of Peking starts the eastern border at the confluence of the Shilka and the Argun, and along the Argun it runs to this day. The line is the modern boundary from Natural Earth.",
                    "尼布楚条约以额尔古纳河为界；北京条约的东段边界始于石勒喀河与额尔古纳河汇合处，沿额尔古纳河的边界至今未变。此线为Natural Earth的现代边界。",
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
                    zh_hans="格尔必齐河—外兴安岭界（1689年）",
                ),
                "1689-09-06",
                "1858-05-28",
                "schematic",
                [NERCHINSK, HAND, BRIEF],
                [],
                (
                    "По Нерчинскому договору граница шла вверх по Горбице до её истока и далее по хребту («Каменным горам») к морю. Водораздел проведён схематично. Айгунский договор (1858) перенёс границу на Амур.",
                    "Under the Treaty of Nerchinsk the border ran from the mouth of the Argun up the Shilka to the Gorbitsa, up the Gorbitsa to its source and then along the crest of the \u201cStone mountains\u201d towards the sea. The watershed is drawn schematically. The Treaty of Aigun (1858) moved the border to the Amur.",
                    "依尼布楚条约，边界自额尔古纳河口溯石勒喀河至格尔必齐河，溯格尔必齐河至其源，再沿“石大兴安”（外兴安岭）山脊至海。分水岭为示意绘出。瑷珲条约（1858年）把边界移至黑龙江。",
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
                    zh_hans="乌第河未定界：其范围",
                ),
                "1689-09-06",
                "1858-05-28",
                "schematic",
                [NERCHINSK, HAND, BRIEF],
                [],
                (
                    "Нерчинский договор оставил земли между Удой и горами неразграниченными «до удобного времени». Показаны водоразделы, ограничивающие бассейн Уды, — это не граница, а пределы спорной земли.",
                    "The Treaty of Nerchinsk left the lands between the Uda and the mountains undelimited \u201cuntil a convenient time\u201d. The lines are the watersheds that bound the Uda basin: not a border but the limits of the unsettled land.",
                    "尼布楚条约把乌第河与山岭之间的土地留待“日后再议”。所绘为环绕乌第河流域的分水岭：不是边界，而是未定之地的范围。",
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
                    zh_hans="恰克图界约线（1727年）",
                ),
                "1727-11-01",
                None,
                "approximate",
                [NE.format("Russia and Mongolia"), KYAKHTA, HAND, BRIEF],
                [],
                (
                    "Граница через Монголию по Кяхтинскому договору. Восточнее ~99° в. д. линия — современная граница России и Монголии (Natural Earth). Западнее граница шла по Саянам севернее Урянхая (Тувы), тогда цинского, до перевала Шабин-Дабага; этот участок проведён по описанию, приблизительно. Алтайский участок западнее ~89,6° в. д. разграничен лишь в 1864 г. и не показан.",
                    "The border across Mongolia under the Treaty of Kyakhta. East of about 99° E the line is the modern Russia–Mongolia boundary (Natural Earth). Further west the border ran along the Sayan north of Uriankhai (Tuva), then Qing territory, to the Shabin-Dabaga pass; that stretch is drawn from the description and is approximate. The Altai section west of about 89.6° E was settled only in 1864 and is not shown.",
                    "依恰克图条约经过蒙古的边界。约东经99°以东，此线为现代俄蒙边界（Natural Earth）。以西，边界沿萨彦岭，在当时属清朝的乌梁海（图瓦）以北，至沙宾达巴哈山口；这一段据条约描述绘出，位置大致。约东经89.6°以西的阿尔泰段迟至1864年才划定，未予绘出。",
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
                    zh_hans="黑龙江界（1858年）",
                ),
                "1858-05-28",
                None,
                "approximate",
                [NE.format("Russia and China"), AIGUN, PEKING, BRIEF],
                [
                    ("aigun-1858-art1", "established_by"),
                    ("peking-1860-art1-confirm", "confirmed_by"),
                ],
                (
                    "Амур от слияния Шилки и Аргуни до устья Уссури. Линия приблизительна: это современная граница (Natural Earth), а не линия 1858 г. — договор называл реку, а не линию по ней; у Большого Уссурийского острова она следует соглашению 2004 г.",
                    "The Amur from the confluence of the Shilka and the Argun down to the mouth of the Ussuri. The line is approximate: it is the modern boundary (Natural Earth), not a line of 1858 — the treaty named the river, not a line in it; by Bolshoi Ussuriysky island it follows the 2004 agreement.",
                    "黑龙江自石勒喀河与额尔古纳河汇合处至乌苏里江口。此线位置大致：它是现代边界（Natural Earth），而非1858年的界线——条约只指明河流，未在河中划线；在黑瞎子岛（大乌苏里岛）一带依2004年的协定。",
                ),
            ),  # fmt: skip
        ),
        sources.feature(
            simple["east_1860"],
            props(
                "border-east-1860",
                "border",
                names(
                    "Восточная граница (1860)",
                    "Eastern border (1860)",
                    "乌苏里江—兴凯湖—图们江界",
                    "",
                    "Wūsūlǐ jiāng – Xīngkǎi hú – Túmén jiāng jiè",
                    zh_hans="东段边界（1860年）：乌苏里江—兴凯湖—图们江",
                ),
                "1860-11-14",
                None,
                "approximate",
                [NE.format("Russia and China"), PEKING, HAND, BRIEF],
                [
                    ("peking-1860-art1-ussuri", "established_by"),
                    ("peking-1860-art3", "established_by"),
                ],
                (
                    "Вверх по Уссури и Сунгаче, через озеро Ханка к реке Белэнхэ (Тур), по горам к Хубту и между Хуньчунем и морем к Тумэню, не далее 20 ли от его устья. Линия приблизительна: это современная граница (Natural Earth), размеченная по протоколу 1861 г. и позднейшим соглашениям; её южный конец проведён от руки к точке около 20 ли (11,5 км) выше устья Тумэня, как в договоре, а не к нынешнему стыку границ с Кореей.",
                    "Up the Ussuri and the Sungacha, across Lake Khanka to the Belenhe (Tur), along the mountains to the Hubtu, and between Hunchun and the sea to the Tumen, no more than 20 li above its mouth. The line is approximate: it is the modern boundary (Natural Earth), marked out under the 1861 protocol and later agreements; its southern end is drawn by hand to a point about 20 li (11.5 km) above the Tumen's mouth, as the treaty says, not to today's tripoint with Korea.",
                    "溯乌苏里江及松阿察河而上，越兴凯湖至白棱河（图尔河），沿山岭至瑚布图河，再由珲春与海之间至图们江，距江口不过二十里。此线位置大致：它是依1861年记文及其后协定勘定的现代边界（Natural Earth）；其南端按条约所说，以手绘连至图们江口上游约二十里（11.5千米）处，而非今日与朝鲜的三国交界点。",
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
                "zh-hans": "“60余万平方千米”：黑龙江以北至外兴安岭的土地",
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
                "zh-hans": "“约40万平方千米”：通常连同条约未提及的库页岛一并计算",
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
                    zh_hans="黑龙江以北地区（瑷珲条约）",
                ),
                "1858-05-28",
                None,
                "approximate",
                [NE.format("Russia (land)"), AIGUN, NERCHINSK, HAND, BRIEF],
                [("aigun-1858-art1", "ceded_by"), ("peking-1860-art1-confirm", "confirmed_by")],
                (
                    f"Земли между Амуром и Становым хребтом — около {ru_number(aigun_km2)} км² без Удской области (с ней около {ru_number(aigun_km2 + uda_km2)} км²). Эта площадь включает и полосу к северу от Шилки между Горбицей и слиянием Шилки с Аргунью, цинскую по Нерчинскому договору; цифры историков (свыше 600 тыс. км²) считают земли по Амуру. Северная граница проведена схематично. По ст. 1 маньчжуры левобережья (Зазейский район) оставались под цинской властью.",
                    f"The lands between the Amur and the Stanovoy range: about {aigun_km2:,} km² without the Uda region (about {aigun_km2 + uda_km2:,} km² with it). The area includes the strip north of the Shilka between the Gorbitsa and the Argun–Shilka confluence, Qing under the Treaty of Nerchinsk; the figures historians cite (over 600,000 km²) count the lands along the Amur. The northern edge is drawn schematically. Under art. 1 the Manchu inhabitants of the left bank (the Zeya area) stayed under Qing authority.",
                    f"黑龙江与外兴安岭之间的土地：不计乌第河流域约{aigun_km2:,}平方千米（计入则约{aigun_km2 + uda_km2:,}平方千米）。此面积亦包括石勒喀河以北、格尔必齐河与石勒喀—额尔古纳汇合处之间依尼布楚条约属清朝的地带；史家所引数字（60余万平方千米）计算的是黑龙江沿岸的土地。北缘为示意绘出。依第一条，左岸（精奇里江一带）的满洲居民仍归清朝管辖。",
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
                    zh_hans="乌第河流域（1689年未定界）",
                ),
                "1689-09-06",
                "1858-05-28",
                "schematic",
                [NE.format("Russia (land)"), NERCHINSK, HAND, BRIEF],
                [],
                (
                    "Бассейн Уды, оставленный Нерчинским договором неразграниченным. После 1858 г. вопрос о нём не поднимался: земли к северу от Амура отошли к России. Китайские подсчёты потерь иногда включают и его.",
                    "The Uda basin, left undelimited by the Treaty of Nerchinsk. After 1858 the question lapsed: the lands north of the Amur passed to Russia. Chinese counts of the loss sometimes include it.",
                    "尼布楚条约留为未定界的乌第河流域。1858年以后此问题不再提起：黑龙江以北的土地已归俄国。中国对损失的计算有时也把它计入。",
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
                    "乌苏里江与海之间的土地，依瑷珲条约第一条在边界确定之前由两国共管。条约未规定乌苏里江以南的西缘；此处按1860年的界线绘出。",
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
                    zh_hans="乌苏里江以东地区（北京条约）",
                ),
                "1860-11-14",
                None,
                "approximate",
                [NE.format("Russia (land)"), PEKING, HAND, BRIEF],
                [("peking-1860-art1-ussuri", "ceded_by")],
                (
                    f"Около {ru_number(ussuri_km2)} км² без Сахалина. Договор не называет Сахалин; китайские подсчёты (около 400 тыс. км²) обычно его включают.",
                    f"About {ussuri_km2:,} km² without Sakhalin. The treaty does not name Sakhalin; Chinese counts (about 400,000 km²) usually include it.",
                    f"不计库页岛约{ussuri_km2:,}平方千米。条约未提及库页岛；中国的计算（约40万平方千米）通常把它计入。",
                ),
                area_km2=ussuri_km2,
                area_method=METHOD,
                cited_areas=cited_ussuri,
            ),  # fmt: skip
        ),
    ]
