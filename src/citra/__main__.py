"""``python -m citra``."""

from citra.cli import main

main()
