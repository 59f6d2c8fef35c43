"""Codes people keep or type: short, unguessable, no characters that look alike."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L, U/V: a code read off a phone screen or a poster survives being copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 8  # 29**8, about 5e11 codes; lookups are rate limited as well


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """Upper-case and drop spaces and dashes, so 'abcd-efgh' finds ABCDEFGH."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def looks_like_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def display_code(code: str) -> str:
    """ABCDEFGH -> ABCD-EFGH, easier to read aloud and copy down."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def new_token() -> str:
    """A campaign link token: 128 bits, URL-safe."""
    return secrets.token_urlsafe(16)
