"""Staff authentication: accounts and their roles, passwords (hashed off the event loop),
the login's steps, lock-out and throttling, sessions, the second factor and recovery codes."""
