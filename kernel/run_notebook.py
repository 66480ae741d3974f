"""Executes one notebook with Jupyter's own executor (nbclient) and the real
kernel, keeping going after errors so every cell's output is recorded.

usage: python run_notebook.py SRC DST KERNEL TIMEOUT_SECONDS [WORKDIR]

WORKDIR (default: SRC's folder) is where the kernel runs, so a copy of a
notebook made elsewhere (with its exercises solved) runs as the original.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

src, dst, kernel, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
workdir = sys.argv[5] if len(sys.argv) > 5 else os.path.dirname(os.path.abspath(src))
nb = nbformat.read(src, as_version=4)
client = NotebookClient(
    nb,
    kernel_name=kernel,
    timeout=timeout,
    startup_timeout=120,
    allow_errors=True,
    resources={"metadata": {"path": workdir}},
)
try:
    client.execute()
finally:
    tmp = dst + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, dst)
