"""Pure scoring package of creditsvc: rules, features, scorecard and decision.

No Flask, SQLAlchemy or creditsvc imports: inputs and outputs are frozen
dataclasses, and the model is a JSON artifact loaded once and passed in.
"""
