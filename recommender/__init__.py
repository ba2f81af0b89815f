"""recommender: K-drama recommendations from shared tropes."""

__version__ = "0.1.0"
