"""The back office: staff pages (session cookie, CSRF-protected forms) and the staff API
(Bearer tokens only), both behind login and scoped to the staff member's region."""
