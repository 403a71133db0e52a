"""moto's server with the gaps the stacks hit filled in, started by local/emulator.sh.

Where moto answers otherwise than AWS for what the stacks do, local/moto_patches changes it, one
module per service with the reasons in its docstring; importing the package applies the patches
after checking that the installed moto is the release they were written for.
"""

import sys

import moto_patches  # noqa: F401 - applies the patches
from moto.server import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
