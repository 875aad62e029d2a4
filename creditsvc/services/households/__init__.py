"""Household files (一户一档): the files, their change record, lookup and search."""
