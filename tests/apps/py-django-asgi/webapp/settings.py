import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-default-for-tests-only")
DEBUG = False
# Local names only: fine for the test, named in the Dockerfile as a problem for real hosts.
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "webapp.urls"
WSGI_APPLICATION = "webapp.wsgi.application"
ASGI_APPLICATION = "webapp.asgi.application"
DATABASES = {}
USE_TZ = True
