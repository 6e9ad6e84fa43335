"""writ-dsl: compile .writ task specs into verified agent training trajectories."""
__version__ = "0.1.0"
