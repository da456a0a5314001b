"""Validation rules: what a careful business manager checks in every action of the plan.

Each rule has a stable id (used on the Exceptions sheet, in ``--json`` output and in tests) and a severity.
Errors are what makes the plan wrong or stops the quarterly cycle (a rating outside the index, a duplicated
ref, an agency that cannot be sent a return); warnings are what a board would question (Blue without
evidence, Green past its target date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from .model import FIELD_LABELS, Action, Register, is_all_agencies
from .repair import REF_PATTERN, squash
from .ratings import COMPLETE, DELAYED, FAILING, ON_TRACK, role_code
from .records import Finding, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# Column headers of the Register, by Action attribute: findings name the field as the user sees it.


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str


RULES = {
    rule.id: rule
    for rule in (
        Rule("rating-missing", ERROR, "the action has no rating"),
        Rule("rating-unknown", ERROR, "the rating is not in the Rating Index"),
        Rule("ref-missing", ERROR, "the action has no ref"),
        Rule("ref-duplicate", ERROR, "two actions of one review share a ref"),
        Rule("ref-malformed", ERROR, "the ref is not of the form 1.2"),
        Rule("action-blank", ERROR, "the action text is blank"),
        Rule("action-garbled", WARNING, "the action text looks cut or garbled by extraction"),
        Rule("recommendation-inconsistent", WARNING, "actions of one recommendation give it different texts"),
        Rule("lead-missing", WARNING, "no lead agency is assigned"),
        Rule("lead-unknown", ERROR, "the lead agency is not on the Agencies sheet"),
        Rule("target-missing", WARNING, "no target date is set"),
        Rule("date-invalid", ERROR, "a date is not a real date"),
        Rule("blue-no-evidence", WARNING, "Blue (complete and embedded) without evidence of embedding"),
        Rule("overdue", WARNING, "on track or delayed, but past its target date"),
        Rule("amber-no-revised-date", WARNING, "Amber (delayed) without a revised date"),
        Rule("amber-past-revised", WARNING, "Amber and past its revised date: should it be Red?"),
        Rule("red-no-explanation", ERROR, "Red without an explanation in Progress"),
        Rule("personal-data", WARNING, "free text that may hold personal data (see core.privacy)"),
    )
}


def finding(rule_id: str, action: Action, attribute: str, message: str) -> Finding:
    rule = RULES[rule_id]
    return Finding(rule.severity, rule.id, action.review, action.ref, FIELD_LABELS[attribute], message)


_WORD = re.compile(r"[A-Za-z]{2,}")


def looks_garbled(text: str) -> bool:
    """Text that extraction cut or mangled: no words at all, or it starts mid-sentence."""
    stripped = text.strip()
    if not stripped:
        return False
    if not _WORD.search(stripped):
        return True
    first = stripped[0]
    return first.islower() or first in ")]},;:"


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def validate(register: Register, today: date) -> list[Finding]:
    findings: list[Finding] = []
    findings += _ref_rules(register)
    findings += _recommendation_rules(register)
    known_agencies = {a.name.casefold() for a in register.agencies}
    for action in register.actions:
        findings += _text_rules(action)
        findings += _agency_rules(action, known_agencies)
        findings += _date_rules(action)
        findings += _rating_rules(action, register, today)
    return findings


def _ref_rules(register: Register) -> list[Finding]:
    findings = []
    seen: dict[tuple[str, str], int] = {}
    for action in register.actions:
        ref = action.ref.strip()
        if not ref:
            findings.append(finding("ref-missing", action, "ref", "The action has no ref; give it one such as 1.2."))
            continue
        if not REF_PATTERN.match(ref):
            findings.append(
                finding("ref-malformed", action, "ref", f"Ref {ref!r} is not a number such as 1.2.")
            )
        seen[(action.review, ref)] = seen.get((action.review, ref), 0) + 1
    for action in register.actions:
        count = seen.get((action.review, action.ref.strip()), 0)
        if count > 1:
            findings.append(
                finding("ref-duplicate", action, "ref",
                        f"Ref {action.ref} is used by {count} actions of {action.review}; give each its own.")
            )
    return findings


def _recommendation_rules(register: Register) -> list[Finding]:
    findings = []
    for recommendation in register.recommendations():
        texts = {squash(a.recommendation) for a in recommendation.actions if a.recommendation.strip()}
        if len(texts) > 1:
            for action in recommendation.actions:
                if squash(action.recommendation) != recommendation.text:
                    findings.append(
                        finding("recommendation-inconsistent", action, "recommendation",
                                f"Recommendation {recommendation.number} reads differently here than in its "
                                f"other actions; make them the same.")
                    )
    return findings


def _text_rules(action: Action) -> list[Finding]:
    if not action.action.strip():
        return [finding("action-blank", action, "action", "The action is blank; write what will be done.")]
    if looks_garbled(action.action):
        shown = squash(action.action)[:40]
        return [
            finding("action-garbled", action, "action",
                    f"The action {shown!r} looks cut or garbled; check it against the original plan.")
        ]
    return []


def _agency_rules(action: Action, known: set[str]) -> list[Finding]:
    leads = action.lead_agencies
    if not leads:
        return [finding("lead-missing", action, "lead_agency", "No lead agency is assigned.")]
    findings = []
    for lead in leads:
        if lead.casefold() not in known and not is_all_agencies(lead):
            findings.append(
                finding("lead-unknown", action, "lead_agency",
                        f"Lead agency {lead!r} is not on the Agencies sheet; add it there or correct the name.")
            )
    return findings


def _date_rules(action: Action) -> list[Finding]:
    findings = []
    if action.target_date in (None, ""):
        findings.append(finding("target-missing", action, "target_date", "No target date is set."))
    for attribute in ("target_date", "revised_date"):
        value = getattr(action, attribute)
        if value not in (None, "") and _as_date(value) is None:
            findings.append(
                finding("date-invalid", action, attribute,
                        f"{FIELD_LABELS[attribute]} {str(value)!r} is not a real date; enter it as a date such as 31/03/2026.")
            )
    return findings


def _rating_rules(action: Action, register: Register, today: date) -> list[Finding]:
    index = register.index
    rag = action.rag.strip()
    if not rag:
        return [finding("rating-missing", action, "rag", "The action has no rating.")]
    if index.get(rag) is None:
        nearest = index.nearest(rag)
        hint = f"; did you mean {nearest.code} ({nearest.label})?" if nearest else "."
        codes = ", ".join(index.codes)
        return [finding("rating-unknown", action, "rag", f"Rating {rag!r} is not in the Rating Index ({codes}){hint}")]

    findings = []
    target, revised = _as_date(action.target_date), _as_date(action.revised_date)
    if rag == role_code(index, COMPLETE) and not action.evidence.strip():
        findings.append(
            finding("blue-no-evidence", action, "evidence",
                    f"Rated {index[rag].label} (complete and embedded) but no evidence of embedding is recorded.")
        )
    if rag in {role_code(index, ON_TRACK), role_code(index, DELAYED)} and target and target < today:
        if not (revised and revised >= today):
            findings.append(
                finding("overdue", action, "target_date",
                        f"Rated {index[rag].label} but the target date {target:%d/%m/%Y} has passed.")
            )
    if rag == role_code(index, DELAYED):
        if action.revised_date in (None, ""):
            findings.append(
                finding("amber-no-revised-date", action, "revised_date",
                        f"Rated {index[rag].label} (delayed) without a revised date.")
            )
        elif revised and revised < today:
            findings.append(
                finding("amber-past-revised", action, "revised_date",
                        f"Rated {index[rag].label} and past its revised date {revised:%d/%m/%Y}; should it be "
                        f"{index[role_code(index, FAILING)].label if role_code(index, FAILING) else 'escalated'}?")
            )
    if rag == role_code(index, FAILING) and not action.progress.strip():
        findings.append(
            finding("red-no-explanation", action, "progress",
                    f"Rated {index[rag].label} without an explanation in Progress.")
        )
    return findings
