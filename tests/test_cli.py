"""The docuforge command: help, database commands, settings refusal."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docuforge import migrations
from docuforge.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCUFORGE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["db"],
        ["db", "upgrade"],
        ["db", "current"],
        ["config", "show"],
        ["users", "create"],
        ["keys", "create"],
    ],
)
def test_every_command_explains_itself(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output) > 200


def test_db_upgrade_and_current(env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if database_url.startswith("postgresql"):
        # The shared test database is already migrated: upgrading again must be a no-op.
        monkeypatch.setenv("DOCUFORGE_DB__URL", database_url)
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert migrations.head_revision() in upgraded.output or "already at" in upgraded.output
    again = runner.invoke(app, ["db", "upgrade"])
    assert again.exit_code == 0 and "already at" in again.output
    current = runner.invoke(app, ["db", "current"])
    assert current.exit_code == 0
    assert f"current: {migrations.head_revision()}" in current.output


def test_config_show_masks_secrets(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUFORGE_AUTH__SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DOCUFORGE_LLM__API_KEY", "sk-live-123")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["auth"]["secret_key"] == "**********"
    assert "sk-live-123" not in result.output and "s" * 40 not in result.output
    assert shown["data_dir"] == str(env / "data")


def test_production_refusal_is_readable(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUFORGE_ENV", "production")
    monkeypatch.setenv("DOCUFORGE_DEBUG", "true")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "cannot start with these settings" in result.output
    assert "DOCUFORGE_AUTH__SECRET_KEY" in result.output and "DOCUFORGE_DEBUG must be off" in result.output
    assert "Traceback" not in result.output


def test_identity_commands(env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    made = runner.invoke(app, ["orgs", "create", "acme"])
    assert made.exit_code == 0 and "organization acme" in made.output
    assert runner.invoke(app, ["orgs", "create", "acme"]).exit_code == 1
    user = runner.invoke(
        app,
        [
            "users",
            "create",
            "--org",
            "acme",
            "--admin",
            "--username",
            "boss",
            "--email",
            "boss@acme-corp.com",
        ],
        input="lamp-violet-tractor-1\nlamp-violet-tractor-1\n",
    )
    assert user.exit_code == 0, user.output
    assert "user boss (admin) created" in user.output
    weak = runner.invoke(
        app,
        [
            "users",
            "create",
            "--org",
            "acme",
            "--username",
            "weak",
            "--email",
            "w@acme-corp.com",
            "--password",
            "short",
        ],
    )
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    listed = runner.invoke(app, ["users", "list", "--org", "acme"])
    assert "boss" in listed.output and "admin" in listed.output
    key = runner.invoke(app, ["keys", "create", "--org", "acme", "--name", "ci", "--role", "viewer"])
    assert key.exit_code == 0
    secret = key.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"df_[A-Za-z0-9]{40}", secret)
    keys = runner.invoke(app, ["keys", "list", "--org", "acme"])
    assert secret not in keys.output and secret[:11] in keys.output and "active" in keys.output
    key_id = keys.output.split()[0]
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["keys", "list", "--org", "acme"]).output
    missing = runner.invoke(app, ["users", "list", "--org", "nope"])
    assert missing.exit_code == 1 and "no organization named 'nope'" in missing.output


def test_first_start_prints_an_admin_and_a_key_once(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docuforge.cli.app import load_settings
    from docuforge.cli.service import _prepare_database

    asyncio.run(_prepare_database(load_settings()))
    first = capsys.readouterr().err
    key = re.search(r"API key:\s+(df_\w+)", first)
    password = re.search(r"password:\s+(\S+)", first)
    assert key and password and "admin user:  admin" in first
    asyncio.run(_prepare_database(load_settings()))
    assert "API key" not in capsys.readouterr().err


def test_the_first_start_block_stands_apart_and_says_how_to_make_another_key() -> None:
    from docuforge.auth.service import Bootstrap
    from docuforge.cli.service import first_start_banner

    block = first_start_banner(
        Bootstrap(organization="default", username="admin", password="pw-1", api_key="df_abc"), "http://h:1"
    ).splitlines()
    rules = [number for number, line in enumerate(block) if line == "=" * 78]
    assert len(rules) == 2 and rules[1] == len(block) - 1  # framed, nothing after it
    inside = "\n".join(block[rules[0] : rules[1]])
    assert "password:    pw-1" in inside and "API key:     df_abc" in inside
    assert "docuforge keys create --name" in inside
