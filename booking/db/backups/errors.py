"""The one error of backups and restores."""


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says what to do."""
