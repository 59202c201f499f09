from pathlib import Path

import pytest
from pydantic import ValidationError

from docuforge.config import Settings, async_database_url

STRONG = "k" * 40


def test_defaults_are_embedded(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'docuforge.db'}"
    assert settings.blob_dir == tmp_path / "blobs"
    assert settings.storage.backend == "local"
    assert settings.jobs.runner == "inprocess"
    assert settings.server.base_url == "http://127.0.0.1:8000"
    assert settings.is_sqlite


def test_environment_nested_groups_and_lists(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCUFORGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DOCUFORGE_DB__URL", "postgresql://u@db:5432/prod")
    monkeypatch.setenv("DOCUFORGE_SERVER__CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("DOCUFORGE_STORAGE__S3__BUCKET", "docs")
    monkeypatch.setenv("DOCUFORGE_JOBS__RUNNER", "celery")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+asyncpg://u@db:5432/prod"
    assert settings.db_kind == "postgresql"
    assert settings.server.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.storage.s3.bucket == "docs"
    assert settings.jobs.runner == "celery"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("DOCUFORGE_SERVER__PORT=9123\nDOCUFORGE_LOG__LEVEL=DEBUG\n")
    settings = Settings(_env_file=env, data_dir=tmp_path)
    assert settings.server.port == 9123
    assert settings.log.level == "DEBUG"


def test_data_dir_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings(_env_file=None).data_dir == tmp_path / "docuforge-data"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+asyncpg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+asyncpg://u@h/d"),
        ("postgresql+asyncpg://u@h/d", "postgresql+asyncpg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ],
)
def test_database_url_forms(given: str, expected: str) -> None:
    assert async_database_url(given) == expected


def test_development_secret_is_generated_once_and_shared(tmp_path: Path) -> None:
    first = Settings(_env_file=None, data_dir=tmp_path).signing_key
    second = Settings(_env_file=None, data_dir=tmp_path).signing_key
    assert first == second and len(first) >= 32
    assert (tmp_path / ".secret_key").stat().st_mode & 0o777 == 0o600
    assert (
        Settings(_env_file=None, data_dir=tmp_path, auth={"secret_key": STRONG}).signing_key
        == STRONG.encode()
    )


def test_production_accepts_safe_settings(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        env="production",
        data_dir=tmp_path,
        auth={"secret_key": STRONG},
        server={"cors_origins": ["https://app.example"]},
        storage={"backend": "s3", "s3": {"access_key_id": "AKIAREALKEY", "secret_access_key": "r" * 40}},
    )
    assert settings.production_problems() == []


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"auth": {"secret_key": None}}, "DOCUFORGE_AUTH__SECRET_KEY"),
        ({"auth": {"secret_key": "changeme"}}, "DOCUFORGE_AUTH__SECRET_KEY"),
        ({"auth": {"secret_key": "short"}}, "DOCUFORGE_AUTH__SECRET_KEY"),
        ({"server": {"cors_origins": ["*"]}}, "DOCUFORGE_SERVER__CORS_ORIGINS"),
        ({"debug": True}, "DOCUFORGE_DEBUG"),
        (
            {
                "storage": {
                    "backend": "s3",
                    "s3": {"access_key_id": "minioadmin", "secret_access_key": "minioadmin"},
                }
            },
            "DOCUFORGE_STORAGE__S3__ACCESS_KEY_ID",
        ),
    ],
)
def test_production_refuses_unsafe_settings_and_says_which(
    tmp_path: Path, overrides: dict, named: str
) -> None:
    values = {"auth": {"secret_key": STRONG}} | overrides
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, env="production", data_dir=tmp_path, **values)
    assert named in str(caught.value)


def test_production_lists_every_problem_at_once(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(
            _env_file=None, env="production", data_dir=tmp_path, debug=True, server={"cors_origins": "*"}
        )
    message = str(caught.value)
    for name in ("DOCUFORGE_AUTH__SECRET_KEY", "DOCUFORGE_SERVER__CORS_ORIGINS", "DOCUFORGE_DEBUG"):
        assert name in message


def test_secrets_are_masked_when_dumped(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, auth={"secret_key": STRONG}, llm={"api_key": "sk-abc"}
    )
    dumped = settings.model_dump_json()
    assert STRONG not in dumped and "sk-abc" not in dumped
