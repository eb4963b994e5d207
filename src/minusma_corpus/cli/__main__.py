"""``python -m minusma_corpus.cli ...`` == ``minusma-corpus ...``."""

import sys

from .main import main

sys.exit(main())
