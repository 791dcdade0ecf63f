"""Flask extensions, created once here and initialised in the application factory."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from duty_roster.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# Web UI: gettext catalogues (Vietnamese first) and CSRF tokens on every HTML form. The JSON API, calendar feeds and
# Twilio webhooks are exempted where they are registered: they authenticate differently.
babel = Babel()
csrf = CSRFProtect()
