"""The programme: the versioned policy in force and the scorecard registry."""
