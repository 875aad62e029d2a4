"""Configuration from the environment. No secret has a default: in production a
missing key stops the start; elsewhere it is generated once into instance/."""

import ipaddress
import os
import secrets
from datetime import date
from pathlib import Path

from creditsvc.infra import clock

PRODUCTION_VALUES = {"production", "prod"}
# The years a business-date override may name: the programme's own era, with room to walk on.
BUSINESS_DATE_RANGE = (date(2000, 1, 1), date(2099, 12, 31))


class ConfigError(RuntimeError):
    """The environment does not give what the service needs to start."""


def _instance_secret(instance_path: Path, name: str, production: bool, env_name: str) -> str:
    """Read a secret from the environment, else from instance/NAME (made on first run)."""
    value = os.environ.get(env_name)
    if value:
        return value
    if production:
        raise ConfigError(f"{env_name} must be set in production")
    path = instance_path / name
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Create with 0600 from the start: the key must never be world-readable.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def load_config(instance_path: str) -> dict:
    """Build the app config from the environment."""
    env = os.environ.get("CREDITSVC_ENV", "development").lower()
    production = env in PRODUCTION_VALUES
    inst = Path(instance_path)
    db_url = os.environ.get("DATABASE_URL")
    if not db_url:
        if production:
            raise ConfigError("DATABASE_URL must be set in production")
        inst.mkdir(parents=True, exist_ok=True)
        db_url = f"sqlite:///{inst / 'creditsvc.sqlite3'}"
    config = {
        "ENV": env,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(db_url),
        "SECRET_KEY": _instance_secret(inst, "secret_key", production, "SECRET_KEY"),
        "PII_KEY": _instance_secret(inst, "pii_key", production, "CREDITSVC_PII_KEY"),
    }
    # How long a pooled connection may sit idle before it is pinged (creditsvc.infra.db);
    # how often a job's heartbeat beats and how old it may grow before the job is redone.
    for name in ("DB_IDLE_PING_SECONDS", "JOBS_HEARTBEAT_SECONDS", "JOBS_STALE_SECONDS"):
        if value := os.environ.get(name):
            config[name] = _seconds(name, value)
    # How long a previewed feed waits for its bank to confirm before the worker cancels it.
    if value := os.environ.get("JOBS_HELD_HOURS"):
        config["JOBS_HELD_HOURS"] = _hours("JOBS_HELD_HOURS", value)
    # Over how many rows an export runs as a background job rather than in the request.
    if value := os.environ.get("EXPORT_JOB_ROWS"):
        config["EXPORT_JOB_ROWS"] = int(_number("EXPORT_JOB_ROWS", value, "rows",
                                                lambda n: n >= 1 and n == int(n),
                                                "a whole number, at least 1"))
    # The county's time zone: business dates (today, date ranges) are dates there.
    config["TIMEZONE"] = _timezone(os.environ.get("CREDITSVC_TIMEZONE") or clock.DEFAULT_TIMEZONE)
    if value := os.environ.get("CREDITSVC_TODAY"):
        config["BUSINESS_DATE"] = _business_date(value)
    # Keys being retired by `flask pii rotate-key`: read, never written (docs/operations.md).
    if value := os.environ.get("CREDITSVC_PII_OLD_KEYS"):
        config["PII_OLD_KEYS"] = tuple(k.strip() for k in value.split(",") if k.strip())
    # Who may read /metrics: these addresses or networks, or a caller with the token.
    if value := os.environ.get("METRICS_ALLOW"):
        config["METRICS_ALLOW"] = _networks("METRICS_ALLOW", value)
    if value := os.environ.get("METRICS_TOKEN"):
        config["METRICS_TOKEN"] = value
    _refuse_override_in_production(config)
    return config


def _networks(name: str, value: str) -> tuple[str, ...]:
    """A comma-separated list of addresses or networks (10.0.0.0/8), each checked."""
    nets = tuple(part.strip() for part in value.split(",") if part.strip())
    for net in nets:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError as exc:
            raise ConfigError(f"{name}: {net!r} is not an address or network") from exc
    return nets


def _business_date(value: str) -> str:
    """CREDITSVC_TODAY: an ISO date that demos and tests live on instead of the calendar's."""
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"CREDITSVC_TODAY must be an ISO date (2027-03-01), not {value!r}") from exc
    if not BUSINESS_DATE_RANGE[0] <= day <= BUSINESS_DATE_RANGE[1]:
        raise ConfigError(f"CREDITSVC_TODAY must lie in {BUSINESS_DATE_RANGE[0]}.."
                          f"{BUSINESS_DATE_RANGE[1]}, not {value}")
    return day.isoformat()


def _refuse_override_in_production(config: dict) -> None:
    # Production books are dated by the calendar: a moved business date would let a bank
    # report arrears that have not happened, or a claim accrue interest not yet due.
    if config.get("BUSINESS_DATE") and str(config.get("ENV", "")).lower() in PRODUCTION_VALUES:
        raise ConfigError("CREDITSVC_TODAY (a business-date override) is refused when "
                          "CREDITSVC_ENV=production")


def _timezone(name: str) -> str:
    try:
        clock.zone(name)
    except ValueError as exc:
        raise ConfigError(f"CREDITSVC_TIMEZONE: {exc}") from exc
    return name


def _seconds(name: str, value: str) -> float:
    return _number(name, value, "seconds", lambda n: 0 <= n < 86400, "0 to 86400")


def _hours(name: str, value: str) -> float:
    return _number(name, value, "hours", lambda n: 0 < n <= 720, "above 0, at most 720")


def _number(name: str, value: str, unit: str, fits, bounds: str) -> float:
    """VALUE as a number that FITS, or a ConfigError naming the setting, its unit and BOUNDS."""
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not fits(number):
        raise ConfigError(f"{name} must be a number of {unit} ({bounds}), not {value!r}")
    return number


def normalise_database_url(url: str) -> str:
    """Make postgres:// and postgresql:// URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def validate_config(config: dict) -> None:
    """Refuse to start with a missing or empty secret, whatever gave the config."""
    for key in ("SECRET_KEY", "PII_KEY", "SQLALCHEMY_DATABASE_URI"):
        if not config.get(key):
            raise ConfigError(f"{key} is not configured")
    if "TIMEZONE" in config:
        _timezone(config["TIMEZONE"])
    if isinstance(config.get("BUSINESS_DATE"), str):
        _business_date(config["BUSINESS_DATE"])
    _refuse_override_in_production(config)
