"""Exports: the lists people see, as xlsx files to keep, send upward and print."""
