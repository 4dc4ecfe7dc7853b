"""One settings module, driven by environment variables.

Safe defaults make a fresh checkout run on SQLite with a local-memory cache. Bad values do not
crash at import time: they are collected in CONFIG_ERRORS and reported by the system check
`govportal.core.checks.config_errors`, which stops runserver, migrate, the worker and gunicorn
(see wsgi.py) with a clear message.
"""

import base64
import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GOVPORTAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

CONFIG_ERRORS: list[str] = []

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    CONFIG_ERRORS.append(f"{name}={raw!r}: 应为 true/false (或 1/0)。")
    return default


def envint(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        CONFIG_ERRORS.append(f"{name}={raw!r}: 应为整数。")
        return default
    if value < minimum:
        CONFIG_ERRORS.append(f"{name}={raw!r}: 不能小于 {minimum}。")
        return default
    return value


def envlist(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, or generated once into var/secret_key."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The public address of the site, used in feeds, sitemaps, meta tags and e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "govportal.core",
    "govportal.accounts",
    "govportal.content",
    "govportal.checks",
    "govportal.disclosure",
    "govportal.monitoring",
    "govportal.interaction",
    "govportal.reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "govportal.accounts.apps.PortalUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "captcha",  # django-simple-captcha: the mailbox's offline image captcha
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govportal.core.middleware.RejectNulMiddleware",
    # The site for the host from the per-process memo, before Wagtail would query for it.
    "govportal.core.sitecache.SiteCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # 撤稿: where a withdrawn page stood, a 404 becomes a 410 notice with the reason.
    "govportal.content.review_views.WithdrawnNoticeMiddleware",
]

ROOT_URLCONF = "govportal.urls"
WSGI_APPLICATION = "govportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "govportal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "govportal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_DEFAULT_DB = f"sqlite:///{VAR_DIR / 'govportal.sqlite3'}"
_db_url = os.environ.get("DATABASE_URL", "").strip() or _DEFAULT_DB
try:
    _db: dict[str, Any] = dict(dj_database_url.parse(_db_url))
except Exception as exc:  # dj_database_url raises several kinds for bad input
    CONFIG_ERRORS.append(
        f"DATABASE_URL 无法解析 ({exc})。示例: postgres://user@127.0.0.1:5432/govportal"
    )
    _db = dict(dj_database_url.parse(_DEFAULT_DB))

if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes; IMMEDIATE
    # transactions take the write lock up front instead of failing half-way with "locked".
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections with health checks (issue: persistent DB connections on PostgreSQL).
    _db["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", 600)
    _db["CONN_HEALTH_CHECKS"] = True
else:
    CONFIG_ERRORS.append(
        f"DATABASE_URL 指向不支持的数据库 ({_db['ENGINE']}): 仅支持 SQLite 和 PostgreSQL。"
    )
    _db = dict(dj_database_url.parse(_DEFAULT_DB))
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    CONFIG_ERRORS.append(f"REDIS_URL={REDIS_URL!r}: 应以 redis://、rediss:// 或 unix:// 开头。")
    REDIS_URL = ""
# Two aliases. "default" holds what each process may keep for itself (rendered fragments,
# cached counts). "shared" holds the little state every process that shares the database must
# see alike: the rate limits of the public forms (core/ratelimit.py), and the generation tokens
# of the site memo (core/sitecache.py), the answer bot's index (knowledge/bot.py), the
# disclosure catalogue (disclosure/catalogue.py) and the working-day calendar
# (core/models/calendar.py).
if REDIS_URL:
    _redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "govportal",
    }
    # The scaled deployment: both aliases are the same Redis, seen by every machine.
    CACHES: dict[str, dict[str, Any]] = {"default": _redis_cache, "shared": {**_redis_cache}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # The embedded deployment (`make run`: two gunicorn workers, the task worker and the
    # scheduler on one machine). "shared" is a file cache in VAR_DIR, one folder per database:
    # local memory would be per process (a limit multiplied by the number of workers, a token
    # that reaches only the process that changed it), and DatabaseCache would add a query to every
    # public request (the site memo reads its token on each) and needs `createcachetable`.
    # FileBasedCache.incr is a get and a set, not atomic: two processes counting the same key at
    # the same instant may count once. Acceptable for a brake on floods, not for exact counts.
    # Each set lists the folder to cull it, so MAX_ENTRIES stays a few thousand; culling drops
    # a third of the entries at random (a dropped token is a new generation: one rebuild).
    _db_name = f"{_db['ENGINE']}:{_db.get('HOST', '')}:{_db.get('PORT', '')}:{_db['NAME']}"
    _db_digest = hashlib.sha256(_db_name.encode()).hexdigest()[:12]
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "shared-cache" / _db_digest),
            "KEY_PREFIX": "govportal",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks (django-tasks, the API Wagtail itself uses) ------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# --- Static and media: every asset is served by the site itself (no external CDN) ---------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "govportal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The embedded deployment serves uploads from Django; behind nginx, nginx serves /media/.
SERVE_MEDIA = envbool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "渭滨区人民政府门户网站"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Attachments (issue 2: PDF, Word, Excel, WPS, OFD, ZIP) plus self-hosted audio, video, captions.
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "txt", "csv",
    "mp3", "m4a", "ogg", "mp4", "webm", "vtt",
]  # fmt: skip
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# 第十二条: no edit goes online without a fresh approval.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# The final approval marks a revision approved; it never publishes (the editor proofreads and
# publishes it: 第十二条). See docs/review.md.
WAGTAIL_FINISH_WORKFLOW_ACTION = "govportal.content.workflow_finish.workflow_finished"
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Page privacy changes bypass review; only the tree, not a shared password, decides access.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# --- Security ----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Citizen data ---------------------------------------------------------------------------------
# Fernet key for data kept encrypted at rest (applicants' ID numbers). Empty: derived from
# SECRET_KEY, so changing SECRET_KEY would make stored numbers unreadable: set it in production.
DISCLOSURE_ENCRYPTION_KEY = os.environ.get("DISCLOSURE_ENCRYPTION_KEY", "")
if DISCLOSURE_ENCRYPTION_KEY:
    try:
        if len(base64.urlsafe_b64decode(DISCLOSURE_ENCRYPTION_KEY.encode())) != 32:
            raise ValueError
    except ValueError:
        CONFIG_ERRORS.append("DISCLOSURE_ENCRYPTION_KEY: 应为 32 字节密钥的 URL 安全 Base64 编码。")
# Behind a proxy: the one request header that carries the client's address (e.g. HTTP_X_REAL_IP,
# set by nginx). Empty: REMOTE_ADDR. Rate limits of the public forms count per address.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
if CLIENT_IP_HEADER and not re.fullmatch(r"HTTP_[A-Z0-9_]+", CLIENT_IP_HEADER):
    CONFIG_ERRORS.append(
        f"CLIENT_IP_HEADER={CLIENT_IP_HEADER!r}: 应为请求头在 Django 中的名称，如 HTTP_X_REAL_IP。"
    )
# Mailbox attachments are kept outside MEDIA_ROOT: only staff views serve them.
MAILBOX_FILES_ROOT = Path(os.environ.get("MAILBOX_FILES_ROOT", VAR_DIR / "private" / "mailbox"))
# bench/mailbox.py only: switches off the mailbox captcha and rate limits. A site whose public
# address is not this machine refuses to start with it.
MAILBOX_BENCH_MODE = envbool("MAILBOX_BENCH_MODE", False)
if MAILBOX_BENCH_MODE and urlsplit(SITE_URL).hostname not in {"127.0.0.1", "localhost", "::1"}:
    CONFIG_ERRORS.append("MAILBOX_BENCH_MODE: 仅用于本机压力测试，正式站点不得开启。")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The crawler and link checks make many requests; httpx would log each one at INFO.
    "loggers": {
        "jieba": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
