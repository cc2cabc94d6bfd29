"""Accounts of ``fzcheck serve``: who may log in, what they may see, and what they did.

Roles (issue #15): ``admin`` (accounts, the access log, everything else), ``auditor`` (imports,
audits, every run — limited to a region when the account has one), ``reviewer`` (checks of drafts;
runs read-only), ``agency`` (the findings and quarantined rows of its own agency or region only).
Passwords are argon2id hashes (argon2-cffi's defaults); API tokens are 32 random bytes of which only
the SHA-256 is stored. Failed logins are written to the access log, which the login rate limit reads,
so the limit holds across worker processes and restarts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine

from .database import writer
from .runs import Scope
from .schema import access_log, api_tokens, users

ROLES = ("admin", "auditor", "reviewer", "agency")
ROLE_LABELS = {
    "zh": {"admin": "管理员", "auditor": "审计人员", "reviewer": "审核人员", "agency": "机关经办人"},
    "en": {"admin": "administrator", "auditor": "auditor", "reviewer": "reviewer", "agency": "agency clerk"},
}
#: failed logins of one account (or from one client) within LOGIN_WINDOW before further attempts are refused
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "fzc_"

_hasher = PasswordHasher()


class AccountError(ValueError):
    """An account operation that cannot be done as asked (the message says why, in both languages)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    agency: str | None
    region: str | None
    disabled: bool
    created_at: dt.datetime

    @property
    def scope(self) -> Scope:
        """What this account may see of a run: agency accounts their agency/region; a region-bound
        auditor their region; everyone else everything."""
        if self.role in ("agency", "auditor"):
            return Scope(agency=self.agency if self.role == "agency" else None, region=self.region)
        return Scope()

    def may(self, action: str) -> bool:
        """Whether the role allows ``action``: check, read_runs, import, audit, admin."""
        return action in PERMISSIONS[self.role]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "agency": self.agency,
            "region": self.region,
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


PERMISSIONS = {
    "admin": {"check", "read_runs", "import", "audit", "admin"},
    "auditor": {"check", "read_runs", "import", "audit"},
    "reviewer": {"check", "read_runs"},
    "agency": {"read_runs", "check"},
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role, row.agency, row.region, bool(row.disabled), row.created_at)


def _validate(name: str, role: str, agency: str | None, region: str | None, password: str | None) -> None:
    if not name or len(name) > 80 or any(ch.isspace() for ch in name):
        raise AccountError("用户名须为1至80个非空白字符 / a user name is 1 to 80 characters without spaces")
    if role not in ROLES:
        raise AccountError(
            f"未知角色“{role}”，可选：{'、'.join(ROLES)} / unknown role '{role}'; one of {', '.join(ROLES)}"
        )
    if role == "agency" and not (agency or region):
        raise AccountError("机关经办人账号须指定 --agency 或 --region / an agency account needs --agency or --region")
    if region is not None and not (region.isdigit() and 1 <= len(region) <= 6):
        raise AccountError(
            f"区划代码前缀须为1至6位数字，收到“{region}” / a region prefix is 1 to 6 digits, got '{region}'"
        )
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"密码至少{MIN_PASSWORD_LENGTH}个字符 / a password has at least {MIN_PASSWORD_LENGTH} characters"
        )


def add_user(
    engine: Engine, name: str, role: str, password: str, *, agency: str | None = None, region: str | None = None
) -> User:
    _validate(name, role, agency, region, password)
    with writer(engine).begin() as connection:
        if connection.execute(select(users.c.id).where(users.c.name == name)).first() is not None:
            raise AccountError(f"用户“{name}”已存在 / user '{name}' already exists")
        connection.execute(
            insert(users).values(
                name=name,
                role=role,
                agency=agency,
                region=region,
                password_hash=_hasher.hash(password),
                disabled=False,
                created_at=_now(),
            )
        )
    return get_user(engine, name)


def get_user(engine: Engine, name: str) -> User:
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        raise AccountError(f"没有用户“{name}” / no user '{name}'")
    return _user(row)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as connection:
        return [_user(row) for row in connection.execute(select(users).order_by(users.c.name))]


def set_disabled(engine: Engine, name: str, disabled: bool) -> User:
    user = get_user(engine, name)
    with writer(engine).begin() as connection:
        connection.execute(update(users).where(users.c.id == user.id).values(disabled=disabled))
        if disabled:  # a disabled account's tokens die with it, and are not revived by enabling it
            connection.execute(
                update(api_tokens)
                .where(api_tokens.c.user_id == user.id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
    return get_user(engine, name)


def set_password(engine: Engine, name: str, password: str) -> None:
    user = get_user(engine, name)
    _validate(user.name, user.role, user.agency, user.region, password)
    with writer(engine).begin() as connection:
        connection.execute(update(users).where(users.c.id == user.id).values(password_hash=_hasher.hash(password)))


def issue_token(engine: Engine, name: str) -> str:
    """A new API token for ``name`` — returned once; only its digest is kept."""
    user = get_user(engine, name)
    if user.disabled:
        raise AccountError(f"用户“{name}”已停用 / user '{name}' is disabled")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with writer(engine).begin() as connection:
        connection.execute(insert(api_tokens).values(user_id=user.id, digest=token_digest(token), created_at=_now()))
    return token


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_for_token(engine: Engine, token: str) -> User | None:
    """The enabled account a live token belongs to, or None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(users)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.digest == token_digest(token), api_tokens.c.revoked_at.is_(None))
        ).first()
    if row is None or row.disabled:
        return None
    return _user(row)


def recent_failures(engine: Engine, name: str, client: str | None, now: dt.datetime | None = None) -> int:
    """Failed logins of this account, or from this client, within LOGIN_WINDOW (the larger)."""
    since = (now or _now()) - LOGIN_WINDOW
    counts = []
    with engine.connect() as connection:
        for column, value in ((access_log.c.target, name), (access_log.c.client, client)):
            if value is None:
                continue
            counts.append(
                connection.execute(
                    select(func.count())
                    .select_from(access_log)
                    .where(
                        access_log.c.action == "login",
                        access_log.c.ok.is_(False),
                        access_log.c.at >= since,
                        column == value,
                    )
                ).scalar_one()
            )
    return max(counts, default=0)


class LoginRefused(AccountError):
    """Too many failed logins: try again later (no password is checked meanwhile)."""


def authenticate(engine: Engine, name: str, password: str, client: str | None = None) -> User | None:
    """The account if ``password`` is its password and it is enabled; None otherwise (logged either way).

    Raises LoginRefused when the account or the client failed LOGIN_ATTEMPTS times within LOGIN_WINDOW.
    """
    if recent_failures(engine, name, client) >= LOGIN_ATTEMPTS:
        log_access(engine, None, "login-refused", name, client, ok=False)
        raise LoginRefused(
            f"登录失败次数过多，请{LOGIN_WINDOW.seconds // 60}分钟后再试 / too many failed logins; "
            f"try again in {LOGIN_WINDOW.seconds // 60} minutes"
        )
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.name == name)).first()
    ok = False
    if row is not None and not row.disabled:
        try:
            ok = _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:  # the same work for an unknown name, so timing does not tell which names exist
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(_DUMMY_HASH, password)
    log_access(engine, name if ok else None, "login", name, client, ok=ok)
    return _user(row) if ok else None


_DUMMY_HASH = _hasher.hash("not a password of anyone")


def log_access(
    engine: Engine, user_name: str | None, action: str, target: str | None, client: str | None, ok: bool = True
) -> None:
    with writer(engine).begin() as connection:
        connection.execute(
            insert(access_log).values(
                at=_now(),
                user_name=user_name,
                action=action,
                target=None if target is None else target[:2000],
                client=None if client is None else client[:64],
                ok=ok,
            )
        )


def access_entries(engine: Engine, limit: int = 500) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(select(access_log).order_by(access_log.c.id.desc()).limit(limit))
        return [
            {
                "at": row.at.isoformat(timespec="seconds"),
                "user": row.user_name,
                "action": row.action,
                "target": row.target,
                "client": row.client,
                "ok": bool(row.ok),
            }
            for row in rows
        ]
