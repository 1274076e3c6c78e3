"""The audit log (DOMAIN.md 6): writing entries (``trail``) and reading them back for admins
and coordinators (``search``, ``export``)."""
