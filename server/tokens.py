"""Bearer tokens: random and long, so a plain SHA-256 is a safe lookup key and the token is never stored."""
import hashlib
import secrets

TOKEN_PREFIX = "tpl_"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
