"""Staff authentication: accounts and their roles, password hashing, sessions."""
