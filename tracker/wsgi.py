import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# This process serves requests: its database connections get the statement and lock
# time-outs (see settings.py), which an import or a migration must not have.
os.environ.setdefault("DB_REQUEST_TIMEOUTS", "1")

application = get_wsgi_application()
