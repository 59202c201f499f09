"""deploy/ without a container runtime: the Dockerfile, compose file and Kubernetes manifests parse,
set only real settings (to values Settings accepts, in production), probe paths and ports the
app serves, and run commands the CLI has."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
import yaml
from pydantic import BaseModel

from docuforge.cli import app as cli_app
from docuforge.config import Settings
from docuforge.server import create_app
from tests.fixtures.processes import free_port, stop, wait_for

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
MANIFESTS = [
    document
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml"))
    for document in yaml.safe_load_all(path.read_text())
    if document
]
# Compose services built from our image run `docuforge` unless they name another entry point.
OURS = {name: service for name, service in COMPOSE["services"].items() if "build" in service}
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?[-?]([^}]*))?\}")


def setting_names(model: type[BaseModel] = Settings, prefix: str = "DOCUFORGE_") -> set[str]:
    """Every environment variable Settings reads, from its model: nested groups joined by __."""
    names = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= setting_names(annotation, f"{prefix}{name.upper()}__")
        else:
            names.add(f"{prefix}{name.upper()}")
    return names


SETTINGS = setting_names()


def test_every_docuforge_variable_in_deploy_is_a_real_setting() -> None:
    files = [*DEPLOY.rglob("*.yaml"), DEPLOY / "Dockerfile", DEPLOY / "compose.env.example"]
    mentioned = {
        (path.name, name)
        for path in files
        for name in re.findall(r"\bDOCUFORGE_[A-Z0-9_]+", path.read_text())
    }
    assert len(mentioned) > 40
    unknown = sorted(f"{file}: {name}" for file, name in mentioned if name not in SETTINGS)
    assert not unknown, unknown
    assert "DOCUFORGE_ADMISSION__MAX_QUEUED" in SETTINGS and "DOCUFORGE_DB__URL" in SETTINGS


def resolve(value: object, given: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}: given values, else the default."""

    def one(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in given:
            return given[name]
        assert "?" not in match.group(0), f"{name} is required: the test must give it"
        return default or ""

    return INTERPOLATION.sub(one, str(value))


def settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


REQUIRED = {
    "DOCUFORGE_AUTH__SECRET_KEY": "a-random-secret-of-at-least-32-characters-0123",
    "POSTGRES_PASSWORD": "pg-secret",
    "MINIO_ROOT_USER": "docuforge",
    "MINIO_ROOT_PASSWORD": "a-long-minio-password",
}


@pytest.mark.parametrize("service", ["api", "worker", "migrate", "docuforge"])
def test_compose_settings_make_a_valid_production_configuration(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        name: resolve(value, REQUIRED) for name, value in COMPOSE["services"][service]["environment"].items()
    }
    settings = settings_from(env, monkeypatch)
    assert settings.env == "production" and settings.db_kind == "postgresql"
    assert str(settings.jobs.runner) == "celery" and settings.jobs.broker_url == "redis://redis:6379/1"
    assert str(settings.storage.backend) == "s3" and settings.storage.s3.endpoint_url == "http://minio:9000"
    # Workspaces share the compose file's Chroma server, on the port its own command serves.
    chroma_port = OURS["chroma"]["command"][OURS["chroma"]["command"].index("--port") + 1]
    assert settings.workspaces.vector_url == f"http://chroma:{chroma_port}"


def kubernetes(kind: str) -> list[dict[str, Any]]:
    return [document for document in MANIFESTS if document["kind"] == kind]


def test_kubernetes_configmap_and_secret_make_a_valid_production_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (config,), (secret,) = kubernetes("ConfigMap"), kubernetes("Secret")
    assert all(isinstance(value, str) for value in config["data"].values())  # Kubernetes wants strings
    settings = settings_from({**config["data"], **secret["stringData"]}, monkeypatch)
    assert settings.env == "production" and str(settings.jobs.runner) == "celery"
    assert settings.server.port == 8000 and settings.retention.days == 30


def containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for document in MANIFESTS:
        if document["kind"] in ("Deployment", "Job"):
            for container in document["spec"]["template"]["spec"]["containers"]:
                yield document["metadata"]["name"], container


def is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")  # Typer carries a click of its own: no isinstance


def cli_command(args: list[str]) -> Any:
    """The CLI command `docuforge ARGS...` names; its options must all be its own."""
    command = typer.main.get_command(cli_app)
    rest = list(args)
    while is_group(command) and rest and not rest[0].startswith("-"):
        found = command.get_command(command.context_class(command), rest.pop(0))
        assert found is not None, f"docuforge has no command {args}"
        command = found
    assert not is_group(command) or rest == ["--help"], f"{args} names a group, not a command"
    options = {opt for param in command.params for opt in param.opts} | {"--help"}
    for word in rest:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"docuforge {' '.join(args)}: no option {word}"
    return command


def test_every_command_exists_in_the_cli() -> None:
    entrypoint = re.search(r"^ENTRYPOINT (\[.*\])", DOCKERFILE, re.M)
    cmd = re.search(r"^CMD (\[.*\])", DOCKERFILE, re.M)
    assert entrypoint and yaml.safe_load(entrypoint.group(1)) == ["docuforge"]
    assert cmd and cli_command(yaml.safe_load(cmd.group(1))).name == "serve"
    ran = set()
    for name, container in containers():
        assert container["image"] == "docuforge" and "command" not in container, name
        ran.add(cli_command(container["args"]).name)
    for service in OURS.values():
        if service.get("entrypoint", ["docuforge"]) != ["docuforge"]:
            continue
        ran.add(cli_command(service["command"]).name)
    assert {"serve", "worker", "upgrade"} <= ran


def test_the_chroma_service_runs_and_answers_its_health_check(tmp_path: Path) -> None:
    """The Chroma server runs from the chromadb package inside the same image: its command, with
    the port and path of its health check, starts a server that answers that check."""
    chroma = OURS["chroma"]
    assert chroma["entrypoint"] == ["chroma"]
    binary = Path(sys.executable).parent / "chroma"
    if not binary.exists():
        pytest.skip("the chromadb package (workspaces' vector server) is not installed here")
    port, path = probe(chroma["healthcheck"]["test"])
    verb, *pairs = chroma["command"]
    options = dict(zip(pairs[::2], pairs[1::2], strict=True))
    assert verb == "run" and options["--port"] == str(port) and options["--path"]
    # The same command, on a free local port and a fresh directory.
    served = free_port()
    args = [verb, "--host", "127.0.0.1", "--port", str(served), "--path", str(tmp_path / "chroma")]
    process = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{served}{path}", timeout=60, process=process)
        assert httpx.get(f"http://127.0.0.1:{served}{path}").status_code == 200
    finally:
        stop(process)


def app_paths() -> set[str]:
    """The paths the API serves, from its OpenAPI schema (every probe path is in it)."""
    return set(create_app(Settings(_env_file=None, env="test"), configure_logs=False).openapi()["paths"])


def probe(command: list[str]) -> tuple[int, str]:
    """The port and path a `python -c urllib...` health check asks for."""
    match = re.search(r"http://127\.0\.0\.1:(\d+)(/[\w/]+)", " ".join(command))
    assert match, command
    return int(match.group(1)), match.group(2)


WORKER_PROBES = {"/health/live", "/health/ready"}  # docuforge.jobs.health_server


def health_port(args: list[str]) -> int:
    return int(args[args.index("--health-port") + 1])


def test_every_probe_asks_for_a_path_and_port_that_are_served() -> None:
    paths = app_paths()
    assert {"/health/live", "/health/ready", "/capacity"} <= paths
    # Dockerfile: the API's port (the worker answers on it too, given --health-port 8000).
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (\[.*?\])$", DOCKERFILE, re.M | re.S)
    assert healthcheck
    port, path = probe(yaml.safe_load(healthcheck.group(1)))
    assert path in paths and f"DOCUFORGE_SERVER__PORT={port}" in DOCKERFILE
    # Kubernetes: probes by port name, bound to the container port the process listens on.
    seen = set()
    for name, container in containers():
        ports = {entry["name"]: entry["containerPort"] for entry in container.get("ports", [])}
        for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
            if kind not in container:
                continue
            get = container[kind]["httpGet"]
            listening = ports[get["port"]]
            if container["args"][0] == "serve":
                assert get["path"] in paths and listening == 8000, (name, kind)
            else:
                assert get["path"] in WORKER_PROBES and listening == health_port(container["args"])
            seen.add((container["args"][0], get["path"]))
    assert seen == {
        ("serve", "/health/live"),
        ("serve", "/health/ready"),
        ("worker", "/health/live"),
        ("worker", "/health/ready"),
    }
    (service,) = [d for d in MANIFESTS if d["kind"] == "Service"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    # Compose: the API's probe on its port, the worker's on its --health-port.
    api_port, api_path = probe(OURS["api"]["healthcheck"]["test"])
    assert api_path in paths and str(api_port) == OURS["api"]["environment"]["DOCUFORGE_SERVER__PORT"]
    worker_port, worker_path = probe(OURS["worker"]["healthcheck"]["test"])
    assert worker_path in WORKER_PROBES and worker_port == health_port(OURS["worker"]["command"])


def test_compose_runs_migrations_once_before_the_api_and_workers() -> None:
    services = COMPOSE["services"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("api", "worker", "docuforge"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name in ("api", "worker"):
        assert services[name]["depends_on"]["chroma"]["condition"] == "service_healthy"
    assert services["api"]["deploy"]["replicas"] == 2 and services["worker"]["deploy"]["replicas"] == 2
    for name in ("postgres", "redis", "minio", "chroma", "api", "worker", "rabbitmq"):
        assert services[name]["healthcheck"]["test"], name
    assert services["rabbitmq"]["profiles"] == ["rabbitmq"] and services["docuforge"]["profiles"] == ["cli"]
    assert set(COMPOSE["volumes"]) >= {"postgres", "redis", "minio", "chroma"}


def test_kubernetes_deployments_are_safe_to_roll() -> None:
    deployments = {d["metadata"]["name"]: d for d in kubernetes("Deployment")}
    worker = deployments["docuforge-worker"]["spec"]["template"]["spec"]
    lease = float(kubernetes("ConfigMap")[0]["data"]["DOCUFORGE_JOBS__LEASE_SECONDS"])
    assert worker["terminationGracePeriodSeconds"] > 2 * lease
    for deployment in deployments.values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]
    (hpa,) = kubernetes("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "docuforge-worker"
    (job,) = kubernetes("Job")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["db", "upgrade"]
    listed = yaml.safe_load((DEPLOY / "kubernetes" / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(
        p.name for p in (DEPLOY / "kubernetes").glob("*.yaml") if p.name != "kustomization.yaml"
    )


def test_the_image_is_pinned_slim_non_root_and_installs_what_was_tested() -> None:
    bases = re.findall(r"^ARG PYTHON_IMAGE=(\S+)", DOCKERFILE, re.M)
    assert len(bases) == 1 and re.fullmatch(r"python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", bases[0])
    assert DOCKERFILE.count("FROM ${PYTHON_IMAGE}") == 2  # multi-stage: build, then runtime
    assert re.search(r"^USER 10001:10001$", DOCKERFILE, re.M)
    assert "--constraint deploy/constraints.txt" in DOCKERFILE
    # The Debian packages the product needs: scripts/system-packages.sh's, LibreOffice by argument.
    script = (ROOT / "scripts" / "system-packages.sh").read_text()
    product = re.search(r"^PACKAGES=\((.*)\)", script, re.M)
    assert product
    for package in product.group(1).split():
        assert package in DOCKERFILE, package
    assert "ARG WITH_LIBREOFFICE=false" in DOCKERFILE and "libreoffice-writer-nogui" in DOCKERFILE
    # Every dependency of pyproject.toml is pinned by the constraints file.
    import tomllib

    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (DEPLOY / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for dependency in dependencies:
        name = re.split(r"[\[<>=!~ ;]", dependency, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pins, f"{name} is not in deploy/constraints.txt: run scripts/constraints.sh"
    for source in re.findall(r"^COPY (?!--from)(\S+)", DOCKERFILE, re.M):
        assert (ROOT / source).exists(), source
    assert shlex.split("docuforge serve")  # the image's default role
