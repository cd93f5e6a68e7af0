"""Factories for tests: tenants with a user per role, and an HTTP client that speaks as one of them."""
import hashlib
import io
import os
import struct
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from server.cli import main
from server.models import Blob, Crew, CrewMember, Device, Tenant, User
from server.tokens import hash_token, new_token

ROLES = ("admin", "engineer", "dispatcher", "crew")


@dataclass
class TenantWorld:
    tenant: Tenant
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    crews: dict[str, Crew] = field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        return self.tenant.id


class TenantFactory:
    def __init__(self, session: Session):
        self.session = session

    def make(self, *, slug: str, profile_id: str) -> TenantWorld:
        tenant = Tenant(id=uuid.uuid4(), slug=slug, name=f"{slug} utility", profile_id=profile_id)
        self.session.add(tenant)
        self.session.flush()
        world = TenantWorld(tenant)
        for role in ROLES:
            self.add_user(world, role, role)
        self.add_user(world, "crew_b", "crew")
        self.add_crew(world, "crew_a", ["crew"])
        self.add_crew(world, "crew_b", ["crew_b"])
        self.session.commit()
        return world

    def add_user(self, world: TenantWorld, name: str, role: str, *, kind: str | None = None) -> User:
        user = User(tenant_id=world.id, id=uuid.uuid4(), username=name, display_name=f"{name} 测试", role=role)
        self.session.add(user)
        self.session.flush()
        world.users[name] = user
        self.add_device(world, name, name, kind=kind or ("tablet" if role == "crew" else "api"))
        return user

    def add_device(self, world: TenantWorld, device_name: str, user_name: str, *, kind: str = "tablet") -> str:
        """Another credential of a user (a second tablet); `world.tokens[device_name]` speaks with it."""
        token = new_token()
        device = Device(tenant_id=world.id, id=uuid.uuid4(), user_id=world.users[user_name].id,
                        name=f"{device_name} device", kind=kind, token_hash=hash_token(token))
        self.session.add(device)
        self.session.flush()
        world.tokens[device_name], world.devices[device_name] = token, device
        return token

    def add_crew(self, world: TenantWorld, name: str, members: list[str]) -> Crew:
        crew = Crew(tenant_id=world.id, id=uuid.uuid4(), name=name)
        self.session.add(crew)
        self.session.flush()
        self.session.add_all(CrewMember(tenant_id=world.id, crew_id=crew.id, user_id=world.users[m].id)
                             for m in members)
        self.session.flush()
        world.crews[name] = crew
        return crew


class ApiClient:
    """Flask's test client, with a bearer token chosen by user name."""

    def __init__(self, client, world: TenantWorld):
        self.client = client
        self.world = world

    def request(self, method: str, path: str, *, as_: str | None = "admin", token: str | None = None,
                headers: dict | None = None, **kwargs):
        headers = dict(headers or {})
        token = token or (self.world.tokens[as_] if as_ else None)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def square_ring(lon: float, lat: float, half_side_deg: float = 0.0005) -> list[list[float]]:
    """A closed square ring centred on (lon, lat), counter-clockwise."""
    d = half_side_deg
    return [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]


def make_measure_request(lon: float = 113.3712, lat: float = 31.6905, *, outside_deg: float = 0.002, **overrides):
    """A route from a main east of the parcel into it: `outside_deg` of longitude outside the red line."""
    start = [lon + 0.0005 + outside_deg, lat]
    body = {
        "crs": "EPSG:4490",
        "route": {"type": "LineString", "coordinates": [start, [lon + 0.0002, lat]]},
        "red_line": {"type": "Polygon", "coordinates": [square_ring(lon, lat)]},
    }
    body.update(overrides)
    return body


def make_form(version: int = 1, *, form_id: str = "meter_check", **extra_question) -> dict:
    """A small form: a required meter DN and, from v2 on, a required seal number."""
    questions = [{"type": "pipe_dn", "name": "meter_dn", "required": True,
                  "label": {"zh": "水表口径", "en": "Meter DN"}}]
    if version >= 2:
        questions.append({"type": "text", "name": "seal_no", "required": True,
                          "label": {"zh": "铅封号", "en": "Seal number"}})
    if extra_question:
        questions.append(extra_question)
    return {"form_id": form_id, "version": version, "title": {"zh": "水表核查", "en": "Meter check"},
            "questions": questions}


# The survey lifecycle: applications, surveys and moving tasks through their states.

SUIZHOU_SITE = (113.3712, 31.6905)
SANYA_SITE = (109.5115, 18.2505)
CREDIT_CODE = "91421300MA4F1234XA"


def png() -> bytes:
    """A valid 1×1 RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) \
        + chunk(b"IEND", b"")


def jpeg(size: int = 0) -> bytes:
    """A JFIF header, `size` random bytes of scan data, end of image (a large one needs S3 multipart)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + os.urandom(size) + b"\xff\xd9"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# A site photo and the applicant's signature; put_survey uploads them before the survey that names them.
EVIDENCE = {sha(content): content for content in (png(), jpeg())}
PHOTO, SIGNATURE = EVIDENCE


def upload(api, content: bytes, *, as_: str = "crew") -> str:
    """Upload a whole blob (idempotent); returns its sha256."""
    response = api.put(f"/api/v1/blobs/{sha(content)}", as_=as_, data=content)
    assert response.status_code in (200, 201), response.json
    return sha(content)


def make_application(api, *, as_: str = "dispatcher", site: tuple[float, float] = SUIZHOU_SITE, **overrides) -> dict:
    """Create a water and gas application at `site` through the API; returns it (asserts 201)."""
    body = {"applicant_unit": "随州市曾都区新能源科技有限公司", "credit_code": CREDIT_CODE,
            "address": "随州市曾都区交通大道88号", "location": {"type": "Point", "coordinates": list(site)},
            "contact_name": "陈经理", "contact_phone": "13872345678", "utilities": ["water", "gas"],
            "channel": "online", "water_demand_t_per_day": "120", "gas_pressure_kpa": "5", "gas_load_m3_per_h": "60"}
    body.update(overrides)
    response = api.post("/api/v1/applications", as_=as_, json=body)
    assert response.status_code == 201, response.json
    return response.json


def make_route(*points: tuple[float, float]) -> dict:
    return {"type": "LineString", "coordinates": [list(point) for point in points]}


def make_survey(site: tuple[float, float] = SUIZHOU_SITE, *, outside_deg: float = 0.002, **overrides) -> dict:
    """A survey body: a square red line round `site`, a route from a north-south main `outside_deg` east of it."""
    lon, lat = site
    geometry = make_measure_request(lon, lat, outside_deg=outside_deg)
    main_lon = geometry["route"]["coordinates"][0][0]
    body = {"crs": "EPSG:4490", "route": geometry["route"], "red_line": geometry["red_line"],
            "main": make_route((main_lon, lat - 0.002), (main_lon, lat + 0.002)),
            "meter_position": {"type": "Point", "coordinates": [lon + 0.0002, lat]}, "meter_dn": 40,
            "segments": [{"dn": 50, "material": "PE100", "tape_length_m": None}],
            "photos": [PHOTO], "signature": SIGNATURE, "notes": "管线沿人行道敷设"}
    body.update(overrides)
    return body


def task_path(task_id) -> str:
    return f"/api/v1/tasks/{task_id}"


def move(api, task_id, to: str, *, as_: str, **body):
    """POST a transition; returns the response."""
    return api.post(f"{task_path(task_id)}/transitions", as_=as_, json={"to": to, **body})


def put_survey(api, task_id, utility: str, body: dict, *, as_: str = "crew"):
    """PUT a survey with its current ETag, after uploading the evidence it names; returns the response."""
    named = {*(body.get("photos") or []), *(body.get("sketches") or []), body.get("signature")}
    for reference in named & EVIDENCE.keys():
        upload(api, EVIDENCE[reference], as_=as_)
    etag = api.get(f"{task_path(task_id)}/surveys/{utility}", as_=as_).headers["ETag"]
    return api.put(f"{task_path(task_id)}/surveys/{utility}", as_=as_, json=body, headers={"If-Match": etag})


# Each status, and the transition (role, body) that reaches it from the one before.
STEPS = {
    "assigned": ("dispatcher", {}),
    "on_site": ("crew", {}),
    "submitted": ("crew", {}),
    "returned": ("engineer", {"reason": "红线与规划图不符"}),
    "approved": ("engineer", {}),
    "cancelled": ("dispatcher", {"reason": "申请人撤回"}),
}
PATHS = {"new": [], "assigned": ["assigned"], "on_site": ["assigned", "on_site"],
         "submitted": ["assigned", "on_site", "submitted"],
         "returned": ["assigned", "on_site", "submitted", "returned"],
         "approved": ["assigned", "on_site", "submitted", "approved"], "cancelled": ["cancelled"]}


def task_in(api, status: str, *, site: tuple[float, float] = SUIZHOU_SITE, **application) -> str:
    """A task of crew_a brought to `status` through the API (its surveys filled on site); returns its id."""
    created = make_application(api, site=site, **application)
    task_id = created["task_id"]
    for to in PATHS[status]:
        if to == "submitted":
            for utility in created["utilities"]:
                assert put_survey(api, task_id, utility, make_survey(site)).status_code == 200
        role, body = STEPS[to]
        if to == "assigned":
            body = {"crew_id": str(api.world.crews["crew_a"].id)}
        response = move(api, task_id, to, as_=role, **body)
        assert response.status_code == 200, response.json
    return task_id


# Offline sync: pulling everything, and pushing mutations as a tablet does.

def pull_all(api, *, as_: str = "crew", cursor: str | None = None, limit: int = 500) -> tuple[list[dict], str]:
    """Pull pages until has_more is false; returns (changes, last cursor)."""
    changes = []
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(f"/api/v1/sync/pull{query}", as_=as_)
        assert response.status_code == 200, response.json
        changes += response.json["changes"]
        cursor = response.json["cursor"]
        if not response.json["has_more"]:
            return changes, cursor


def of_type(changes: list[dict], entity_type: str) -> list[dict]:
    return [c for c in changes if c["type"] == entity_type]


def mutation(entity_type: str, entity_id, op: str = "update", *, base_version: int | None = None,
             device_time: str = "2026-11-25T10:42:00+08:00", **fields) -> dict:
    """One push mutation with a fresh mutation_id."""
    return {"mutation_id": str(uuid.uuid4()), "type": entity_type, "id": str(entity_id), "op": op,
            "base_version": base_version, "device_time": device_time, "fields": fields}


def push(api, *mutations, as_: str = "crew") -> list[dict]:
    response = api.post("/api/v1/sync/push", as_=as_, json={"mutations": list(mutations)})
    assert response.status_code == 200, response.json
    return response.json["receipts"]


# Dispatch: cities, construction teams, work orders, the SLA sweep, blobs for documents.

WUHU_SITE = (118.3760, 31.3260)
XINZHENG_SITE = (113.7400, 34.3950)


def city_client(app, tenants: TenantFactory, profile_id: str) -> ApiClient:
    """A tenant under `profile_id`'s rules (a user per role, crews a and b), and a client speaking for it."""
    return ApiClient(app.test_client(), tenants.make(slug=f"{profile_id}-city", profile_id=profile_id))


def make_team(api, name: str, *, around: tuple[float, float] = SUIZHOU_SITE, half_side_deg: float = 0.05,
              utilities: tuple[str, ...] = ("water", "gas"), daily_capacity: int = 2, as_: str = "dispatcher",
              **overrides) -> dict:
    """Create a construction team whose service area is a square round `around`; returns it (asserts 201)."""
    body = {"name": name, "utilities": list(utilities), "daily_capacity": daily_capacity,
            "service_area": {"type": "Polygon", "coordinates": [square_ring(*around, half_side_deg)]}}
    body.update(overrides)
    response = api.post("/api/v1/teams", as_=as_, json=body)
    assert response.status_code == 201, response.json
    return response.json


def approved_orders(api, *, site: tuple[float, float] = SUIZHOU_SITE, **application) -> dict[str, dict]:
    """The work orders, by utility, of an application whose task crew_a took to approval."""
    task = api.get(task_path(task_in(api, "approved", site=site, **application)), as_="dispatcher").json
    response = api.get("/api/v1/work-orders", as_="dispatcher", query_string={"application_id": task["application_id"]})
    assert response.status_code == 200, response.json
    return {order["utility"]: order for order in response.json}


def move_order(api, order_id, to: str, *, as_: str = "dispatcher", **body):
    """POST a work-order transition; returns the response."""
    return api.post(f"/api/v1/work-orders/{order_id}/transitions", as_=as_, json={"to": to, **body})


def connect(api, order_id, team_id) -> dict:
    """Assign the team, start, complete and connect the work order; returns it connected."""
    response = None
    for to, body in (("assigned", {"team_id": str(team_id)}), ("in_progress", {}), ("completed", {}),
                     ("connected", {})):
        response = move_order(api, order_id, to, **body)
        assert response.status_code == 200, response.json
    return response.json


def clocks(api, application_id, *, as_: str = "dispatcher") -> dict[str, dict]:
    """The application's clocks by `utility.step`."""
    response = api.get(f"/api/v1/sla/applications/{application_id}/clocks", as_=as_)
    assert response.status_code == 200, response.json
    return {f"{clock['utility']}.{clock['step']}": clock for clock in response.json}


def sweep(app, at) -> dict[str, int]:
    """Run `tapline sla sweep --at AT` as cron does; returns its counts."""
    result = app.test_cli_runner().invoke(main, ["sla", "sweep", "--at", at.isoformat()])
    assert result.exit_code == 0, result.output
    return {name: int(count) for name, count in (pair.split("=") for pair in result.output.split())}


def stored_blob(session: Session, world: TenantWorld, content: bytes) -> str:
    """A blob the tenant has uploaded completely (as PUT /blobs leaves it); returns its sha256."""
    session.add(Blob(tenant_id=world.id, sha256=sha(content), status="complete", size=len(content),
                     received=len(content), content_type="application/pdf", completed_at=datetime.now(UTC)))
    session.flush()
    return sha(content)


# Exports: what /geo/measure says of a stored survey, the truth every export's lengths must match.

def measure_stored(api, task_id, utility: str = "water", *, as_: str = "engineer") -> dict:
    """POST /geo/measure with the stored survey's geometry (EPSG:4490); returns the measurement."""
    survey = api.get(f"{task_path(task_id)}/surveys/{utility}", as_=as_).json
    body = {"crs": "EPSG:4490", "route": survey["route"], "red_line": survey["red_line"],
            "green_areas": survey["green_areas"], **({"main": survey["main"]} if survey["main"] else {})}
    response = api.post("/api/v1/geo/measure", as_=as_, json=body)
    assert response.status_code == 200, response.json
    return response.json


def geotagged_jpeg(lon: float, lat: float, *, taken: str = "2026:11:25 10:42:00") -> bytes:
    """A small JPEG whose EXIF GPS tags put it at (lon, lat), as a tablet's camera writes them."""
    from PIL import Image

    def dms(value: float) -> tuple[float, float, float]:
        minutes = (value % 1) * 60
        return float(int(value)), float(int(minutes)), round((minutes % 1) * 60, 4)

    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lon)})
    exif.get_ifd(0x8769)[0x9003] = taken
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()
