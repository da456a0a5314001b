"""Is the plan safe to publish? A scan of its free text for what looks like personal data.

Action plans go into public committee papers. Practitioners write progress notes quickly, and a phone
number, an email, an NHS number or "Kyle's mother, Jane" slips in. The scan looks for: email addresses, UK
phone numbers, NHS numbers (only those whose mod-11 check digit is right, so reference numbers do not raise
false alarms), dates of birth (a date next to "DOB", "born" or "date of birth"), UK postcodes, and a
capitalised name next to a family word ("mother", "child", "Mr", "Mrs"...).

It is a safety net, not a guarantee: it finds likely cases for a person to check, and says so.

The scan runs on every validation, over every free-text cell of the plan (ten megabytes of text at 20,000
actions), so each pattern is tried only on a text holding what the pattern cannot match without (an ``@``,
six digits in a row, an apostrophe...), and a text that repeats (a recommendation shared by its actions, a
lead agency) is scanned once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from .model import Action
from .records import Finding, Severity
from .rules import FIELD_LABELS

RULE = "personal-data"
SCANNED = ("recommendation", "action", "progress", "evidence", "lead_agency")

EMAIL = re.compile(r"\b[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")
# 01/02/03 landlines, 07 mobiles, 08 numbers, written with spaces, hyphens or a +44 prefix.
PHONE = re.compile(r"(?<!\d)(?<!\d\.)(?:\+44\s?\(?0?\)?\s?|\(?0)(?:[1-37-8]\d{1,4}\)?)(?:[\s\-]?\d){6,8}(?!\d|\.\d)")
NHS = re.compile(r"(?<!\d)(?<!\d\.)(\d{3})[\s\-]?(\d{3})[\s\-]?(\d{4})(?!\d|\.\d)")
_DATE = r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?\s+\d{4})"
DOB = re.compile(r"(?i:\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:\-]?\s*)" + _DATE)
POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")

_FAMILY = (r"mother|father|mum|dad|parent|stepfather|stepmother|step-father|step-mother|grandmother|grandfather|"
           r"grandparent|nan|aunt|uncle|brother|sister|sibling|son|daughter|baby|child|boyfriend|girlfriend|"
           r"partner|husband|wife|carer|cousin|nephew|niece")
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
# Capitalised words that start sentences or name services in ordinary plan wording: never taken for a name.
_NOT_NAMES = {
    "the", "this", "that", "these", "those", "a", "an", "and", "or", "of", "for", "with", "from", "by", "to", "in",
    "on", "at", "as", "if", "when", "where", "which", "who", "each", "every", "all", "any", "no", "our", "their",
    "his", "her", "its", "one", "two", "three", "new", "single", "young", "unborn", "looked", "after", "care",
    "school", "social", "health", "police", "family", "families", "children", "child", "parent", "parents",
    "foster", "birth", "adoptive", "lead", "named", "designated", "key", "team", "service", "services", "agency",
    "agencies", "partner", "partners", "partnership", "board", "review", "group", "practice", "training",
    "thurrock", "essex", "southend", "council", "local", "national", "safeguarding", "early", "help", "support",
    "following", "feedback", "findings", "audit", "completed", "held", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday",
}
TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+({_NAME})")
POSSESSIVE = re.compile(rf"\b({_NAME})['’]s\s+(?:{_FAMILY})s?\b")
APPOSITION = re.compile(rf"\b(?:{_FAMILY})s?\b(?:\s*,\s*|\s+)(?:called\s+|named\s+)?({_NAME})\b")
NAMED_AS = re.compile(rf"\b({_NAME})\s*(?:,\s*|\(\s*)(?:the\s+|her\s+|his\s+|their\s+)?(?:{_FAMILY})\b")

# What a text must hold for a pattern to match at all: a cheap search that spares the pattern most texts.
_SIX_DIGITS = re.compile(r"\d(?:[\s\-]?\d){5}")  # PHONE and NHS both need six digits, each apart by one space at most
_BIRTH = re.compile(r"(?i:d\.?o\.?b|birth|born)")
_POSTCODE_END = re.compile(r"\d[ABD-HJLNP-UW-Z]{2}")
_TITLE = re.compile(r"M[rsix]")

KINDS = {
    "email": "an email address",
    "phone": "a phone number",
    "nhs": "an NHS number",
    "dob": "a date of birth",
    "postcode": "a postcode",
    "name": "a name next to a family word",
}


@dataclass(frozen=True)
class PersonalData:
    review: str
    ref: str
    field: str  # the Register column header
    kind: str  # a key of KINDS
    text: str  # what was found

    def as_finding(self) -> Finding:
        return Finding(Severity.WARNING, RULE, self.review, self.ref, self.field,
                       f"{self.field} may hold {KINDS[self.kind]} ({self.text!r}); remove it before publishing, "
                       f"or accept it with --accept-personal-data.")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's mod-11 check: weights 10..2 on the first nine digits; 11 reads as 0, 10 is never valid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def find_in_text(text: str) -> Iterator[tuple[str, str]]:
    """(kind, matched text) for each likely piece of personal data in ``text``."""
    taken: list[tuple[int, int]] = []

    def fresh(match: re.Match) -> bool:
        span = match.span()
        if any(span[0] < end and start < span[1] for start, end in taken):
            return False
        taken.append(span)
        return True

    digits = _SIX_DIGITS.search(text) is not None
    if "@" in text:
        for match in EMAIL.finditer(text):
            if fresh(match):
                yield "email", match.group(0)
    if _BIRTH.search(text):
        for match in DOB.finditer(text):
            if fresh(match):
                yield "dob", match.group(0)
    if digits:
        for match in NHS.finditer(text):
            if nhs_number_valid("".join(match.groups())) and fresh(match):
                yield "nhs", match.group(0)
        for match in PHONE.finditer(text):
            if 10 <= sum(ch.isdigit() for ch in match.group(0).replace("+44", "0")) <= 11 and fresh(match):
                yield "phone", match.group(0).strip()
    if _POSTCODE_END.search(text):
        for match in POSTCODE.finditer(text):
            if fresh(match):
                yield "postcode", match.group(0)
    possessive = "'" in text or "\u2019" in text
    for pattern in (TITLED, POSSESSIVE, APPOSITION, NAMED_AS):
        if (pattern is TITLED and not _TITLE.search(text)) or (pattern is POSSESSIVE and not possessive):
            continue
        for match in pattern.finditer(text):
            if match.group(1).casefold() not in _NOT_NAMES and fresh(match):
                yield "name", match.group(0)


def scan(actions: Iterable[Action]) -> list[PersonalData]:
    found = []
    seen: dict[str, list[tuple[str, str]]] = {}  # a text's findings, for the texts that repeat
    for action in actions:
        for attribute in SCANNED:
            text = str(getattr(action, attribute) or "")
            if not text:
                continue
            hits = seen.get(text)
            if hits is None:
                hits = seen[text] = list(find_in_text(text))
            for kind, matched in hits:
                found.append(PersonalData(action.review, action.ref, FIELD_LABELS[attribute], kind, matched))
    return found
