"""Accounts: users and their roles, API tokens, web sessions, login throttling, and the
permission table every service consults (`permissions.authorize`)."""
