"""财政贴息: the quarterly subsidy statements per bank."""
