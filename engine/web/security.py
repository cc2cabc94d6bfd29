"""Who is asking, and may they: session cookies, API tokens, CSRF tokens, role checks.

Sessions are Starlette's signed cookie (itsdangerous, HttpOnly, SameSite=strict; Secure when the
server is told it sits behind HTTPS) holding the account name, the CSRF token and the language.
Every form POST carries the CSRF token in a hidden field and is refused without it; API requests
authenticate with ``Authorization: Bearer TOKEN`` and carry no cookie, so CSRF does not apply to them.
An account disabled after login loses its session at its next request (it is read on every request).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

from ..store.users import AccountError, User, get_user, user_for_token

CSRF_FIELD = "csrf"


class NotLoggedIn(Exception):
    """A page request without a valid session: the page answers with a redirect to the login page."""


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def api_user(request: Request) -> User:
    """The account of an API request (Bearer token, or a logged-in session); 401 otherwise."""
    token = bearer_token(request)
    user = user_for_token(request.app.state.engine, token) if token else session_user(request)
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="需要登录或有效的API令牌 / authentication required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def session_user(request: Request) -> User | None:
    name = request.session.get("user")
    if not name:
        return None
    try:
        user = get_user(request.app.state.engine, name)
    except AccountError:
        user = None
    if user is None or user.disabled:
        request.session.clear()
        return None
    return user


def page_user(request: Request) -> User:
    user = session_user(request)
    if user is None:
        raise NotLoggedIn()
    return user


def require(user: User, action: str) -> None:
    if not user.may(action):
        raise HTTPException(status_code=403, detail=f"无权执行此操作 / not allowed: {action}")


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get(CSRF_FIELD)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise HTTPException(status_code=403, detail="表单已过期或来源不明，请刷新后重试 / CSRF token missing or wrong")
