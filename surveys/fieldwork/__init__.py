"""A survey in the field: sampling, access codes and invitations, answer sessions,
idempotent submission and bulk imports, quality flags and fieldwork monitoring.
"""
