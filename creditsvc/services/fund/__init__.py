"""The guarantee fund: its account and ledger, exposure, claims, recoveries, reports and checks."""
