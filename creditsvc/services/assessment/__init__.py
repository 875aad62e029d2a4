"""Assessment: the scoring input from a household file, batch scoring, the programme's outcomes."""
