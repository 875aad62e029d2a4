"""贷款: the loans in an officer's villages."""
