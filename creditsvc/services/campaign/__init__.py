"""The village campaign (调查 → 评级 → 公示 → 授信): open, rate, the committee's view, 公示, grant;
and its lists (信用评级, 应贷未贷)."""
