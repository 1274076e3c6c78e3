"""Calendars both ways: the busy times of interpreters and agency places read from their own
calendars (ICS or CalDAV), and the iTIP answers read from the organizer mailbox."""
