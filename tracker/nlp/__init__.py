"""NLP stage: model loading (models.py), spaCy components (companies/, sectors.py, claims.py), the extraction
entry point (extract.py) and scoring (scoring.py). The securities master they link to is tracker.securities."""
