"""Single sign-on with OpenID Connect: the authorization code flow with PKCE (flow.py), its
state between the two legs (state.py), and which staff login a verified identity is
(accounts.py)."""
