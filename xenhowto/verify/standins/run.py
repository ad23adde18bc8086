"""Entry script of the stand-ins inside the sandbox: ``run.py NAME ARG...``.

Kept tiny because Python does not cache the byte code of a script it runs;
everything else is imported from the package beside it.
"""
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(_here))

from standins import main, world  # noqa: E402

world.RUNNER = [sys.executable, "-I", "-S", os.path.abspath(__file__)]
if sys.argv[1:] == ["--serve"]:
    from standins import server  # noqa: E402

    server.serve()
    sys.exit(0)
sys.exit(main.main(sys.argv[1], sys.argv[2:]))
