"""Authentication and authorisation: argon2 password hashes, session login, CSRF tokens, login rate limiting,
API tokens (``Authorization: Bearer``) and the role checks every route depends on."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import Depends, Request

from citra.errors import CitraError, Forbidden
from citra.records import Role, User
from citra.store import Store

MIN_PASSWORD = 10
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_hasher = PasswordHasher()
# Verified against when the user does not exist, so that a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("citra-dummy-password")


class NotAuthenticated(CitraError):
    """No valid session or token: pages redirect to the login form, the API answers 401."""

    http_status = 401


class TooManyAttempts(CitraError):
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    """An argon2id hash; refuses passwords shorter than ``MIN_PASSWORD`` characters."""
    if len(password) < MIN_PASSWORD:
        raise CitraError(f"the password must have at least {MIN_PASSWORD} characters")
    with _check_slot():
        return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash (a missing user costs one verification too)."""
    with _check_slot():
        try:
            return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def fingerprint(password_hash: str) -> str:
    """A short digest of the password hash kept in the session: changing the password ends other sessions."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def new_token() -> str:
    """A new API token (shown once; the store keeps its SHA-256 digest)."""
    return "citra_" + secrets.token_urlsafe(32)


class LoginLimiter:
    """At most ``limit`` failed logins per (user name, IP) and ``ip_limit`` per IP, whatever the names tried, within
    ``window`` seconds. A refusal is a dictionary look-up (no password hash is computed); memory is bounded by
    ``max_keys`` keys of at most ``max(limit, ip_limit)`` timestamps each."""

    def __init__(self, limit: int = 5, window: float = 900.0, max_keys: int = 10_000, *, ip_limit: int = 30) -> None:
        self.limit, self.window, self.max_keys, self.ip_limit = limit, window, max_keys, ip_limit
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _cap(self, key: tuple[str, str]) -> int:
        return self.ip_limit if key[0] == IP_ONLY else self.limit

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key) or deque(maxlen=self._cap(key))
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def retry_after(self, key: tuple[str, str]) -> int:
        """Seconds until the next attempt is allowed (0: allowed now), for the name and for the IP alone."""
        now = time.monotonic()
        wait = 0
        with self._lock:
            for k in (key, (IP_ONLY, key[1])):
                times = self._recent(k, now)
                if len(times) >= self._cap(k):
                    wait = max(wait, int(self.window - (now - times[0])) + 1)
        return wait

    def fail(self, key: tuple[str, str]) -> None:
        now = time.monotonic()
        with self._lock:
            for k in (key, (IP_ONLY, key[1])):
                times = self._recent(k, now)
                times.append(now)
                self._failures[k] = times
                self._failures.move_to_end(k)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def reset(self, key: tuple[str, str]) -> None:
        """After a successful login: the name's failures are forgotten, the IP's stay counted (others may share
        the address, and one good password must not buy an attacker another round of guesses)."""
        with self._lock:
            self._failures.pop(key, None)


IP_ONLY = "\0ip"  # the user-name part of a per-IP key; a name never holds a NUL


class Busy(CitraError):
    """Too many password checks at once: the client retries shortly."""

    http_status = 503
    retry_after = 2


# argon2 takes memory_cost (64 MiB by default) per hash or verification: unbounded, 40 parallel failed logins took
# the server from 227 MB to 1.5 GB. A few at a time keep memory bounded; the others wait, then get 503.
_CHECKS = threading.BoundedSemaphore(max(2, min(4, os.cpu_count() or 2)))
CHECK_WAIT = 10.0


@contextmanager
def _check_slot() -> Iterator[None]:
    if not _CHECKS.acquire(timeout=CHECK_WAIT):
        raise Busy("the server is busy checking passwords; try again in a moment")
    try:
        yield
    finally:
        _CHECKS.release()


def client_ip(request: Request) -> str:
    """The connecting address (a trusted proxy's X-Forwarded-For is applied by ``web.proxy`` before this)."""
    return request.client.host if request.client else "-"


def limiter_key(username: str, request: Request) -> tuple[str, str]:
    return (username.strip().casefold()[:80], client_ip(request))


# sessions and CSRF -----------------------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use), put in every form."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, given: Any) -> None:
    expected = request.session.get("csrf")
    if not expected or not isinstance(given, str) or not hmac.compare_digest(str(expected), given):
        raise Forbidden("invalid or missing CSRF token: reload the page and try again")


async def verify_csrf(request: Request) -> None:
    """Router dependency: every unsafe request of a form page must carry the session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))


def login_session(request: Request, user: User, password_hash: str, epoch: int) -> None:
    """Start a fresh session for ``user`` (a new CSRF token too), carrying the user's current session epoch (read
    with the password hash by ``Accounts.session_state``)."""
    request.session.clear()
    request.session.update(
        {
            "user": user.name,
            "pw": fingerprint(password_hash),
            "epoch": epoch,
            "issued": int(time.time()),
            "csrf": secrets.token_urlsafe(32),
        }
    )


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def session_user(request: Request) -> User | None:
    """The active user of the session, or None (expired, deactivated, logged out everywhere, or password changed).

    One query per request: the session epoch is read from the database, not cached, so a logout in any worker or
    process ends copies of the cookie on their next request."""
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    if time.time() - float(request.session.get("issued", 0)) > request.app.state.session_hours * 3600:
        request.session.clear()
        return None
    state = store_of(request).accounts.session_state(name)
    if state is None:
        request.session.clear()
        return None
    user, stored, epoch = state
    same_password = hmac.compare_digest(fingerprint(stored), str(request.session.get("pw", "")))
    if not same_password or request.session.get("epoch") != epoch:
        request.session.clear()
        return None
    return user


def page_user(request: Request) -> User:
    """Dependency of every page: the logged-in user (otherwise the login form)."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    user = session_user(request)
    if user is None:
        raise NotAuthenticated("please log in")
    request.state.user = user
    return user


def api_user(request: Request) -> User:
    """Dependency of every API route: a Bearer token, or a session (unsafe methods then need X-CSRF-Token)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = store_of(request).accounts.user_for_token(token.strip())
        if user is None:
            raise NotAuthenticated("invalid or revoked API token")
        return user
    user = session_user(request)
    if user is None:
        raise NotAuthenticated("send an API token: Authorization: Bearer <token>")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return user


def allow(user: User, *roles: Role) -> User:
    if user.role not in roles:
        raise Forbidden("your role does not allow this")
    return user


def roles(*allowed: Role, api: bool = False) -> Callable[[Request], User]:
    """A dependency returning the user when their role is one of ``allowed`` (403 otherwise)."""
    base = api_user if api else page_user

    def dependency(request: Request) -> User:
        return allow(base(request), *allowed)

    return dependency


READERS = (Role.ADMIN, Role.ANALYST, Role.VIEWER)
EDITORS = (Role.ADMIN, Role.ANALYST)
INBOX = (Role.ADMIN, Role.ANALYST, Role.VIEWER, Role.OPD)
ROUTERS = (Role.ADMIN, Role.OPD)


AnyUser = Annotated[User, Depends(page_user)]  # every role (own account)
Reader = Annotated[User, Depends(roles(*READERS))]
Editor = Annotated[User, Depends(roles(*EDITORS))]
InboxUser = Annotated[User, Depends(roles(*INBOX))]
Router = Annotated[User, Depends(roles(*ROUTERS))]
Admin = Annotated[User, Depends(roles(Role.ADMIN))]
ApiUser = Annotated[User, Depends(api_user)]
ApiReader = Annotated[User, Depends(roles(*READERS, api=True))]
ApiEditor = Annotated[User, Depends(roles(*EDITORS, api=True))]
ApiInbox = Annotated[User, Depends(roles(*INBOX, api=True))]
ApiRouter = Annotated[User, Depends(roles(*ROUTERS, api=True))]
