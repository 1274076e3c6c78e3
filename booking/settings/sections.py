"""The settings of one subsystem each (mail out, the organizer mailbox, operations, single
sign-on), read and checked together so a typo stops start-up, not a send or a sign-in."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from email.utils import parseaddr
from ipaddress import ip_address, ip_network
from pathlib import Path
from urllib.parse import urlsplit

from booking.settings import reading

SMTP_SECURITY = ("starttls", "tls", "none")


def smtp(env: Mapping[str, str]) -> dict:
    """The SMTP and MAIL_FROM settings, checked here so a typo stops start-up, not a send."""
    security = (env.get("SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise reading.SettingsError(
            f"SMTP_SECURITY must be starttls, tls or none, got {security!r}"
        )
    port = reading.port(env, "SMTP_PORT", 465 if security == "tls" else 587)
    username = env.get("SMTP_USERNAME") or ""
    password = env.get("SMTP_PASSWORD") or ""
    if password and not username:
        raise reading.SettingsError("SMTP_PASSWORD is set but SMTP_USERNAME is not")
    mail_from = (env.get("MAIL_FROM") or "Loket <loket@localhost>").strip()
    address = parseaddr(mail_from)[1]
    local, _, domain = address.rpartition("@")
    # ASCII only: messages go out without SMTPUTF8 (booking/notify/mail.py).
    if not (local and domain and address.isascii()):
        raise reading.SettingsError(
            f"MAIL_FROM must be an ASCII address such as 'Loket <loket@example.nl>', got {mail_from!r}"
        )
    return {
        "smtp_host": (env.get("SMTP_HOST") or "").strip(),
        "smtp_port": port,
        "smtp_username": username,
        "smtp_password": password,
        "smtp_security": security,
        "smtp_timeout_seconds": reading.number(env, "SMTP_TIMEOUT_SECONDS", 30, minimum=1),
        "mail_from": mail_from,
    }


IMAP_SECURITY = ("tls", "starttls", "none")


def imap(env: Mapping[str, str]) -> dict:
    """The organizer mailbox's settings, checked at start-up like SMTP's."""
    security = (env.get("IMAP_SECURITY") or "tls").strip().lower()
    if security not in IMAP_SECURITY:
        raise reading.SettingsError(
            f"IMAP_SECURITY must be tls, starttls or none, got {security!r}"
        )
    port = reading.port(env, "IMAP_PORT", 993 if security == "tls" else 143)
    host = (env.get("IMAP_HOST") or "").strip()
    username = env.get("IMAP_USERNAME") or ""
    if host and not username:
        raise reading.SettingsError("IMAP_HOST is set but IMAP_USERNAME is not")
    return {
        "imap_host": host,
        "imap_port": port,
        "imap_security": security,
        "imap_username": username,
        "imap_password": env.get("IMAP_PASSWORD") or "",
        "imap_folder": env.get("IMAP_FOLDER") or "INBOX",
        "imap_done_folder": env.get("IMAP_DONE_FOLDER") or "Loket-handled",
        "imap_poll_seconds": reading.number(env, "IMAP_POLL_SECONDS", 60, minimum=1),
        "imap_timeout_seconds": reading.number(env, "IMAP_TIMEOUT_SECONDS", 30, minimum=1),
    }


LOG_FORMATS = ("text", "json")


def operations(env: Mapping[str, str]) -> dict:
    """Logging and metrics settings (issue 15); a bad network or format stops start-up."""
    log_format = (env.get("LOG_FORMAT") or "text").strip().lower()
    if log_format not in LOG_FORMATS:
        raise reading.SettingsError(f"LOG_FORMAT must be text or json, got {log_format!r}")
    raw = env.get("LOKET_METRICS_ALLOW")
    networks = tuple(
        n.strip() for n in ("127.0.0.0/8,::1/128" if raw is None else raw).split(",") if n.strip()
    )
    for network in networks:
        try:
            ip_network(network)
        except ValueError:
            raise reading.SettingsError(
                f"LOKET_METRICS_ALLOW must list networks such as 10.0.0.0/8, got {network!r}"
            ) from None
    port = reading.port(env, "LOKET_METRICS_PORT", 0, minimum=0)
    return {
        "log_format": log_format,
        "metrics_allow": networks,
        "metrics_token": env.get("LOKET_METRICS_TOKEN") or "",
        "metrics_port": port,
        "metrics_dir": env.get("PROMETHEUS_MULTIPROC_DIR") or "",
    }


def scale(env: Mapping[str, str]) -> dict:
    """Retention batches and the read replica (issue 12): a bad value stops start-up."""
    replica = (env.get("DATABASE_REPLICA_URL") or "").strip()
    if replica and not replica.startswith(("postgres://", "postgresql://")):
        raise reading.SettingsError(
            "DATABASE_REPLICA_URL must start with postgres:// or postgresql://"
        )
    if replica and not (env.get("DATABASE_URL") or "").startswith(("postgres://", "postgresql://")):
        raise reading.SettingsError("DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL")
    return {
        "retention_batch": reading.number(env, "LOKET_RETENTION_BATCH", 5000, minimum=1),
        "retention_pause_ms": reading.number(env, "LOKET_RETENTION_PAUSE_MS", 50),
        "database_replica_url": replica,
    }


OIDC_ROLES = ("consultant", "coordinator")


def _role_map(raw: str) -> dict[str, tuple[str, str | None]]:
    try:
        mapping = json.loads(raw or "{}")
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise reading.SettingsError(
            "LOKET_OIDC_ROLE_MAP must be a JSON object of group to role text"
        )
    roles: dict[str, tuple[str, str | None]] = {}
    for group, value in mapping.items():
        role, _, region = value.strip().partition("@")
        admin = role == "admin" and not region
        if not (admin or (role in OIDC_ROLES and region)):
            raise reading.SettingsError(
                "LOKET_OIDC_ROLE_MAP values are 'admin', 'consultant@region-code' or"
                f" 'coordinator@region-code', got {value!r} for {group!r}"
            )
        roles[group] = (role, region or None)
    return roles


def oidc(env: Mapping[str, str]) -> dict:
    """Single sign-on (issue 10): refused at start-up when it could not be safe."""
    issuer = (env.get("LOKET_OIDC_ISSUER") or "").strip()
    client_id = (env.get("LOKET_OIDC_CLIENT_ID") or "").strip()
    if not issuer:
        if client_id:
            raise reading.SettingsError("LOKET_OIDC_CLIENT_ID is set but LOKET_OIDC_ISSUER is not")
        return {}
    parts = urlsplit(issuer)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        loopback = False
    secure = (parts.scheme == "https" and bool(host)) or (parts.scheme == "http" and loopback)
    if not secure or parts.query or parts.fragment or len(issuer) > 255:
        raise reading.SettingsError(
            f"LOKET_OIDC_ISSUER must be an https:// URL (http only on loopback), got {issuer!r}"
        )
    if not client_id:
        raise reading.SettingsError("LOKET_OIDC_ISSUER is set but LOKET_OIDC_CLIENT_ID is not")
    scopes = tuple((env.get("LOKET_OIDC_SCOPES") or "openid email profile").split())
    if "openid" not in scopes:
        raise reading.SettingsError(
            f"LOKET_OIDC_SCOPES must include openid, got {' '.join(scopes)!r}"
        )
    role_map = _role_map(env.get("LOKET_OIDC_ROLE_MAP") or "")
    if not role_map:
        raise reading.SettingsError(
            "LOKET_OIDC_ROLE_MAP maps no group to a role: nobody could sign in"
        )
    return {
        "oidc_issuer": issuer,
        "oidc_client_id": client_id,
        "oidc_client_secret": env.get("LOKET_OIDC_CLIENT_SECRET") or "",
        "oidc_scopes": scopes,
        "oidc_groups_claim": (env.get("LOKET_OIDC_GROUPS_CLAIM") or "groups").strip(),
        "oidc_role_map": role_map,
        "oidc_name": (env.get("LOKET_OIDC_NAME") or "").strip() or host,
    }


def logins(env: Mapping[str, str]) -> dict:
    """Staff logins: the password hashing pool, the idle timeout, who needs a second factor."""
    return {
        "password_threads": reading.number(env, "LOKET_PASSWORD_THREADS", 2, minimum=1),
        "staff_idle_minutes": reading.number(env, "LOKET_STAFF_IDLE_MINUTES", 30, minimum=1),
        "factor_for_all": reading.switch(env, "LOKET_FACTOR_FOR_ALL", False),
    }


#: The texts a WhatsApp template may stand for (booking/notify/whatsapp/templates.py).
WHATSAPP_TEMPLATES = (
    "code",
    "confirmation",
    "handover",
    "handover_interpreted",
    "reminder",
    "change",
    "cancellation",
    "offer",
    "queue_next",
)
_CONTENT_SID = re.compile(r"HX[0-9a-fA-F]{32}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


def _templates(raw: str) -> dict[str, dict[str, str]]:
    """TWILIO_WHATSAPP_TEMPLATES: JSON ``{"reminder": {"pl": "HX...", ...}, ...}``, given
    inline or as the path of a file holding it."""
    text = raw.strip()
    if text and not text.startswith(("{", "[")):
        try:
            text = Path(text).read_text(encoding="utf-8")
        except OSError as error:
            raise reading.SettingsError(
                f"TWILIO_WHATSAPP_TEMPLATES names a file that cannot be read: {error.strerror}"
            ) from None
    try:
        parsed = json.loads(text) if text else {}
    except ValueError:
        raise reading.SettingsError("TWILIO_WHATSAPP_TEMPLATES is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise reading.SettingsError("TWILIO_WHATSAPP_TEMPLATES must be a JSON object")
    templates: dict[str, dict[str, str]] = {}
    for name, by_language in parsed.items():
        if name not in WHATSAPP_TEMPLATES:
            raise reading.SettingsError(
                f"TWILIO_WHATSAPP_TEMPLATES: {name!r} is not one of {', '.join(WHATSAPP_TEMPLATES)}"
            )
        if not isinstance(by_language, dict):
            raise reading.SettingsError(
                f"TWILIO_WHATSAPP_TEMPLATES: {name!r} must map languages to Content SIDs"
            )
        for language, sid in by_language.items():
            if not (_LANGUAGE.fullmatch(str(language)) and _CONTENT_SID.fullmatch(str(sid))):
                raise reading.SettingsError(
                    f"TWILIO_WHATSAPP_TEMPLATES: {name}.{language} must be a Content SID"
                    " (HX and 32 hex digits)"
                )
        templates[name] = dict(by_language)
    return templates


def whatsapp(env: Mapping[str, str]) -> dict:
    """The WhatsApp sender and its approved templates (issue 14); checked at start-up."""
    sender = (env.get("TWILIO_WHATSAPP_FROM") or "").strip().removeprefix("whatsapp:")
    if sender and not re.fullmatch(r"\+[1-9][0-9]{6,14}", sender):
        raise reading.SettingsError(
            f"TWILIO_WHATSAPP_FROM must be a number such as +31612345678, got {sender!r}"
        )
    return {
        "twilio_whatsapp_from": f"whatsapp:{sender}" if sender else "",
        "twilio_whatsapp_templates": _templates(env.get("TWILIO_WHATSAPP_TEMPLATES") or ""),
    }
