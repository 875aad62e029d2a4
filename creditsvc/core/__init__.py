"""Shared value types of the programme: errors, money, principals, personal data, ID numbers."""
