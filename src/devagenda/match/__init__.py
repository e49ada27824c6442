"""Matchmaking (WIPO Match and WIPO GREEN): needs, offers and their suggestions."""
