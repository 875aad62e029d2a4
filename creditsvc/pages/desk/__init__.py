"""工作台: the officer's desk."""
