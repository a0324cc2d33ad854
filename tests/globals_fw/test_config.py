"""``app.config`` loaders and the app attributes forwarded to it."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

import pytest

from globals_fw import App, Config


class Settings:
    SECRET_KEY = "from-object"
    lower = "ignored"


def test_from_object_and_import_string(tmp_path: Any) -> None:
    config = Config(str(tmp_path))
    config.from_object(Settings)
    assert config == {"SECRET_KEY": "from-object"}
    config.from_object("json.decoder")  # UPPERCASE names only (none there)
    assert "lower" not in config


def test_from_mapping_pyfile_file_envvar(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(str(tmp_path))
    assert config.from_mapping({"A": 1, "b": 2}, C=3)
    assert config == {"A": 1, "C": 3}
    (tmp_path / "settings.py").write_text("DEBUG = True\nname = 'x'\n")
    assert config.from_pyfile("settings.py")
    assert config["DEBUG"] is True
    assert "name" not in config
    assert config.from_pyfile("missing.py", silent=True) is False
    with pytest.raises(OSError, match="Unable to load configuration file"):
        config.from_pyfile("missing.py")
    (tmp_path / "c.json").write_text(json.dumps({"FROM_JSON": 1}))
    assert config.from_file("c.json", load=json.load)
    assert config["FROM_JSON"] == 1
    assert config.from_file("nope.json", load=json.load, silent=True) is False
    monkeypatch.setenv("APP_SETTINGS", str(tmp_path / "settings.py"))
    assert config.from_envvar("APP_SETTINGS")
    monkeypatch.delenv("APP_SETTINGS")
    assert config.from_envvar("APP_SETTINGS", silent=True) is False
    with pytest.raises(RuntimeError, match="APP_SETTINGS"):
        config.from_envvar("APP_SETTINGS")


def test_from_prefixed_env(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_SECRET_KEY", "s3")
    monkeypatch.setenv("MYAPP_PORT", "8080")
    monkeypatch.setenv("MYAPP_DB__HOST", "db")
    monkeypatch.setenv("OTHER_X", "1")
    config = Config(str(tmp_path))
    config.from_prefixed_env("MYAPP")
    assert config == {"SECRET_KEY": "s3", "PORT": 8080, "DB": {"HOST": "db"}}


def test_get_namespace_and_repr(tmp_path: Any) -> None:
    config = Config(str(tmp_path), {"IMAGE_STORE_TYPE": "fs", "IMAGE_STORE_PATH": "/x", "Z": 1})
    assert config.get_namespace("IMAGE_STORE_") == {"type": "fs", "path": "/x"}
    assert config.get_namespace("IMAGE_STORE_", lowercase=False, trim_namespace=False) == {
        "IMAGE_STORE_TYPE": "fs",
        "IMAGE_STORE_PATH": "/x",
    }
    assert repr(config).startswith("<Config {")


def test_app_attributes_forward_to_config() -> None:
    app = App("cfg", root_path="/nonexistent")
    assert app.debug is False
    assert app.testing is False
    assert app.secret_key is None
    app.debug = True
    app.testing = True
    app.secret_key = "k"
    assert app.config["DEBUG"]
    assert app.config["TESTING"]
    assert app.config["SECRET_KEY"] == "k"
    app.config["PERMANENT_SESSION_LIFETIME"] = 60
    assert app.permanent_session_lifetime == timedelta(seconds=60)


def test_instance_relative_config(tmp_path: Any) -> None:
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "local.py").write_text("LOCAL = 1\n")
    app = App(
        "cfg", root_path=str(tmp_path), instance_path=str(instance), instance_relative_config=True
    )
    assert app.config.root_path == str(instance)
    app.config.from_pyfile("local.py")
    assert app.config["LOCAL"] == 1
    assert os.path.isabs(app.instance_path)
