"""The deployment files: docker-compose.yml, the Dockerfile and the Procfile.

CI has no Docker engine, so the compose file is checked against the Compose Specification's
JSON schema (vendored in tests/data, see its README) and the rest is read as text.
"""

import copy
import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, ValidationError

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE_SCHEMA = ROOT / "tests" / "data" / "compose-spec.json"
DOCKERFILE = ROOT / "Dockerfile"
PROCFILE = ROOT / "Procfile"

APP_SERVICES = ("web", "worker", "beat", "migrate")
ALL_SERVICES = ("postgres", "redis", *APP_SERVICES)
APP_ENVIRONMENT = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG")


def load_compose() -> dict[str, Any]:
    """The compose file as Compose reads it; PyYAML resolves the anchors and `<<:` merge keys."""
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_validator() -> Draft7Validator:
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    # The schema declares draft-07 as "https://json-schema.org/draft-07/schema", a spelling
    # jsonschema's validator_for() does not recognise (it would fall back to the newest draft
    # with a DeprecationWarning), so the class is named here. Another draft needs another class.
    assert "draft-07" in schema["$schema"]
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def service(name: str) -> dict[str, Any]:
    return load_compose()["services"][name]


def command_line(definition: dict[str, Any]) -> str:
    """A service's `command`, list or string form, as one line."""
    command = definition.get("command", "")
    return " ".join(str(part) for part in command) if isinstance(command, list) else command


def environment_of(definition: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, mapping or `KEY=value` list form, as a mapping."""
    environment = definition.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def volume_source(mount: str | dict[str, Any]) -> str:
    """What a service's volume entry mounts: a named volume, a host path, or "" (anonymous)."""
    if isinstance(mount, dict):
        return str(mount.get("source") or "")
    return mount.split(":", 1)[0] if ":" in mount else ""


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def dockerfile_arguments(keyword: str) -> list[str]:
    return [arguments for found, arguments in dockerfile_instructions() if found == keyword]


def exec_form(arguments: str) -> list[str]:
    """A CMD/ENTRYPOINT as argv, whether written as a JSON array or in shell form."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return shlex.split(arguments)


def procfile_processes() -> dict[str, str]:
    """Process type -> command, from `name: command` lines."""
    processes: dict[str, str] = {}
    for raw in PROCFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, command = line.partition(":")
        assert separator, f"Procfile line is not `name: command`: {raw!r}"
        processes[name.strip()] = command.strip()
    return processes


# --- docker-compose.yml: valid at all.


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    errors = [
        f"{'/'.join(str(part) for part in error.absolute_path) or '<root>'}: {error.message}"
        for error in compose_validator().iter_errors(load_compose())
    ]
    assert errors == []


def _ports_not_a_list(compose: dict[str, Any]) -> None:
    compose["services"]["web"]["ports"] = "not-a-list"


def _unknown_service_key(compose: dict[str, Any]) -> None:
    compose["services"]["web"]["not_a_compose_key"] = True


def _unquoted_restart_no(compose: dict[str, Any]) -> None:
    # What `restart: no` without quotes becomes: YAML 1.1 reads it as the boolean false.
    compose["services"]["migrate"]["restart"] = False


def _unknown_top_level_key(compose: dict[str, Any]) -> None:
    compose["servces"] = compose.pop("services")


@pytest.mark.parametrize(
    "break_it",
    [_ports_not_a_list, _unknown_service_key, _unquoted_restart_no, _unknown_top_level_key],
)
def test_schema_validation_rejects_a_broken_compose_file(
    break_it: Callable[[dict[str, Any]], None],
) -> None:
    broken = copy.deepcopy(load_compose())
    break_it(broken)
    with pytest.raises(ValidationError):
        compose_validator().validate(broken)


def test_compose_file_has_no_obsolete_version_key() -> None:
    assert "version" not in load_compose()


# --- docker-compose.yml: the stack it describes.


def test_compose_declares_the_whole_stack() -> None:
    assert set(ALL_SERVICES) <= set(load_compose()["services"])


def test_web_service_runs_gunicorn_serving_config_wsgi() -> None:
    command = command_line(service("web"))
    assert command.startswith("gunicorn ")
    assert "config.wsgi:application" in command


def test_worker_service_runs_the_celery_worker_for_config() -> None:
    assert command_line(service("worker")).startswith("celery -A config worker")


def test_beat_service_runs_celery_beat_for_config() -> None:
    assert command_line(service("beat")).startswith("celery -A config beat")


def test_migrate_service_runs_migrations_once() -> None:
    migrate = service("migrate")
    assert command_line(migrate).startswith("python manage.py migrate")
    assert migrate.get("restart") == "no"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_gets_database_redis_secret_and_debug(name: str) -> None:
    environment = environment_of(service(name))
    missing = [key for key in APP_ENVIRONMENT if not environment.get(key)]
    assert missing == []
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_with_debug_off(name: str) -> None:
    assert environment_of(service(name))["DEBUG"] == "false"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_secret_key_comes_from_the_environment_not_the_compose_file(name: str) -> None:
    assert environment_of(service(name))["SECRET_KEY"].startswith("${SECRET_KEY")


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_postgres_redis_and_web_have_healthchecks(name: str) -> None:
    healthcheck = service(name).get("healthcheck") or {}
    assert healthcheck.get("test")
    assert not healthcheck.get("disable")


@pytest.mark.parametrize("name", ["postgres", "redis"])
def test_postgres_and_redis_keep_their_data_in_named_volumes(name: str) -> None:
    compose = load_compose()
    named_volumes = set(compose.get("volumes") or {})
    sources = [volume_source(mount) for mount in compose["services"][name].get("volumes", [])]
    assert any(source in named_volumes for source in sources), sources


def test_web_waits_for_healthy_postgres_and_redis_and_a_finished_migration() -> None:
    depends_on = service("web").get("depends_on")
    assert isinstance(depends_on, dict), "web needs the long depends_on form, with conditions"
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


# --- Dockerfile.


def test_dockerfile_builds_on_python_3_11() -> None:
    base = dockerfile_arguments("FROM")[-1].split()[0]
    assert base.startswith(("python:3.11", "docker.io/library/python:3.11")), base


def test_dockerfile_does_not_run_as_root() -> None:
    users = dockerfile_arguments("USER")
    assert users, "the Dockerfile has no USER line, so the container runs as root"
    user = users[-1].split(":", 1)[0]
    assert user not in {"root", "0"}


def test_dockerfile_default_command_runs_gunicorn() -> None:
    cmds = dockerfile_arguments("CMD")
    assert cmds, "the Dockerfile has no CMD"
    argv = exec_form(cmds[-1])
    assert argv[0] == "gunicorn"
    assert "config.wsgi:application" in argv


# --- Procfile.


def test_procfile_declares_exactly_web_worker_and_beat() -> None:
    assert set(procfile_processes()) == {"web", "worker", "beat"}


def test_procfile_worker_and_beat_run_celery_for_config() -> None:
    processes = procfile_processes()
    assert processes["worker"].startswith("celery -A config worker")
    assert processes["beat"].startswith("celery -A config beat")
