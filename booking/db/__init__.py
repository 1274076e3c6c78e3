"""Persistence: Piccolo tables, the migrations app, transactions and queries."""
