"""The village campaign (调查 → 评级 → 公示 → 授信) and its lists."""
