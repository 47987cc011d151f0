"""Load: read the content files (located YAML), check them against the schemas, and build the
typed model (model.py) with the archived sources they cite."""
