"""Papers to print: each document's figures (`documents.py`, `loan_papers.py`,
`subsidy_papers.py`) and the one renderer that numbers, fingerprints, audits and makes an A4
PDF of them (`render.py`)."""
