"""The names of the master's sheets: the workbook contract that users, returns and messages rely on.

Change none without a migration: returns issued last quarter and formulas users wrote point at these names.
The columns of each sheet are the adapters' concern (``io.sheets.contract``).
"""

REGISTER, RATING_INDEX, AGENCIES, SUMMARY, EXCEPTIONS, AUDIT_LOG, RETURNS, XLWINGS_CONF = (
    "Register", "Rating Index", "Agencies", "Summary", "Exceptions", "Audit Log", "Returns", "xlwings.conf"
)
SETTINGS = "Settings"  # the partnership's name, contact and protective marking (see core.settings)
ROUND = "Round"  # the next round of returns: due date, how returns are sent, when to chase (see core.round)
UPDATES = "Updates"  # every accepted update, one dated row each, never rewritten (append-only)
HELD_UPDATES = "Held Updates"  # updates held back for a person to accept or reject (see core.decisions)
