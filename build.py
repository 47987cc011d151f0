#!/usr/bin/env python3
"""Build the fact-check site: `python build.py` (see `python build.py --help`)."""

import sys
from pathlib import Path

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main(default_root=Path(__file__).resolve().parent))
