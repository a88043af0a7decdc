"""Users, API tokens and the audit log. Passwords arrive hashed; tokens are stored as SHA-256 digests."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.errors import CitraError, NotFound
from citra.records import Role, User
from citra.store.schema import api_tokens, audit_log, users


def _user(row: Any) -> User:
    return User(int(row["id"]), row["name"], Role(row["role"]), row["opd"], bool(row["active"]))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Users, their password hashes and API tokens, and the audit log of every change."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def add_user(self, name: str, password_hash: str, role: Role, opd: str | None = None) -> User:
        if role is Role.OPD and not opd:
            raise CitraError("a user with role opd needs --opd NAME")
        with self.engine.begin() as conn:
            if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
                raise CitraError(f"a user named {name!r} already exists")
            new_id = conn.execute(
                users.insert()
                .values(
                    name=name,
                    password_hash=password_hash,
                    role=role.value,
                    opd=opd,
                    active=True,
                    created_at=datetime.now(UTC),
                )
                .returning(users.c.id)
            ).scalar_one()
        return User(int(new_id), name, role, opd)

    def users(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(sa.select(users).order_by(users.c.name)).mappings()]

    def user(self, name: str) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        if row is None:
            raise NotFound(f"no user named {name!r}")
        return _user(row)

    def password_hash(self, name: str) -> str | None:
        """The stored hash of an active user (None when there is no such active user)."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(users.c.password_hash).where(users.c.name == name, users.c.active.is_(True))
            ).scalar_one_or_none()

    def session_state(self, name: str) -> tuple[User, str, int] | None:
        """An active user with their password hash and session epoch, in one query (checked on every request)."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(users).where(users.c.name == name, users.c.active.is_(True))).mappings().first()
            )
        return None if row is None else (_user(row), row["password_hash"], int(row["session_epoch"]))

    def update_user(self, name: str, *, end_sessions: bool = False, **values: Any) -> None:
        """Change a user's fields; ``end_sessions`` also raises their session epoch, ending every session."""
        allowed = {"password_hash", "role", "opd", "active"}
        if (not values and not end_sessions) or set(values) - allowed:
            raise ValueError(f"can only update {', '.join(sorted(allowed))}")
        values = {k: (v.value if isinstance(v, Role) else v) for k, v in values.items()}
        if end_sessions:
            values["session_epoch"] = users.c.session_epoch + 1
        with self.engine.begin() as conn:
            if conn.execute(users.update().where(users.c.name == name).values(**values)).rowcount == 0:
                raise NotFound(f"no user named {name!r}")

    def end_sessions(self, name: str) -> None:
        """End every session of ``name`` (logout): sessions carrying the old epoch are refused from now on."""
        self.update_user(name, end_sessions=True)

    def add_token(self, user: str, name: str, token: str) -> None:
        """Add a token; names are unique per user (revoked tokens keep theirs), so revoking by name is unambiguous."""
        found = self.user(user)
        with self.engine.begin() as conn:
            taken = sa.select(api_tokens.c.id).where(api_tokens.c.user_id == found.id, api_tokens.c.name == name)
            if conn.execute(taken).first():
                raise CitraError(
                    f"{user!r} already has a token named {name!r} (revoked ones keep theirs): choose another name"
                )
            conn.execute(
                api_tokens.insert().values(
                    user_id=found.id, name=name, token_hash=token_digest(token), created_at=datetime.now(UTC)
                )
            )

    def user_for_token(self, token: str) -> User | None:
        """The active user owning an unrevoked token (and note its use)."""
        digest = token_digest(token)
        stmt = (
            sa.select(users, api_tokens.c.id.label("token_id"))
            .select_from(users.join(api_tokens, api_tokens.c.user_id == users.c.id))
            .where(api_tokens.c.token_hash == digest, api_tokens.c.revoked.is_(False), users.c.active.is_(True))
        )
        with self.engine.begin() as conn:
            row = conn.execute(stmt).mappings().first()
            if row is None:
                return None
            conn.execute(
                api_tokens.update().where(api_tokens.c.id == row["token_id"]).values(last_used_at=datetime.now(UTC))
            )
        return _user(row)

    def revoke_token(self, user: str, name: str) -> None:
        found = self.user(user)
        with self.engine.begin() as conn:
            done = conn.execute(
                api_tokens.update()
                .where(api_tokens.c.user_id == found.id, api_tokens.c.name == name)
                .values(revoked=True)
            )
            if done.rowcount == 0:
                raise NotFound(f"no token {name!r} for {user!r}")

    def audit(self, actor: str, action: str, target: str = "", **detail: Any) -> None:
        """Record a change (labels, assignments, settings, users, ...)."""
        with self.engine.begin() as conn:
            conn.execute(
                audit_log.insert().values(
                    at=datetime.now(UTC), actor=actor, action=action, target=target[:256], detail=detail
                )
            )

    def audit_log(self, limit: int = 200) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            stmt = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
            for row in conn.execute(stmt).mappings():
                yield dict(row)
