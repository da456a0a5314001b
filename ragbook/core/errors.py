"""Domain exceptions.

Every message is one sentence a business manager can act on: it names the file (and sheet, row or cell
where there is one), says what is wrong and, where it can, what to do. The command line prints it as is
and exits 2; the ribbon shows it in a message box.
"""


class RagbookError(Exception):
    """Base of every error ragbook reports to a person instead of a traceback."""

    exit_code = 2


class InputError(RagbookError):
    """A file or argument could not be used: missing, unreadable, the wrong kind, or not a plan."""


class UnsafeFileError(InputError):
    """A file was refused before parsing because it could harm the machine (zip bomb, DTD, macros...)."""


class MasterBusyError(RagbookError):
    """The master must not be written now: Excel has it open (its ``~$`` file exists), or another ragbook command
    or button is changing it (its ``.ragbook-lock`` file names who)."""


class UnpreservableContentError(RagbookError):
    """The master holds something the command line would lose on saving (pictures, pivot tables...)."""
