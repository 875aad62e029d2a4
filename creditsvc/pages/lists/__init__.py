"""The campaign's lists as pages: 信用评级 and 应贷未贷, in the officer's area."""
