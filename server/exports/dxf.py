"""DXF for CAD: the site in its CGCS2000 3-degree Gauss-Krüger zone (metres), on the layers design institutes use.

Pipes carry their DN and geodesic length as text along them; a frame and title block (图签) are drawn at
the scale the printed site drawing would use, so the text is legible when plotted from model space.
"""
from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import ezdxf
import shapely
from ezdxf import units
from ezdxf.enums import TextEntityAlignment
from shapely import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.projection import site_zone_of, to_zone
from geo.scale import choose_scale
from server.exports.labels import label_placement, pipe_label
from server.exports.sheets import SurveySheet, TaskSheet

MEDIA_TYPE = "image/vnd.dxf"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Name, ACI colour. The first five are the layer names design institutes draw pipes and parcels on.
LAYERS = (("红线", 1), ("外线管道", 5), ("内线管道", 6), ("市政管道", 4), ("绿地", 3), ("表位", 2), ("标注", 7),
          ("图框", 7))
TEXT_STYLE = "宋体"
# SimSun (宋体) is the CJK font every Chinese CAD installation has; a viewer without it substitutes.
TEXT_FONT = "simsun.ttc"
TEXT_HEIGHT_MM = 3.0
FRAME_MM = (380.0, 257.0)          # the drawing area of an A3 sheet, as the PDF site drawing uses
TITLE_BLOCK_MM = (140.0, 56.0)


def write_dxf(sheet: TaskSheet) -> bytes:
    """The task's site as DXF R2010 text, UTF-8, clean under ezdxf's audit."""
    geometries = sheet.geometries()
    doc = ezdxf.new("R2010", setup=True, units=units.M)
    doc.header["$MEASUREMENT"] = 1
    doc.styles.add(TEXT_STYLE, font=TEXT_FONT)
    for name, colour in LAYERS:
        doc.layers.add(name, color=colour)
    msp = doc.modelspace()
    if geometries:
        epsg = site_zone_of(*geometries)
        drawer = _Drawer(msp, epsg, geometries)
        for survey in sheet.surveys:
            drawer.survey(survey)
        drawer.title_block(sheet)
    auditor = doc.audit()
    if auditor.has_errors:
        raise RuntimeError(f"the DXF did not pass ezdxf's audit: {[str(e.message) for e in auditor.errors]}")
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("utf-8")


class _Drawer:
    def __init__(self, msp, epsg: int, geometries: list[BaseGeometry]) -> None:
        self.msp, self.epsg = msp, epsg
        projected = [to_zone(g, epsg) for g in geometries]
        xs = [b for g in projected for b in (g.bounds[0], g.bounds[2])]
        ys = [b for g in projected for b in (g.bounds[1], g.bounds[3])]
        self.extent = (min(xs), min(ys), max(xs), max(ys))
        width, height = self.extent[2] - self.extent[0], self.extent[3] - self.extent[1]
        self.denominator = choose_scale(width, height, FRAME_MM[0], FRAME_MM[1] - TITLE_BLOCK_MM[1]) or 10000
        self.text_height = TEXT_HEIGHT_MM * self.denominator / 1000.0
        k = self.denominator / 1000.0
        # The site sits in the middle of the drawing area, which is the frame above the title block.
        min_x, min_y, max_x, max_y = self.extent
        centre = ((min_x + max_x) / 2, (min_y + max_y) / 2 - TITLE_BLOCK_MM[1] * k / 2)
        self.frame = (centre[0] - FRAME_MM[0] * k / 2, centre[1] - FRAME_MM[1] * k / 2,
                      centre[0] + FRAME_MM[0] * k / 2, centre[1] + FRAME_MM[1] * k / 2)
        self.drawing_area = (self.frame[0], self.frame[1] + TITLE_BLOCK_MM[1] * k, *self.frame[2:])

    def survey(self, survey: SurveySheet) -> None:
        if survey.red_line is not None:
            self._polygons(survey.red_line, "红线")
        if survey.green_areas is not None:
            self._polygons(survey.green_areas, "绿地", hatch=True)
        if survey.main is not None:
            self._main(survey.main)
        measured = survey.measurement
        if measured is not None:
            self._pipes(survey, measured.outside_route, "外线管道", "outside")
            self._pipes(survey, measured.inside_route, "内线管道", "inside")
        elif survey.route is not None:
            self._pipes(survey, survey.route, "外线管道", "outside")
        if survey.meter_position is not None:
            x, y = to_zone(survey.meter_position, self.epsg).coords[0]
            self.msp.add_circle((x, y), radius=self.text_height / 2, dxfattribs={"layer": "表位"})
            self._text(f"表位 DN{survey.meter_dn}" if survey.meter_dn else "表位",
                       (x + self.text_height, y - 1.5 * self.text_height), 0.0, layer="表位")

    def _polygons(self, geometry: Polygon | MultiPolygon, layer: str, *, hatch: bool = False) -> None:
        for polygon in shapely.get_parts(geometry):
            projected = to_zone(polygon, self.epsg)
            for ring in (projected.exterior, *projected.interiors):
                self.msp.add_lwpolyline(list(ring.coords)[:-1], close=True, dxfattribs={"layer": layer})
            if hatch:
                pattern = self.msp.add_hatch(color=3, dxfattribs={"layer": layer})
                pattern.set_pattern_fill("ANSI31", scale=self.denominator / 500.0)
                pattern.paths.add_polyline_path(list(projected.exterior.coords)[:-1], is_closed=True)

    def _pipes(self, survey: SurveySheet, route: BaseGeometry, layer: str, part: str) -> None:
        for line in shapely.get_parts(route):
            projected = to_zone(line, self.epsg)
            self.msp.add_lwpolyline(list(projected.coords), dxfattribs={"layer": layer})
            self._along(pipe_label(survey.utility, part, survey.pipe_dn, line), projected)

    def _main(self, main: BaseGeometry) -> None:
        """The main, cut to the drawing area: it runs on for kilometres beyond the site."""
        for line in shapely.get_parts(main):
            projected = shapely.clip_by_rect(to_zone(line, self.epsg), *self.drawing_area)
            for piece in shapely.get_parts(projected):
                if not isinstance(piece, LineString):
                    continue  # a main that only touches the frame's corner
                self.msp.add_lwpolyline(list(piece.coords), dxfattribs={"layer": "市政管道"})
                self._along("市政管道", piece)

    def _along(self, text: str, line: LineString) -> None:
        at, angle = label_placement(list(line.coords), self.text_height * 0.6)
        self._text(text, at, angle, layer="标注", align=TextEntityAlignment.BOTTOM_CENTER)

    def _text(self, text: str, at: tuple[float, float], angle: float, *, layer: str,
              align: TextEntityAlignment = TextEntityAlignment.BOTTOM_LEFT, height: float | None = None) -> None:
        entity = self.msp.add_text(text, height=height or self.text_height, rotation=angle,
                                   dxfattribs={"layer": layer, "style": TEXT_STYLE})
        entity.set_placement(at, align=align)

    def title_block(self, sheet: TaskSheet) -> None:
        """The frame round the site and, at its lower right, the title block (图签) with what identifies it."""
        k = self.denominator / 1000.0
        left, bottom, right, top = self.frame
        self.msp.add_lwpolyline([(left, bottom), (right, bottom), (right, top), (left, top)], close=True,
                                dxfattribs={"layer": "图框"})
        block_left, block_top = right - TITLE_BLOCK_MM[0] * k, bottom + TITLE_BLOCK_MM[1] * k
        rows = _title_rows(sheet, self.epsg, self.denominator)
        row_height = TITLE_BLOCK_MM[1] * k / len(rows)
        self.msp.add_lwpolyline([(block_left, bottom), (right, bottom), (right, block_top), (block_left, block_top)],
                                close=True, dxfattribs={"layer": "图框"})
        for i, (key, value) in enumerate(rows):
            y = block_top - (i + 1) * row_height
            if i < len(rows) - 1:
                self.msp.add_line((block_left, y), (right, y), dxfattribs={"layer": "图框"})
            self._text(key, (block_left + 2 * k, y + row_height * 0.25), 0.0, layer="图框", height=2.5 * k)
            self._text(value, (block_left + 30 * k, y + row_height * 0.25), 0.0, layer="图框", height=2.5 * k)
        self.msp.add_line((block_left + 28 * k, bottom), (block_left + 28 * k, block_top), dxfattribs={"layer": "图框"})


def _title_rows(sheet: TaskSheet, epsg: int, denominator: int) -> list[tuple[str, str]]:
    surveyed = sheet.surveyed_at.astimezone(SHANGHAI).strftime("%Y-%m-%d") if sheet.surveyed_at else "—"
    central_meridian = 75 + 3 * (epsg - 4534)
    return [("工程名称", f"{sheet.applicant_unit} 报装现场图"), ("申请编号", sheet.application_number),
            ("地址", sheet.address), ("踏勘组", sheet.crew_name or "—"), ("踏勘日期", surveyed),
            ("审核", sheet.engineer_name or "—"),
            ("坐标系", f"CGCS2000 3°带 中央子午线{central_meridian}°E (EPSG:{epsg})"),
            ("比例", f"1:{denominator}  单位: 米"), ("出图", datetime.now(SHANGHAI).strftime("%Y-%m-%d"))]

