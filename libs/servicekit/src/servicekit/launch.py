"""`python -m servicekit.launch [module]`: run a module of the image as `python -m` would.

The image's entry point (deploy/docker/Dockerfile): an exec-form ENTRYPOINT cannot expand the
build's package argument, and the image has no shell to do it, so the module comes from the
command line (`pegawai.seed`, `gateway.projector`) or else from `ASN_MODULE`, which the image
sets to its package.
"""

from __future__ import annotations

import os
import runpy
import sys


def module_to_run(argv: list[str], environ: dict[str, str] | os._Environ[str]) -> str:
    if len(argv) > 1:
        return argv[1]
    module = environ.get("ASN_MODULE")
    if not module:
        raise SystemExit("name a module (python -m servicekit.launch pegawai) or set ASN_MODULE")
    return module


def main() -> None:
    module = module_to_run(sys.argv, os.environ)
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
