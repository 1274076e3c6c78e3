"""iCalendar files: VTIMEZONEs every client reads alike, handover invites and feeds, the
migrant's "add to my calendar" file, and reading the iTIP answers that come back."""
