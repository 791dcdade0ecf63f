"""Logging set-up: one format for the app and its modules, level from LOG_LEVEL."""

from __future__ import annotations

import logging

from flask import Flask
from flask.logging import default_handler

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(app: Flask, level: str) -> None:
    """Give the package logger (`duty_roster`, which is also `app.logger`) a level and a readable format.

    Modules log with `logging.getLogger(__name__)`; their records reach this logger. When the host process (gunicorn,
    pytest) already configured the root logger, Flask does not attach its own handler and the host's format wins.
    """
    logger = app.logger  # named after the import name, "duty_roster"
    logger.setLevel(level)
    default_handler.setFormatter(logging.Formatter(FORMAT))
