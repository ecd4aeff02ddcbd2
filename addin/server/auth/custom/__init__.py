"""Token authentication (XLWINGS_AUTH_PROVIDERS=["custom"]): only holders of KINERJA_TOKEN may call."""

from __future__ import annotations

import os
import secrets

from fastapi import HTTPException, status

from xlwings_server.models import User


async def validate_token(token_string: str) -> User:
    expected = os.environ.get("KINERJA_TOKEN", "")
    token = token_string.removeprefix("Bearer ").strip()
    if expected and token and secrets.compare_digest(token, expected):
        return User(id="kinerja", name="pengguna kinerja")
    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED,
                        detail="Token akses kinerja tidak sah. Isi token pada panel Kinerja.")
