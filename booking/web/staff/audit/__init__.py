"""The audit log viewer: who saw or changed which appointment, when, for admins and for
coordinators (their region only), as a page with a CSV download and as JSON."""
