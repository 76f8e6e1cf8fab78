"""ZhiYi settings. Every value comes from the environment; defaults serve the embedded setup
(SQLite in the project folder, one web process, one worker)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from zhiyi.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
ZHIYI_PRODUCTION = env_bool("ZHIYI_PRODUCTION", False)
SECRET_KEY = env_str("SECRET_KEY") or ("insecure-dev-key-change-me" if DEBUG or not ZHIYI_PRODUCTION else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when ZHIYI_PRODUCTION=1")
# Who gets Django's error mails (500s, with the traceback) when mail is configured:
# ADMINS="Ops <ops@example.com>, Other <other@example.com>".
ADMINS = [(a.split("<")[0].strip() or a, a.split("<")[-1].rstrip(">").strip())
          for a in env_list("ADMINS", [])]
SERVER_EMAIL = env_str("SERVER_EMAIL", "zhiyi@localhost")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc from static/: the API docs work offline
    "corsheaders",
    "django_q",
    "channels",
    "credits",
    "tasks",
    "jobs",
    "notifications",
    "accounts",
    "memory",
    "ops",
    "tools",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # request count, latency, status (/metrics)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.preferences.ReaderTimeZoneMiddleware",  # times in the zone the user's browser reported
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns a lockout noticed during authentication into the lockout page or API answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "zhiyi.urls"
ASGI_APPLICATION = "zhiyi.asgi.application"
WSGI_APPLICATION = "zhiyi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite: WAL lets readers run beside the single writer; IMMEDIATE transactions take the write
# lock at BEGIN, so two writers queue on the busy timeout instead of failing with
# "database is locked" when a read transaction tries to upgrade.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# Web processes under ASGI close their connection at the end of each request (a request may run
# on a thread of its own). Worker processes should keep theirs: start qcluster with
# DB_CONN_MAX_AGE=600 (scripts/run.sh and the Procfile do), or django-q2 reconnects for every job.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0))}
DB_IS_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if DB_IS_SQLITE:
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_S", 30),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests share the database with daphne / qcluster subprocesses, so it must be a file.
    import tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": env_str("ZHIYI_SQLITE_TEST_NAME") or f"{tempfile.gettempdir()}/zhiyi-test-{os.getpid()}.sqlite3"
    }
# On SQLite, django-q2's tables may live in a file of their own (ZHIYI_SQLITE_QUEUE_DB=1, next to
# the database: <name>-queue.sqlite3), so the broker's writes (pusher, monitor) stop queueing on the
# tasks' write lock; zhiyi/routers.py sends django_q there, and `migrate --database queue` creates
# it (first: the tasks app's migrations write the upkeep schedules into it).
ZHIYI_SQLITE_QUEUE_DB = DB_IS_SQLITE and env_bool("ZHIYI_SQLITE_QUEUE_DB", False)
if ZHIYI_SQLITE_QUEUE_DB:
    def _queue_file(name: str) -> str:
        path = Path(name)
        return str(path.with_name(f"{path.stem}-queue{path.suffix or '.sqlite3'}"))

    DATABASES["queue"] = {**DATABASES["default"], "NAME": _queue_file(DATABASES["default"]["NAME"]),
                          "TEST": {"NAME": _queue_file(DATABASES["default"]["TEST"]["NAME"])}}
    DATABASE_ROUTERS = ["zhiyi.routers.QueueRouter"]
if not DB_IS_SQLITE:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode, server-side cursors (QuerySet.iterator()) break.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
# LISTEN needs a session-level connection (not PgBouncer transaction mode): may point elsewhere.
ZHIYI_LISTEN_DATABASE_URL = env_str("ZHIYI_LISTEN_DATABASE_URL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if ZHIYI_PRODUCTION else
                    "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ZHIYI_MAX_UPLOAD_MB = env_int("ZHIYI_MAX_UPLOAD_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Zip-based documents: refuse decompression bombs before parsing.
ZHIYI_ZIP_MAX_UNCOMPRESSED_MB = env_int("ZHIYI_ZIP_MAX_UNCOMPRESSED_MB", 200, minimum=1)
ZHIYI_ZIP_MAX_RATIO = env_int("ZHIYI_ZIP_MAX_RATIO", 100, minimum=1)

# --- Credits and pricing --------------------------------------------------------------------
ZHIYI_WELCOME_CREDITS = env_int("ZHIYI_WELCOME_CREDITS", 1000, minimum=0)
ZHIYI_MIN_CHARGE = env_int("ZHIYI_MIN_CHARGE", 1, minimum=0)
# A "low balance" notification when the balance drops below this (0 turns it off).
ZHIYI_LOW_BALANCE_THRESHOLD = env_int("ZHIYI_LOW_BALANCE_THRESHOLD", 100, minimum=0)
# Days until the welcome grant expires (0: never).
ZHIYI_WELCOME_CREDITS_DAYS = env_int("ZHIYI_WELCOME_CREDITS_DAYS", 0, minimum=0)
# Points per 1,000 billed characters, per engine; ZHIYI_RATE_<ENGINE> overrides one.
ZHIYI_RATES = {
    name: env_int(f"ZHIYI_RATE_{name.upper()}", default, minimum=0)
    for name, default in {
        "opencc": 2, "apertium": 5, "libretranslate": 10, "openai": 30, "deepl": 40, "external": 20,
    }.items()
}

# --- Tasks and worker -----------------------------------------------------------------------
ZHIYI_TASK_MAX_ATTEMPTS = env_int("ZHIYI_TASK_MAX_ATTEMPTS", 3, minimum=1)
ZHIYI_TASK_TIMEOUT_S = env_int("ZHIYI_TASK_TIMEOUT_S", 600, minimum=5)
ZHIYI_HEARTBEAT_STALE_S = env_int("ZHIYI_HEARTBEAT_STALE_S", 120, minimum=2)
# After a retryable engine failure (engine down, overloaded) the next attempt waits this long,
# doubling each attempt (capped at 10 minutes).
ZHIYI_RETRY_BACKOFF_S = env_int("ZHIYI_RETRY_BACKOFF_S", 15, minimum=1)
# A queued task that has not moved for this long and has no job in the queue gets one again
# (its job was lost: a worker failed before it could claim the task, e.g. the database was down).
ZHIYI_QUEUED_GRACE_S = env_int("ZHIYI_QUEUED_GRACE_S", 300, minimum=1)
# Fair turns (tasks/services/turns.py): the tasks of a job are handed to the worker at most this
# many at a time per user (default: the worker count), so another user's work is next in line.
ZHIYI_TURNS_PER_USER = env_int("ZHIYI_TURNS_PER_USER", env_int("ZHIYI_Q_WORKERS", 2, minimum=1), minimum=1)
# A job (jobs/): at most this many documents, and documents × target languages.
ZHIYI_JOB_MAX_DOCUMENTS = env_int("ZHIYI_JOB_MAX_DOCUMENTS", 500, minimum=1)
ZHIYI_JOB_MAX_TASKS = env_int("ZHIYI_JOB_MAX_TASKS", 2500, minimum=1)
# `source_lang=auto` (jobs/language.py): below this confidence a document's language is not told.
ZHIYI_DETECT_MIN_CONFIDENCE = env_float("ZHIYI_DETECT_MIN_CONFIDENCE", 0.5, minimum=0.0)
# Points a task reserves while it does not move for this long are flagged (reconcile_credits,
# /metrics and its alert).
ZHIYI_STALE_RESERVATION_S = env_int("ZHIYI_STALE_RESERVATION_S", 3600, minimum=1)
# Workers count as wedged when a job has waited this long and no worker has shown life for as
# long (/healthz answers 503; `manage.py run_worker` restarts its cluster).
ZHIYI_QUEUE_STALL_S = env_int("ZHIYI_QUEUE_STALL_S", 300, minimum=1)
# `manage.py run_worker` (qcluster under a supervisor): how often it reaps, and how often it sends
# a probe job while the queue is idle.
ZHIYI_REAP_INTERVAL_S = env_float("ZHIYI_REAP_INTERVAL_S", 15, minimum=0.1)
ZHIYI_PROBE_INTERVAL_S = env_float("ZHIYI_PROBE_INTERVAL_S", 60, minimum=0.1)
ZHIYI_PROGRESS_INTERVAL_S = env_float("ZHIYI_PROGRESS_INTERVAL_S", 0.25, minimum=0)
ZHIYI_BATCH_CHARS = env_int("ZHIYI_BATCH_CHARS", 4000, minimum=100)
# Apertium starts a whole pipeline per batch: far larger batches (tasks/engines/apertium.py).
ZHIYI_APERTIUM_BATCH_CHARS = env_int("ZHIYI_APERTIUM_BATCH_CHARS", 200_000, minimum=1000)
ZHIYI_EXTERNAL_DEADLINE_S = env_int("ZHIYI_EXTERNAL_DEADLINE_S", 3600, minimum=1)
# Fonts translated PDFs are set in, beyond Debian's DejaVu Sans and WenQuanYi Micro Hei
# ("latin bold:/path/Font-Bold.ttf,cjk:/path/Font.ttc#1"; tasks/documents/pdf_fonts.py).
ZHIYI_PDF_FONTS = env_str("ZHIYI_PDF_FONTS")
ZHIYI_RETENTION_DAYS = env_int("ZHIYI_RETENTION_DAYS", 30, minimum=1)
# Read notifications and webhook deliveries older than this are pruned (prune_history). A
# delivery id only guards against replays inside the 5-minute signature tolerance, so 90 days
# is ample.
ZHIYI_HISTORY_DAYS = env_int("ZHIYI_HISTORY_DAYS", 90, minimum=1)
# Optional bearer token for GET /metrics (empty: open; restrict it at the proxy instead).
ZHIYI_METRICS_TOKEN = env_str("ZHIYI_METRICS_TOKEN")

# django-q2 delivers at least once. `retry` (seconds before an unacknowledged task is handed
# out again) must exceed `timeout` so a slow run is never duplicated while it still works;
# our own ProcessingTask.attempt counter caps runs (hard kills are not counted by django-q).
Q_CLUSTER = {
    "name": "zhiyi",
    "orm": "queue" if ZHIYI_SQLITE_QUEUE_DB else "default",
    "workers": env_int("ZHIYI_Q_WORKERS", 2, minimum=1),
    "timeout": ZHIYI_TASK_TIMEOUT_S,
    "retry": ZHIYI_TASK_TIMEOUT_S + 60,
    "max_attempts": ZHIYI_TASK_MAX_ATTEMPTS,
    "catch_up": False,
    "poll": env_float("ZHIYI_Q_POLL_S", 0.1, minimum=0.01),
    "save_limit": 1000,
    "ack_failures": True,
    "sync": env_bool("ZHIYI_Q_SYNC", False),
    "label": "Task queue",
}

# --- Engines ---------------------------------------------------------------------------------
ZHIYI_ENGINES = env_list(
    "ZHIYI_ENGINES", ["opencc", "apertium", "libretranslate", "openai", "deepl", "external"]
)
ZHIYI_LIBRETRANSLATE_URL = env_str("ZHIYI_LIBRETRANSLATE_URL")
ZHIYI_LIBRETRANSLATE_KEY = env_str("ZHIYI_LIBRETRANSLATE_KEY")
ZHIYI_OPENAI_URL = env_str("ZHIYI_OPENAI_URL")
ZHIYI_OPENAI_MODEL = env_str("ZHIYI_OPENAI_MODEL")
ZHIYI_OPENAI_KEY = env_str("ZHIYI_OPENAI_KEY")
ZHIYI_DEEPL_KEY = env_str("ZHIYI_DEEPL_KEY")
ZHIYI_DEEPL_URL = env_str("ZHIYI_DEEPL_URL")
ZHIYI_EXTERNAL_URL = env_str("ZHIYI_EXTERNAL_URL")
# Language pairs the external service accepts, "src:tgt,src:tgt" (default: the OpenCC pairs the
# reference service in tools/external_service.py serves).
ZHIYI_EXTERNAL_PAIRS = env_list("ZHIYI_EXTERNAL_PAIRS", [])
# Languages an HTTP engine (LibreTranslate, an OpenAI-compatible endpoint) is offered for, every
# pair among them; empty: tasks.engines.http.DEFAULT_LANGUAGES.
ZHIYI_HTTP_LANGUAGES = env_list("ZHIYI_HTTP_LANGUAGES", [])
ZHIYI_HTTP_TIMEOUT_S = env_float("ZHIYI_HTTP_TIMEOUT_S", 30, minimum=0.1)
ZHIYI_HTTP_RETRIES = env_int("ZHIYI_HTTP_RETRIES", 3, minimum=0)

# --- Webhook ---------------------------------------------------------------------------------
ZHIYI_WEBHOOK_SECRET = env_str("ZHIYI_WEBHOOK_SECRET")
ZHIYI_WEBHOOK_TOLERANCE_S = env_int("ZHIYI_WEBHOOK_TOLERANCE_S", 300, minimum=1)
ZHIYI_WEBHOOK_MAX_BODY_BYTES = env_int("ZHIYI_WEBHOOK_MAX_BODY_BYTES", 1024 * 1024, minimum=1024)
# The port `make run` (and the Procfile) serve on; the site's own address follows it when unset.
PORT = env_int("PORT", 8000, minimum=1)
ZHIYI_PUBLIC_URL = env_str("ZHIYI_PUBLIC_URL", f"http://127.0.0.1:{PORT}")
# Whether a webhook's result_url may point at loopback / private / link-local addresses. Off in
# production (a signed sender still must not make us fetch from the internal network).
ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS", False)

# --- Accounts, sign-in lockout, mail ------------------------------------------------------------
# Every password check goes through django.contrib.auth.authenticate(), and django-axes sits in
# front of it as the first backend: the login page, POST /api/auth/token/ and /admin/login/ share
# one lockout. Its counters are rows in the database, so every web process sees the same ones.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Failed sign-ins per username + client address before that pair is refused ...
AXES_FAILURE_LIMIT = env_int("ZHIYI_LOGIN_MAX_FAILURES", 5, minimum=1)
# ... for this long after its latest failure (a try while locked starts the wait again).
AXES_COOLOFF_TIME = timedelta(seconds=env_int("ZHIYI_LOGIN_WINDOW_S", 15 * 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address is REMOTE_ADDR (behind a proxy, daphne --proxy-headers sets it from
# X-Forwarded-For: the proxy must overwrite that header, see docs/deployment.md).
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not logged row by row
AXES_VERBOSE = False

# Verification and password-reset links stay valid this long.
PASSWORD_RESET_TIMEOUT = env_int("ZHIYI_EMAIL_LINK_HOURS", 72, minimum=1) * 3600
# At most this many live API keys per account.
ZHIYI_API_KEYS_PER_USER = env_int("ZHIYI_API_KEYS_PER_USER", 20, minimum=1)

# Mail: EMAIL_URL (smtp://user:password@host:587/?tls=True, smtps://..., console:, locmem:), or
# the usual EMAIL_BACKEND / EMAIL_HOST / ... variables; without either, the console backend
# prints every mail (so `make run` shows them).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ZhiYi <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[ZhiYi] "  # mails to staff (mail_admins)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
if env_str("EMAIL_URL"):
    globals().update({k: v for k, v in dj_email_url.parse(env_str("EMAIL_URL")).items() if v not in (None, "")})

# --- Streams ---------------------------------------------------------------------------------
# The ASGI server `manage.py run_web` starts: daphne (channels' server) or uvicorn (uvloop + httptools).
ZHIYI_WEB_SERVER = env_choice("ZHIYI_WEB_SERVER", "daphne", ["daphne", "uvicorn"])
ZHIYI_SSE_HEARTBEAT_S = env_float("ZHIYI_SSE_HEARTBEAT_S", 15, minimum=0.05)
ZHIYI_SSE_RETRY_MS = env_int("ZHIYI_SSE_RETRY_MS", 2000, minimum=0)
ZHIYI_SSE_MAX_PER_USER = env_int("ZHIYI_SSE_MAX_PER_USER", 20, minimum=1)
ZHIYI_SSE_MAX_PER_PROCESS = env_int("ZHIYI_SSE_MAX_PER_PROCESS", 10000, minimum=1)
ZHIYI_SSE_MAX_LIFETIME_S = env_float("ZHIYI_SSE_MAX_LIFETIME_S", 3600, minimum=1)
ZHIYI_SSE_SEND_TIMEOUT_S = env_float("ZHIYI_SSE_SEND_TIMEOUT_S", 30, minimum=0.1)
ZHIYI_SQLITE_POLL_S = env_float("ZHIYI_SQLITE_POLL_S", 0.25, minimum=0.01)
# Garbage collection in web processes (streams/gcpolicy.py): freeze what survived every N s
# (0: Python's own collector untouched), reclaim frozen cycles with a full collection every M s.
ZHIYI_GC_FREEZE_S = env_float("ZHIYI_GC_FREEZE_S", 10, minimum=0)
ZHIYI_GC_COLLECT_S = env_float("ZHIYI_GC_COLLECT_S", 1800, minimum=0)
# "auto" picks redis when ZHIYI_REDIS_URL is set, else postgres / sqlite from the database
# engine; "memory" and "channels" (the Channels layer below) on request.
ZHIYI_BUS = env_str("ZHIYI_BUS", "auto")
# Redis (redis://host:port/db): stream events between processes, and the Channels layer.
ZHIYI_REDIS_URL = env_str("ZHIYI_REDIS_URL")

CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
if ZHIYI_REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                  "CONFIG": {"hosts": [ZHIYI_REDIS_URL]}}}

# --- API ------------------------------------------------------------------------------------
# Quotas: "<requests>/<s|min|hour|day>" per user (`<scope>`) and per credential (`<scope>.credential`:
# each token or API key on its own); lib/throttling.py. Empty turns one off.
ZHIYI_THROTTLE_RATES = {
    scope: env_str(f"ZHIYI_THROTTLE_{scope.upper().replace('.', '_')}", default)
    for scope, default in {
        "quote": "120/min", "quote.credential": "60/min",
        "create": "60/min", "create.credential": "30/min",
        # Per client address. (Guessing one username's password is stopped sooner by the lockout:
        # ZHIYI_LOGIN_MAX_FAILURES per username + address, answered `locked_out`.)
        "token": "20/min", "token.credential": "",
    }.items()
}
REST_FRAMEWORK = {
    # Header credentials first: the first class names the WWW-Authenticate challenge, so a
    # missing, revoked or expired credential is a 401 (a session alone has no challenge: 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # ApiKeyScope: what an API key may do, from the scopes it was given (every API view).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "accounts.scopes.ApiKeyScope"],
    # JSON bodies, except uploads (multipart, set on those views): one documented type per operation.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "lib.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["lib.throttling.UserThrottle", "lib.throttling.CredentialThrottle"],
    "DEFAULT_THROTTLE_RATES": {scope: rate or None for scope, rate in ZHIYI_THROTTLE_RATES.items()},
    # Client addresses for throttling: REMOTE_ADDR, unless this many proxies in front set X-Forwarded-For.
    "NUM_PROXIES": env_int("ZHIYI_NUM_PROXIES", 0, minimum=0),
    "EXCEPTION_HANDLER": "zhiyi.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ZhiYi API",
    "DESCRIPTION": (
        "Document translation: quotes, tasks, credits, notifications, live progress streams.\n\n"
        "**Version 1**, in the path: every operation is under `/api/v1/` (`/api/` is kept as an alias of v1 for "
        "older clients). Authenticate with `Authorization: Token <token>` (POST /api/v1/auth/token/). Errors answer "
        "`{detail, code}`; lists answer `{count, next, previous, results}` (`?page=`, `?page_size=`). "
        "The guide with examples: docs/api.md."),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,  # uploads typed as binary in multipart/form-data
    "PREPROCESSING_HOOKS": ["zhiyi.schema.only_v1"],
    "POSTPROCESSING_HOOKS": ["zhiyi.schema.add_streams", "drf_spectacular.hooks.postprocess_schema_enums"],
    "WEBHOOKS": ["zhiyi.schema.task_event_webhook"],
    "ENUM_NAME_OVERRIDES": {"TaskStatusEnum": "tasks.models.Status", "JobStatusEnum": "jobs.models.JobStatus",
                            "LedgerKindEnum": "credits.models.LedgerEntry.Kind",
                            "NotificationKindEnum": "notifications.models.Notification.Kind",
                            "WebhookEventTypeEnum": "tasks.webhooks.receive.EVENT_TYPES"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Schema completeness is not a deployment-safety matter: keep `check --deploy` about security
    # (the test command validates the schema with `manage.py spectacular --validate --fail-on-warn`).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# --- Headers, cookies, sessions --------------------------------------------------------------
# Content-Security-Policy: no inline script or style anywhere (data for page scripts travels in
# `<script type="application/json">` blocks, which are not executed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("ZHIYI_SESSION_DAYS", 14, minimum=1) * 86400

# Streams: how long a stream token (POST /api/v1/streams/token/) can open a stream.
ZHIYI_STREAM_TOKEN_TTL_S = env_int("ZHIYI_STREAM_TOKEN_TTL_S", 300, minimum=10)

# CORS (django-cors-headers; streams/cors.py gives the streams the same answer): origins allowed to
# call the API and open streams from a browser, e.g. "https://app.example.com". Empty: none.
CORS_ALLOWED_ORIGINS = env_list("ZHIYI_CORS_ORIGINS", [])
CORS_URLS_REGEX = r"^/(api|sse)/"
# Cookies across origins only on request: a token (API or stream token) needs none.
CORS_ALLOW_CREDENTIALS = env_bool("ZHIYI_CORS_ALLOW_CREDENTIALS", False)
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "idempotency-key", "last-event-id", "x-csrftoken"]
CORS_EXPOSE_HEADERS = ["Content-Disposition", "Idempotent-Replayed", "Location", "RateLimit-Limit",
                       "RateLimit-Policy", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"]

# --- Production hardening --------------------------------------------------------------------
if ZHIYI_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "zhiyi.logging.JsonFormatter"}},
    # LOG_FORMAT=json: one JSON object per line, with the `extra` fields (task_id, user_id, ...).
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": "json" if env_str("LOG_FORMAT", "plain") == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django_q": {"level": env_str("Q_LOG_LEVEL", "WARNING")},
                # Lockouts and repeated failures are warnings (usernames and addresses masked).
                "axes": {"level": env_str("AXES_LOG_LEVEL", "WARNING")}},
}
