"""Loans: applications, disbursement, servicing, corrections and the lists that read them."""
