"""Django settings for Yrkesbro, read from the environment.

Modes (YRKESBRO_MODE):
- ``demo`` (default): embedded SQLite under $YRKESBRO_HOME, a generated secret,
  console e-mail, loopback hosts only.
- ``production``: refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from yrkesbro.env import ConfigurationError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(env_str("YRKESBRO_HOME", "var")).resolve()
MODE = env_str("YRKESBRO_MODE", "demo")
if MODE not in ("demo", "production"):
    raise ConfigurationError(f"YRKESBRO_MODE must be demo or production, not {MODE!r}")
PRODUCTION = MODE == "production"
DEMO = not PRODUCTION

DEBUG = env_bool("YRKESBRO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        # Django's deploy check (security.W009) asks for 50 characters, 5 of them different.
        if PRODUCTION and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")):
            raise ConfigurationError(
                "SECRET_KEY must be at least 50 random characters and not a known default. "
                "Generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return key
    if PRODUCTION:
        raise ConfigurationError("SECRET_KEY must be set when YRKESBRO_MODE=production.")
    # Demo: one random key per $YRKESBRO_HOME, so sessions survive a restart.
    key_file = HOME / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    HOME.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    raise ConfigurationError("ALLOWED_HOSTS must list this site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "yrkesbro.core",
    "yrkesbro.accounts",
    "yrkesbro.organisations",
    "yrkesbro.catalogue",
    "yrkesbro.taxonomy",
    "yrkesbro.needs",
    "yrkesbro.collaboration",
    "yrkesbro.matching",
    "yrkesbro.workforce",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Log-in with ID-porten and Feide (OpenID Connect); see accounts/oidc.py.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "yrkesbro.health",
    "yrkesbro.vet",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yrkesbro.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "yrkesbro.core.security_headers.PermissionsPolicyMiddleware",
    "yrkesbro.accounts.oidc.IdentityProviderFormAction",
    "yrkesbro.core.idempotency.IdempotencyMiddleware",
    "yrkesbro.core.resilience.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "yrkesbro.urls"
WSGI_APPLICATION = "yrkesbro.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yrkesbro.core.context_processors.site",
                "yrkesbro.accounts.oidc.context",
            ],
        },
    },
]

# Django's form renderer, with the common widget templates answered in Python (core/renderers.py).
FORM_RENDERER = "yrkesbro.core.renderers.FormRenderer"

_default_db = f"sqlite:///{HOME / 'yrkesbro.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)
}
# A persistent connection broken by a database restart is replaced, not trusted.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and an immediate write lock let the web process and the worker share
    # the file without "database is locked" errors under ordinary load.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
# Each app keeps its own catalogue in <app>/locale/, found through INSTALLED_APPS.
LOCALE_PATHS: list[Path] = []
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Collected and compressed once at install time (`make setup`, before building a wheel)
# into the package, so `serve` and `demo` start at once and a wheel carries the assets.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(PACKAGE_DIR / "collected_static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve straight from the app folders when nobody has run collectstatic (tests, development).
WHITENOISE_USE_FINDERS = env_bool("YRKESBRO_STATIC_FINDERS", DEBUG)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Yrkesbro <noreply@yrkesbro.invalid>")

TASKS = {
    "default": {
        "BACKEND": env_str("YRKESBRO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Usually the TLS proxy redirects and sets HSTS; these let Django do it instead.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Invitations are valid for a week; a longer life would outlive the intent behind them.
INVITATION_VALID_DAYS = env_int("YRKESBRO_INVITATION_DAYS", 7)
# Lists never return more than this many rows at once, on the web or in the API.
PAGE_SIZE = 25
NINJA_PAGINATION_PER_PAGE = PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = 100
NINJA_PAGINATION_CLASS = "yrkesbro.core.api.Pagination"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Log-in with OpenID Connect (ID-porten, Feide): one allauth app per provider whose
# OIDC_<PROVIDER>_ISSUER and OIDC_<PROVIDER>_CLIENT_ID are set; see the README.
from yrkesbro.accounts.oidc_config import identity_providers_from_env  # noqa: E402

PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "yrkesbro.accounts.oidc.Provider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": identity_providers_from_env(),
    }
}
SOCIALACCOUNT_ADAPTER = "yrkesbro.accounts.oidc.SocialAccountAdapter"
ACCOUNT_ADAPTER = "yrkesbro.accounts.oidc.AccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # a POST with the CSRF token starts every log-in
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never link by an unproven e-mail claim
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = ""
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
# Log-in throttling (django-axes), see README "Log-in throttling". Failures are
# counted per user name and, separately, per client address; either one locks.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("YRKESBRO_THROTTLE", True)
AXES_FAILURE_LIMIT = env_int("YRKESBRO_THROTTLE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("YRKESBRO_THROTTLE_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yrkesbro.accounts.throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "yrkesbro.accounts.throttle.client_ip"
AXES_VERBOSE = False
# How many reverse proxies append to X-Forwarded-For in front of gunicorn (0: none).
YRKESBRO_PROXY_COUNT = env_int("YRKESBRO_PROXY_COUNT", 0)

# Content-Security-Policy (django-csp 4): scripts only from this site, never
# inline; styles may be inline (htmx's indicator style, the SVG charts' max-width).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Collaboration health: a side's survey figures are shown only when at least this many of
# its people answered. Never below three, whatever the environment says (health.models).
YRKESBRO_PULSE_THRESHOLD = max(3, env_int("YRKESBRO_PULSE_THRESHOLD", 3))
# Pupil names on VET placements are removed by the worker this many days after the
# school year ends (31 July); the counts and assessments stay.
VET_PUPIL_NAMES_KEPT_DAYS = env_int("YRKESBRO_VET_PUPIL_NAMES_KEPT_DAYS", 90)
# One date format per language on every page (core/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["yrkesbro.core.formats"]
