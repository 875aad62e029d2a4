"""The service layer by area: typed functions that take a session and a principal, and flush.

The unit of work (platform/uow.py) of each entry point owns the transaction and commits once.
"""
