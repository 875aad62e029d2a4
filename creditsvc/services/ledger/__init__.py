"""The 台账: the per-loan 扶贫小额信贷台账 and the monthly 台账统计表 the county reports upward."""
