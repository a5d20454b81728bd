"""NLP stage: model loading (models.py), securities master (securities.py), spaCy components
(companies.py, sectors.py, claims.py), the extraction entry point (extract.py) and scoring (scoring.py)."""
