import sys

from proplens.cli import main

sys.exit(main())
