import math

import pytest

from atlas import geo


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def test_a_valid_polygon_is_returned_as_shapely():
    ring = [[130, 45], [134, 45], [134, 48], [130, 48], [130, 45]]
    geom = geo.parse_geometry({"type": "Polygon", "coordinates": [ring]})
    assert geom.geom_type == "Polygon"
    assert geom.is_valid


@pytest.mark.parametrize(
    ("geometry", "message_start"),
    [
        ("POINT (121 31)", geo.ERR_NOT_OBJECT),
        ({"type": "GeometryCollection", "geometries": []}, "geometry type 'GeometryCollection'"),
        ({"type": "Point", "coordinates": []}, geo.ERR_EMPTY),
        ({"type": "Point", "coordinates": [121.0]}, "geometry has malformed coordinates"),
        (point(121.47, math.nan), "coordinate [121.47, nan] is not a finite number"),
        (point("121", 31), "coordinate ['121', 31] is not a finite number"),
        (point(31.23, 121.47), "latitude 121.47 is outside -90..90"),
        (point(200, 31), "longitude 200 is outside -180..180"),
        (point(2.35, 48.85), "coordinate [2.35, 48.85] lies outside the atlas region"),
        (
            {"type": "Polygon", "coordinates": [[[130, 45], [134, 45], [134, 48], [130, 48]]]},
            geo.ERR_RING_NOT_CLOSED,
        ),
        (
            {"type": "Polygon", "coordinates": [[[130, 45], [134, 45], [130, 45]]]},
            geo.ERR_RING_TOO_SHORT,
        ),
        ({"type": "LineString", "coordinates": [[130, 45]]}, geo.ERR_LINE_TOO_SHORT),
        (
            # A bow tie: the ring crosses itself.
            {
                "type": "Polygon",
                "coordinates": [[[130, 45], [134, 48], [134, 45], [130, 48], [130, 45]]],
            },
            "geometry is not valid: Self-intersection",
        ),
    ],
)
def test_bad_geometry_is_rejected_with_a_reason(geometry, message_start):
    with pytest.raises(geo.GeometryError) as excinfo:
        geo.parse_geometry(geometry)
    assert str(excinfo.value).startswith(message_start)
