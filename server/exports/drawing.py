"""The printed site drawing (现场出图): one A3 landscape PDF page per task, drawn with matplotlib.

The map is in the site's CGCS2000 Gauss-Krüger zone at a standard scale (geo.scale), with scale bar,
north arrow and legend; beside it the measurement table, the determination and the clauses it rests on,
photo thumbnails, the applicant's signature and the title block. Chinese text is set in WenQuanYi Zen Hei,
a TrueType CJK font (Debian's fonts-wqy-zenhei), embedded as a subset (Type 42) so the PDF is searchable.
"""
from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib
import shapely
from matplotlib import font_manager
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, Rectangle
from PIL import Image, UnidentifiedImageError
from shapely.geometry.base import BaseGeometry

from geo.projection import site_zone_of, to_zone
from geo.scale import choose_scale, scale_bar_m
from server.exports.labels import APPROVAL_PATHS, UTILITY_NAMES, label_placement, metres, pipe_label
from server.exports.sheets import SurveySheet, TaskSheet

MEDIA_TYPE = "application/pdf"
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT_FAMILY = "WenQuanYi Zen Hei"
SHANGHAI = ZoneInfo("Asia/Shanghai")
A3_MM = (420.0, 297.0)
MM_PER_INCH = 25.4
MAP_MM = (15.0, 82.0, 270.0, 200.0)      # left, bottom, width, height of the map frame on the sheet
#: Per utility: outside and inside route colours (the red line is red, the main cyan, as in CAD).
PIPE_COLOURS = {"water": "#1f5fbf", "gas": "#d9820b"}
MAX_CLAUSES = 8
MAX_PHOTOS = 4


def write_site_drawing(sheet: TaskSheet, images: dict[str, bytes]) -> bytes:
    """The A3 PDF of the task; `images` holds the bytes of the photos and signature it shows, by sha256."""
    _register_font()
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": FONT_FAMILY, "font.size": 7, "font.weight": 500,
                                "axes.linewidth": 0.6}):
        figure = Figure(figsize=(A3_MM[0] / MM_PER_INCH, A3_MM[1] / MM_PER_INCH))
        FigureCanvasPdf(figure)
        _Sheet(figure, sheet, images).draw()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="pdf", metadata={"Title": f"报装现场图 {sheet.application_number}",
                                                       "Creator": "Tapline"})
    return buffer.getvalue()


def _register_font() -> None:
    if not FONT_PATH.exists():
        raise RuntimeError(f"{FONT_PATH} is missing: scripts/install-system-deps.sh installs fonts-wqy-zenhei")
    if FONT_FAMILY not in {font.name for font in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_PATH))


def _axes(figure: Figure, left: float, bottom: float, width: float, height: float, *, frame: bool = True):
    """Axes placed in sheet millimetres, with millimetre data coordinates inside them."""
    axes = figure.add_axes((left / A3_MM[0], bottom / A3_MM[1], width / A3_MM[0], height / A3_MM[1]))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_frame_on(frame)
    return axes


class _Sheet:
    def __init__(self, figure: Figure, sheet: TaskSheet, images: dict[str, bytes]) -> None:
        self.figure, self.sheet, self.images = figure, sheet, images
        geometries = sheet.geometries()
        self.epsg = site_zone_of(*geometries) if geometries else None
        self.denominator = None
        if geometries:
            projected = [to_zone(g, self.epsg) for g in geometries]
            self.box = shapely.total_bounds(projected)
            width, height = self.box[2] - self.box[0], self.box[3] - self.box[1]
            # 10 % of the frame is kept free round the site for labels.
            self.denominator = choose_scale(width, height, MAP_MM[2] * 0.9, MAP_MM[3] * 0.9)

    def draw(self) -> None:
        border = _axes(self.figure, 0, 0, *A3_MM, frame=False)
        border.add_patch(Rectangle((10, 10), A3_MM[0] - 20, A3_MM[1] - 20, fill=False, linewidth=1.0))
        self._map()
        self._measurements()
        self._determination()
        self._legend()
        self._photos()
        self._title_block()

    def _map(self) -> None:
        axes = _axes(self.figure, *MAP_MM)
        if self.denominator is None:
            axes.text(MAP_MM[2] / 2, MAP_MM[3] / 2, "无测绘几何 / no surveyed geometry" if self.epsg is None else
                      "场地超出 1:10000 图幅，请分段出图", ha="center", va="center", fontsize=12)
            return
        k = self.denominator / 1000.0
        centre_x, centre_y = (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2
        self.origin = (centre_x - MAP_MM[2] * k / 2, centre_y - MAP_MM[3] * k / 2)
        for i, survey in enumerate(self.sheet.surveys):
            # Water and gas often share a trench: the second utility's labels go under its line.
            self._survey(axes, survey, label_side=1 if i % 2 == 0 else -1)
        self._scale_bar(axes)
        self._north_arrow(axes)

    def _mm(self, geometry: BaseGeometry) -> BaseGeometry:
        """Lon/lat geometry to millimetres on the map frame at the drawing's scale."""
        k = self.denominator / 1000.0
        projected = to_zone(geometry, self.epsg)
        return shapely.transform(projected, lambda xy: (xy - self.origin) / k)

    def _survey(self, axes, survey: SurveySheet, *, label_side: int) -> None:
        colour = PIPE_COLOURS.get(survey.utility, "black")
        for polygon in shapely.get_parts(survey.red_line):
            axes.plot(*self._mm(polygon).exterior.xy, color="red", linewidth=1.2)
        for polygon in shapely.get_parts(survey.green_areas):
            axes.fill(*self._mm(polygon).exterior.xy, facecolor="#b7e4a0", edgecolor="#3a9a2a", hatch="///",
                      linewidth=0.6)
        for line in shapely.get_parts(survey.main):
            piece = shapely.clip_by_rect(self._mm(line), 0, 0, MAP_MM[2], MAP_MM[3])
            for part in shapely.get_parts(piece):
                if part.geom_type != "LineString":
                    continue  # a main that only touches the frame's corner
                axes.plot(*part.xy, color="#00a0b0", linewidth=2.4, solid_capstyle="butt")
                self._label(axes, "市政管道", part, "#00707b")
        measured = survey.measurement
        parts = ((measured.outside_route, "outside"), (measured.inside_route, "inside")) if measured else \
            ((survey.route, "outside"),) if survey.route is not None else ()
        for route, part in parts:
            for line in shapely.get_parts(route):
                drawn = self._mm(line)
                axes.plot(*drawn.xy, color=colour, linewidth=1.6, linestyle="-" if part == "outside" else "--")
                self._label(axes, pipe_label(survey.utility, part, survey.pipe_dn, line), drawn, colour, label_side)
        if survey.meter_position is not None:
            meter = self._mm(survey.meter_position)
            axes.plot(meter.x, meter.y, marker="s", markersize=5, markerfacecolor="white", markeredgecolor=colour)
        for number, photo in enumerate(survey.photo_points, start=1):
            point = self._mm(photo.position)
            axes.plot(point.x, point.y, marker="^", markersize=5, color="#6a3d9a")
            axes.annotate(str(number), (point.x, point.y), xytext=(3, 3), textcoords="offset points", fontsize=6)

    @staticmethod
    def _label(axes, text: str, line_mm: BaseGeometry, colour: str, side: int = 1) -> None:
        (x, y), angle = label_placement(list(line_mm.coords), 1.2 * side)
        axes.text(x, y, text, rotation=angle, rotation_mode="anchor", ha="center", va="bottom" if side > 0 else "top",
                  color=colour, fontsize=6.5)

    def _scale_bar(self, axes) -> None:
        bar_m = scale_bar_m(self.denominator, max_bar_mm=50.0)
        bar_mm = bar_m * 1000.0 / self.denominator
        x0, y0 = 8.0, 8.0
        for i in range(4):
            axes.add_patch(Rectangle((x0 + i * bar_mm / 4, y0), bar_mm / 4, 1.5, facecolor="black" if i % 2 == 0
                                     else "white", edgecolor="black", linewidth=0.5))
        for fraction in (0, 0.5, 1):
            axes.text(x0 + fraction * bar_mm, y0 + 2.5, f"{bar_m * fraction:g}", ha="center", fontsize=6)
        axes.text(x0 + bar_mm + 3, y0, f"m    比例 1:{self.denominator}", va="bottom", fontsize=8)

    def _north_arrow(self, axes) -> None:
        x, y = MAP_MM[2] - 14, MAP_MM[3] - 34
        axes.add_patch(FancyArrow(x, y, 0, 16, width=1.2, head_width=6, head_length=7, color="black"))
        axes.text(x, y + 24, "N", ha="center", va="bottom", fontsize=11)
        axes.text(x, y - 3, f"CGCS2000\n3°带 CM {75 + 3 * (self.epsg - 4534)}°E\nEPSG:{self.epsg}", ha="center",
                  va="top", fontsize=5.5)

    def _measurements(self) -> None:
        axes = _axes(self.figure, 15, 15, 130, 62)
        axes.text(3, 57, "测量成果 (大地线长度，GRS80 椭球)", fontsize=9, va="top")
        header = ("管线", "DN", "外线 m", "内线 m", "总长 m", "绿地 m²")
        columns = (3, 25, 38, 62, 86, 110)
        rows = [header]
        for survey in self.sheet.surveys:
            measured = survey.measurement
            rows.append((UTILITY_NAMES.get(survey.utility, survey.utility), str(survey.pipe_dn or "—"),
                         *((metres(measured.outside_length_m), metres(measured.inside_length_m),
                            metres(measured.total_length_m), f"{measured.green_area_m2:.2f}") if measured
                           else ("—", "—", "—", "—"))))
        for i, row in enumerate(rows):
            y = 47 - i * 7
            for x, cell in zip(columns, row, strict=True):
                axes.text(x, y, cell, fontsize=7.5, va="center")
            axes.plot([2, 128], [y - 3.5, y - 3.5], color="0.6", linewidth=0.4)

    def _determination(self) -> None:
        axes = _axes(self.figure, 148, 15, 137, 62)
        axes.text(3, 57, "政策判定", fontsize=9, va="top")
        y = 49.0
        for survey in self.sheet.surveys:
            decision = survey.decision
            name = UTILITY_NAMES.get(survey.utility, survey.utility)
            if decision is None:
                axes.text(3, y, f"{name}: 尚未判定（提交后计算）", fontsize=7)
                y -= 5
                continue
            summary = (f"{name}: {'适用' if decision.get('applicable') else '不适用'}；免费安装 "
                       f"{_yes_no(decision.get('free_installation'))}；审批路径 "
                       f"{APPROVAL_PATHS.get(decision.get('approval_path'), decision.get('approval_path'))}；"
                       f"环节 {decision.get('steps', '—')}，材料 {decision.get('materials', '—')}")
            axes.text(3, y, summary, fontsize=7)
            y -= 4.6
            decided = [e for e in decision.get("explanation", []) if e.get("status") == "decided"]
            for entry in decided[:MAX_CLAUSES]:
                axes.text(5, y, f"{entry['rule']} {entry['clause']} {entry['kind']}: {_short(entry['quote'], 44)}",
                          fontsize=6)
                y -= 3.6
            y -= 1.5

    def _legend(self) -> None:
        axes = _axes(self.figure, 292, 244, 113, 38)
        handles = [Line2D([], [], color="red", linewidth=1.2, label="建筑区划红线"),
                   Line2D([], [], color="#00a0b0", linewidth=2.4, label="市政管道"),
                   Patch(facecolor="#b7e4a0", edgecolor="#3a9a2a", hatch="///", label="绿地")]
        for utility in sorted({survey.utility for survey in self.sheet.surveys}):
            colour, name = PIPE_COLOURS.get(utility, "black"), UTILITY_NAMES.get(utility, utility)
            handles += [Line2D([], [], color=colour, linewidth=1.6, label=f"{name}外线（红线外）"),
                        Line2D([], [], color=colour, linewidth=1.6, linestyle="--", label=f"{name}内线（红线内）")]
        handles += [Line2D([], [], marker="s", linestyle="", markerfacecolor="white", markeredgecolor="black",
                           label="表位"),
                    Line2D([], [], marker="^", linestyle="", color="#6a3d9a", label="照片点")]
        axes.text(3, 35, "图例", fontsize=9, va="top")
        axes.legend(handles=handles, loc="lower left", ncols=2, frameon=False, fontsize=6.5, borderaxespad=0.5)

    def _photos(self) -> None:
        axes = _axes(self.figure, 292, 128, 113, 114)
        axes.text(3, 110, "现场照片", fontsize=9, va="top")
        photos = [sha for survey in self.sheet.surveys for sha in survey.photos if sha in self.images]
        for i, sha in enumerate(dict.fromkeys(photos).keys()):
            if i == MAX_PHOTOS:
                break
            column, row = i % 2, i // 2
            self._image(axes, sha, (3 + column * 55, 54 - row * 50, 52, 48))
        signature = next((s.signature for s in self.sheet.surveys if s.signature in self.images), None)
        box = _axes(self.figure, 292, 97, 113, 29)
        box.text(3, 25, "申请人签字", fontsize=9, va="top")
        if signature:
            self._image(box, signature, (30, 2, 80, 24))

    def _image(self, axes, sha: str, box: tuple[float, float, float, float]) -> None:
        """A thumbnail fitted into `box` (left, bottom, width, height in the axes' millimetres)."""
        left, bottom, width, height = box
        try:
            image = Image.open(io.BytesIO(self.images[sha]))
            image.thumbnail((600, 600))
        except (UnidentifiedImageError, OSError):
            # A damaged upload still passed type sniffing; the drawing says so rather than failing.
            axes.add_patch(Rectangle((left, bottom), width, height, fill=False, linestyle=":", linewidth=0.5))
            axes.text(left + width / 2, bottom + height / 2, f"图像无法读取\n{sha[:12]}", ha="center", va="center",
                      fontsize=6)
            return
        scale = min(width / image.width, height / image.height)
        w, h = image.width * scale, image.height * scale
        axes.imshow(image.convert("RGB"), extent=(left, left + w, bottom, bottom + h), interpolation="bilinear")
        axes.set_xlim(0, axes.get_xlim()[1])
        axes.set_ylim(0, axes.get_ylim()[1])

    def _title_block(self) -> None:
        sheet = self.sheet
        axes = _axes(self.figure, 292, 15, 113, 80)
        surveyed = sheet.surveyed_at.astimezone(SHANGHAI).strftime("%Y-%m-%d") if sheet.surveyed_at else "—"
        rows = [("申请编号", sheet.application_number), ("申请单位", sheet.applicant_unit), ("地址", sheet.address),
                ("报装类别", "、".join(UTILITY_NAMES.get(s.utility, s.utility) for s in sheet.surveys) or "—"),
                ("踏勘组", sheet.crew_name or "—"), ("踏勘日期", surveyed), ("审核工程师", sheet.engineer_name or "—"),
                ("比例", f"1:{self.denominator}" if self.denominator else "—"),
                ("出图日期", datetime.now(SHANGHAI).strftime("%Y-%m-%d"))]
        axes.text(56.5, 75, "用水用气报装现场图", ha="center", va="top", fontsize=12)
        row_mm = 66 / len(rows)
        for i, (key, value) in enumerate(rows):
            y = 66 - (i + 1) * row_mm
            axes.plot([0, 113], [y + row_mm, y + row_mm], color="black", linewidth=0.5)
            axes.text(2, y + row_mm / 2, key, va="center", fontsize=7)
            axes.text(24, y + row_mm / 2, _short(value, 34), va="center", fontsize=7)
        axes.plot([22, 22], [0, 66], color="black", linewidth=0.5)



def _yes_no(value) -> str:
    return {True: "是", False: "否"}.get(value, "未定")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
