"""The log level setting (ASSISTANT_LOG_LEVEL, settings.log_level) and the logging set-up the app and the CLI do
once at start (assistant.logs.configure)."""

from __future__ import annotations

import io
import logging

import pytest
from pydantic import ValidationError

from assistant.config import load_settings
from assistant.logs import HANDLER, configure


@pytest.fixture
def clean_logging():
    """The root and assistant loggers as they were before the test (configure changes process-wide state)."""
    root, ours = logging.getLogger(), logging.getLogger("assistant")
    handlers, levels = list(root.handlers), (root.level, ours.level)
    yield
    for handler in [h for h in root.handlers if h.get_name() == HANDLER and h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(levels[0])
    ours.setLevel(levels[1])


@pytest.mark.parametrize("env, level", [
    (None, "WARNING"),  # the default: warnings and errors only
    ("debug", "DEBUG"), (" Info ", "INFO"), ("ERROR", "ERROR"),
])
def test_log_level_comes_from_the_environment(monkeypatch, env, level):
    if env is not None:
        monkeypatch.setenv("ASSISTANT_LOG_LEVEL", env)
    assert load_settings().log_level == level


def test_an_unknown_log_level_is_refused(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LOG_LEVEL", "chatty")
    with pytest.raises(ValidationError):
        load_settings()


@pytest.mark.parametrize("level, ours, libraries", [
    ("DEBUG", logging.DEBUG, logging.WARNING),  # other libraries' debug output stays out
    ("INFO", logging.INFO, logging.WARNING),
    ("WARNING", logging.WARNING, logging.WARNING),
    ("ERROR", logging.ERROR, logging.ERROR),
])
def test_configure_sets_the_assistants_level_and_keeps_libraries_quiet(clean_logging, level, ours, libraries):
    stream = io.StringIO()
    configure(level, stream=stream)
    configure(level, stream=stream)  # a second call adds no second handler
    assert [h.get_name() for h in logging.getLogger().handlers].count(HANDLER) == 1
    assert logging.getLogger("assistant").getEffectiveLevel() == ours
    assert logging.getLogger("some_library.module").getEffectiveLevel() == libraries
    logging.getLogger("assistant.app.toa_log").debug("save stamp=p:1")
    assert ("save stamp=p:1" in stream.getvalue()) is (ours == logging.DEBUG)


def test_configure_refuses_an_unknown_level(clean_logging):
    with pytest.raises(ValueError, match="unknown log level"):
        configure("chatty")
