"""How strong a new password is: zxcvbn's estimate, and its advice when it is too weak."""

from __future__ import annotations

from zxcvbn import zxcvbn

# zxcvbn's scale runs 0 to 4; 3 is "safely unguessable" against an attacker who has stolen
# the hashes and can try many guesses a second.
LOWEST_SCORE = 3
# zxcvbn refuses longer input (its work grows fast with length): the first part decides.
ESTIMATED_LENGTH = 72


def is_common(result: dict) -> bool:
    """Whether zxcvbn found the whole password in its list of passwords people use most."""
    sequence = result["sequence"]
    return (
        len(sequence) == 1
        and sequence[0].get("pattern") == "dictionary"
        and sequence[0].get("dictionary_name") == "passwords"
    )


def weakness(password: str, about_the_person: list[str] | tuple[str, ...] = ()) -> str | None:
    """None for a strong enough password; otherwise what to say about it, with zxcvbn's
    warning and suggestions. `about_the_person` (name, email) counts as easy to guess."""
    words = [part for value in about_the_person for part in _parts(value)]
    result = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=words)
    if result["score"] >= LOWEST_SCORE and not is_common(result):
        return None
    feedback = result["feedback"]
    advice = [feedback.get("warning") or "", *feedback.get("suggestions", [])]
    if is_common(result) and not feedback.get("warning"):
        advice.insert(0, "This is a commonly used password.")
    said = " ".join(_sentence(text) for text in advice if text) or DEFAULT_ADVICE
    return f"Choose a password that is harder to guess. {said}"


DEFAULT_ADVICE = "Three or four random words together make a strong password."


def _parts(value: str) -> list[str]:
    value = (value or "").lower()
    return [value, *value.replace("@", " ").replace(".", " ").split()]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
