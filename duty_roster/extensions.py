"""Flask extensions, created once here and initialised in the application factory."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from duty_roster.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
