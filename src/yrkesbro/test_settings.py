"""Settings for the test suite: the real settings with fast, isolated parts swapped in."""

import os
import tempfile

os.environ.setdefault("YRKESBRO_HOME", tempfile.mkdtemp(prefix="yrkesbro-test-"))
os.environ.setdefault("YRKESBRO_MODE", "demo")

from yrkesbro.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests only
# Tasks run at once in unit tests; end-to-end tests switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client's login() calls authenticate() without a request, which the
# throttling backend refuses; throttling tests switch both back on.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = False
