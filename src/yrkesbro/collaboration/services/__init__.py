"""Writes to collaboration structures, one module per area.

Every function checks the actor's right through the parties of the partnership,
runs in a transaction, raises DomainError with a translated message and writes
an audit entry.
"""
