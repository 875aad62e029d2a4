"""What every area stands on: the unit of work, audit, idempotency, jobs, paging, scoping."""
