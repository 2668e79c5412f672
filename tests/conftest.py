import sys
from pathlib import Path

# Test helpers (such as rule_examples.py) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
