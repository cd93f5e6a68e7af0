"""Configuration from environment variables; every setting and its default is documented in the README."""
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


@dataclass
class Config:
    """Settings of one app instance. `Config.from_env()` reads them; tests build one directly."""

    DATABASE_URL: str = ""
    # Hot standbys of DATABASE_URL, comma-separated: pulls and lists read from them (docs/deployment.md).
    DATABASE_REPLICA_URLS: str = ""
    # A standby further behind the primary than this is out of rotation until it catches up.
    DB_REPLICA_MAX_LAG_SECONDS: float = 10.0
    # How often each process checks its standbys (reachable, still a standby, lag).
    DB_REPLICA_CHECK_SECONDS: float = 2.0
    # The URLs point at PgBouncer in transaction pooling mode: no server-side prepared statements.
    DB_TRANSACTION_POOLING: bool = False
    # Connections per worker: gunicorn workers x (pool + overflow) must stay below max_connections.
    DB_POOL_SIZE: int = 5
    DB_MAX_OVERFLOW: int = 5
    MAX_CONTENT_LENGTH: int = 2 * 1024 * 1024
    MAX_JSON_DEPTH: int = 64
    MAX_VERTICES: int = 10_000
    PAGE_SIZE_MAX: int = 500
    SYNC_MAX_MUTATIONS: int = 1000
    SYNC_PUSH_MAX_BYTES: int = 32 * 1024 * 1024
    # How far a tablet clock may lie behind or ahead of the server's: a tablet can stay offline for weeks, but a
    # device_time outside this window is a broken clock, and a mutation carrying it is rejected.
    SYNC_DEVICE_TIME_MAX_AGE_DAYS: int = 365
    SYNC_DEVICE_TIME_MAX_AHEAD_HOURS: int = 24
    AUTH_FAILURES_PER_MINUTE: int = 20
    # Load balancers in front of the app: their X-Forwarded-For gives rate limits the client's address.
    PROXY_HOPS: int = 0
    # Deadline alerts (docs/dispatch.md): a warning once this share of a step's time has elapsed, escalation to
    # the tenant's admins this many hours past due.
    SLA_WARNING_SHARE: float = 0.75
    SLA_ESCALATION_GRACE_HOURS: int = 24
    # The public progress query (进度查询), per client address.
    PROGRESS_QUERIES_PER_MINUTE: int = 10
    # `tapline worker` (docs/operations.md): how often it looks for due jobs and beats, each job's interval, and
    # how old a heartbeat may be before `/readyz` calls its worker dead.
    WORKER_POLL_SECONDS: float = 2.0
    WORKER_SLA_SWEEP_SECONDS: int = 60
    WORKER_BLOB_EXPIRY_SECONDS: int = 3600
    WORKER_STALE_SECONDS: int = 60
    BLOB_EXPIRE_AFTER_HOURS: int = 168
    WORKER_DELIVERY_SECONDS: int = 10
    # Notifications (docs/notifications.md): email goes out when an SMTP host is set, the webhook when its URL is.
    NOTIFY_SMTP_HOST: str = ""
    NOTIFY_SMTP_PORT: int = 587
    NOTIFY_SMTP_USER: str = ""
    NOTIFY_SMTP_PASSWORD: str = ""
    # starttls, ssl (SMTPS, usually port 465) or none (a relay on the same host only).
    NOTIFY_SMTP_TLS: str = "starttls"
    NOTIFY_MAIL_FROM: str = "tapline@localhost"
    NOTIFY_WEBHOOK_URL: str = ""
    NOTIFY_WEBHOOK_SECRET: str = ""
    NOTIFY_TIMEOUT_SECONDS: float = 10.0
    # A message is retried after 30 s, 60 s, 120 s … (at most the cap), and parked after this many failures.
    NOTIFY_MAX_ATTEMPTS: int = 8
    NOTIFY_BACKOFF_SECONDS: int = 30
    NOTIFY_BACKOFF_MAX_SECONDS: int = 3600
    NOTIFY_BATCH: int = 200
    LOG_REQUESTS: bool = True
    # XLSForm import (POST /forms/{id}/xlsform): the file's size (413 past it) and its survey + choices rows.
    XLSFORM_MAX_BYTES: int = 1024 * 1024
    XLSFORM_MAX_ROWS: int = 2000
    # A policy change preview re-evaluates at most this many open applications, the most recent first; each
    # costs ~40 ms on the 2-core box (its facts are read per application), so 300 stays well inside a request.
    POLICY_PREVIEW_MAX_APPLICATIONS: int = 300
    # Messages for a client that sends no Accept-Language: en or zh-CN (docs/operations.md).
    DEFAULT_LOCALE: str = "en"
    # A policy change preview re-evaluates at most this many open applications, the most recent first.
    POLICY_PREVIEW_MAX_APPLICATIONS: int = 2000
    # Exports (docs/exports.md): tasks one selection export takes (more is a 422 `export_too_large`).
    EXPORT_MAX_TASKS: int = 200
    # OGC API – Features: the most items one page holds (a larger `limit` gets this many).
    FEATURES_LIMIT_MAX: int = 1000
    # Constraint-layer GeoPackage uploads: file size and features of the layer read.
    IMPORT_MAX_BYTES: int = 50 * 1024 * 1024
    IMPORT_MAX_FEATURES: int = 10_000
    # Signs the console's session cookie and CSRF tokens; the same value on every app process. Empty: the
    # console refuses to sign anyone in (the API does not need it).
    SECRET_KEY: str = ""
    # Photos, sketches and signatures (docs/blobs.md): on local disk, or in an S3-compatible store with `s3`.
    BLOB_STORE: str = "local"
    BLOB_DIR: str = str(PROJECT_DIR / "var" / "blobs")
    BLOB_MAX_BYTES: int = 50 * 1024 * 1024
    BLOB_S3_ENDPOINT: str = ""
    BLOB_S3_BUCKET: str = ""
    # Empty keys fall back to boto3's own chain (AWS_* variables, instance roles).
    BLOB_S3_ACCESS_KEY: str = ""
    BLOB_S3_SECRET_KEY: str = ""
    BLOB_S3_REGION: str = "us-east-1"
    API_TITLE: str = "Tapline"
    API_VERSION: str = "v1"
    OPENAPI_VERSION: str = "3.0.3"
    OPENAPI_URL_PREFIX: str = "/docs"
    OPENAPI_JSON_PATH: str = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH: str = "/swagger"
    OPENAPI_SWAGGER_UI_URL: str = "/docs/swagger-ui/"
    OPENAPI_REDOC_PATH: str = "/redoc"
    OPENAPI_REDOC_URL: str = "https://cdn.jsdelivr.net/npm/redoc/bundles/redoc.standalone.js"
    API_SPEC_OPTIONS: dict = field(default_factory=lambda: {
        "info": {"description": "Service-connection field work (用水用气报装): surveys, geometry, policy, sync."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })

    @classmethod
    def from_env(cls) -> "Config":
        """Read `TAPLINE_*` settings and `DATABASE_URL` from the environment."""
        config = cls(DATABASE_URL=os.environ.get("DATABASE_URL", ""),
                     DATABASE_REPLICA_URLS=os.environ.get("DATABASE_REPLICA_URLS", ""))
        for f in fields(cls):
            raw = os.environ.get(f"TAPLINE_{f.name}")
            if raw is None:
                continue
            if f.type in (int, "int"):
                setattr(config, f.name, int(raw))
            elif f.type in (float, "float"):
                setattr(config, f.name, float(raw))
            elif f.type in (bool, "bool"):
                setattr(config, f.name, raw.lower() in ("1", "true", "yes", "on"))
            elif f.type in (str, "str"):
                setattr(config, f.name, raw)
        return config

    def as_flask(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}
