"""Demo work for `make run`: applications in four seed cities driven through the real services.

Each lands in a different decision — free installation in Suizhou, filing and escalation in Jingmen,
notify-and-commit and tolerant parallel approval in Sanya, commitment filing in Wuhu — next to a river and
a railway so a crossing shows. The Suizhou one is approved, so its work order awaits the demo's
construction team.
"""
import math

from sqlalchemy.orm import Session

from schemas.applications import ApplicationSchema
from schemas.dispatch import TeamSchema
from schemas.surveys import SurveyWriteSchema
from server.auth import Principal
from server.services import applications, constraints, surveys, tasks, teams

# (profile, site lon/lat, metres of route outside the red line, applicant, address)
DEMO_SITES = [
    ("suizhou", (113.3712, 31.6905), 150, "随州市曾都区新能源科技有限公司", "随州市曾都区交通大道88号"),
    ("jingmen", (112.2039, 31.0354), 180, "荆门市掇刀区精密制造有限公司", "荆门市掇刀区白庙路16号"),
    ("jingmen", (112.2101, 31.0402), 420, "荆门市东宝区物流园有限公司", "荆门市东宝区长宁大道9号"),
    ("sanya", (109.5115, 18.2505), 160, "三亚市吉阳区酒店管理有限公司", "三亚市吉阳区迎宾路300号"),
    ("sanya", (109.5202, 18.2551), 320, "三亚市天涯区海产品加工有限公司", "三亚市天涯区三亚湾路58号"),
    ("wuhu", (118.3760, 31.3260), 90, "芜湖市镜湖区新材料有限公司", "芜湖市镜湖区北京中路200号"),
]
# A river the Suizhou route crosses, and a railway near it that it does not.
DEMO_CONSTRAINTS = [
    {"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
     "geometry": {"type": "LineString", "coordinates": [[113.3730, 31.6850], [113.3728, 31.6960]]}},
    {"type": "Feature", "properties": {"layer": "railway", "name": "汉丹铁路"},
     "geometry": {"type": "LineString", "coordinates": [[113.3600, 31.7000], [113.3900, 31.7020]]}},
]
DEMO_TEAM = {"name": "曾都区第一施工队", "utilities": ["water", "gas"], "daily_capacity": 3,
             "service_area": {"type": "Polygon", "coordinates": [[[113.30, 31.64], [113.45, 31.64], [113.45, 31.75],
                                                                  [113.30, 31.75], [113.30, 31.64]]]}}
METRES_PER_DEGREE = 111_320.0


def seed_demo_work(session: Session, people: dict[str, Principal], crew_id, max_vertices: int) -> None:
    """Applications through intake, assignment, the survey on site and submission, as a crew would."""
    tenant_id = people["admin"].tenant_id
    constraints.import_features(session, tenant_id, features=DEMO_CONSTRAINTS, crs="EPSG:4490", replace=True,
                                max_vertices=max_vertices)
    teams.create_team(session, people["admin"], TeamSchema().load(DEMO_TEAM), max_vertices=max_vertices)
    for profile_id, site, outside_m, applicant, address in DEMO_SITES:
        application = applications.create_application(session, people["dispatcher"], ApplicationSchema().load({
            "profile_id": profile_id, "applicant_unit": applicant, "address": address,
            "location": {"type": "Point", "coordinates": list(site)}, "contact_name": "陈经理",
            "contact_phone": "13872345678", "utilities": ["water"], "channel": "online",
            "customer_class": "enterprise", "business_type": "new", "water_demand_t_per_day": "120"}))
        task_id = application["task_id"]
        tasks.transition(session, people["dispatcher"], task_id, "assigned", crew_id=crew_id)
        tasks.transition(session, people["crew"], task_id, "on_site")
        task, survey = surveys.editable_survey(session, people["crew"], task_id, "water")
        surveys.replace_survey(session, people["crew"], task, survey,
                               SurveyWriteSchema().load(_survey_body(site, outside_m)), max_vertices=max_vertices)
        tasks.transition(session, people["crew"], task_id, "submitted")
        if profile_id == "suizhou":
            # Approved, so its work order waits for a dispatcher to pick the suggested team.
            tasks.transition(session, people["engineer"], task_id, "approved")


def _survey_body(site: tuple[float, float], outside_m: float) -> dict:
    """A 100 m square parcel round the site and a route from a main `outside_m` east of its edge."""
    lon, lat = site
    half = 50 / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    half_lat = 50 / METRES_PER_DEGREE
    main_lon = lon + half + outside_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    ring = [[lon - half, lat - half_lat], [lon + half, lat - half_lat], [lon + half, lat + half_lat],
            [lon - half, lat + half_lat], [lon - half, lat - half_lat]]
    return {"crs": "EPSG:4490", "red_line": {"type": "Polygon", "coordinates": [ring]},
            "route": {"type": "LineString", "coordinates": [[main_lon, lat], [lon + half / 2, lat]]},
            "main": {"type": "LineString",
                     "coordinates": [[main_lon, lat - 3 * half_lat], [main_lon, lat + 3 * half_lat]]},
            "meter_dn": 40, "meter_position": {"type": "Point", "coordinates": [lon + half / 2, lat]},
            "segments": [{"dn": 50, "material": "PE100", "tape_length_m": str(round(outside_m + 25))}],
            "tree_felling": False, "traffic_safety_impact": False, "notes": "演示数据：管线沿人行道敷设"}
