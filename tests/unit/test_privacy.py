"""The personal-data scan: it finds planted cases, and raises no false alarm on ordinary plan wording.
(The sample plan's own wording is checked in tests/integration/test_import_sample.py.)"""

from __future__ import annotations

import pytest

from ragbook.core.model import Action
from ragbook.core.privacy import find_in_text, nhs_number_valid, scan


@pytest.mark.parametrize("text, kind, found", [
    ("Contact the worker on jane.smith@nhs.net for details.", "email", "jane.smith@nhs.net"),
    ("Ring 01375 652000 to book.", "phone", "01375 652000"),
    ("Mobile 07700 900123 given to the family.", "phone", "07700 900123"),
    ("Mobile +44 7700 900123 given.", "phone", "+44 7700 900123"),
    ("Referral for NHS number 943 476 5919 sent.", "nhs", "943 476 5919"),
    ("NHS no. 9434765919.", "nhs", "9434765919"),
    ("Child's DOB: 12/03/2015 recorded.", "dob", "DOB: 12/03/2015"),
    ("She was born on 4th May 2012 in Grays.", "dob", "born on 4th May 2012"),
    ("Date of birth 01.02.2016.", "dob", "Date of birth 01.02.2016"),
    ("The family moved to RM17 6SL last year.", "postcode", "RM17 6SL"),
    ("Kyle's mother did not attend.", "name", "Kyle's mother"),
    ("Mrs Patel attended the conference.", "name", "Mrs Patel"),
    ("Mr. Jones was not invited.", "name", "Mr. Jones"),
    ("The mother, Jane, was spoken to.", "name", "mother, Jane"),
    ("Sarah (mother) refused the visit.", "name", "Sarah (mother"),
    ("Her brother Liam was at school.", "name", "brother Liam"),
])
def test_planted_cases_are_found(text, kind, found):
    assert (kind, found) in list(find_in_text(text))


@pytest.mark.parametrize("text", [
    "Scoping meeting of the Practice Standards Group (PSG) held 18.11.20.",
    "A multi-agency panel was convened to review one PASS case, held on 17.03.2021.",
    "Signs of Safety Conference (SoS) on 21st October 2020.",
    "Reference 123 456 7890 is not an NHS number (its check digit is wrong).",
    "Presentation delivered to Management Executive Board on 20th December 2020.",
    "children, young people and their families; the Think Family podcast; Child A and Baby S.",
    "Graded Care Profile 2 (GCP2) training for MARAC, MASH + Child Exploitation/Missing.",
    "Children's Social Care conducted a dip sample audit with CSC managers.",
    "The Partnership met in Room 2, 3 Children in Need cases were audited.",
])
def test_ordinary_plan_wording_raises_nothing(text):
    assert list(find_in_text(text)) == []


def test_nhs_check_digit():
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")  # one digit off
    assert not nhs_number_valid("1234567890")  # the check comes to 10: never a valid NHS number
    assert not nhs_number_valid("94347659")


def test_scan_names_the_action_and_column():
    actions = [
        Action("CSPR Child D", "1.1", "Review the threshold document.", "Audit ten cases.",
               "Health", progress="Discussed with Kyle's mother at home, RM17 6SL.", rag="G"),
        Action("CSPR Child D", "1.2", "Review the threshold document.", "Email lead@school.example.org.",
               "Education", rag="A"),
    ]
    found = scan(actions)
    assert [(p.ref, p.field, p.kind, p.text) for p in found] == [
        ("1.1", "Progress", "postcode", "RM17 6SL"),
        ("1.1", "Progress", "name", "Kyle's mother"),
        ("1.2", "Action", "email", "lead@school.example.org"),
    ]
    finding = found[0].as_finding()
    assert (finding.severity, finding.rule, finding.field) == ("warning", "personal-data", "Progress")
    assert finding.message == ("Progress may hold a postcode ('RM17 6SL'); remove it before publishing, or accept "
                               "it with --accept-personal-data.")
