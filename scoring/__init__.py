"""Pure scoring package of creditsvc: rules, features, scorecard and decision.

No Flask, SQLAlchemy or creditsvc imports: inputs and outputs are frozen
dataclasses, and the model is a JSON artifact loaded once and passed in.

Entry points: `policy.Policy`, `inputs.AssessmentInput`, `rules.evaluate_rules`,
`features.derive_features`, `scorecard.Scorecard`, `decision.assess` / `replay`,
`train.train_scorecard`, `bootstrap.build_bootstrap`, and the `cli.scoring`
click group.
"""
