"""The staff login's pages: password, second factor (code or enrolment), logout."""
