"""Executes one notebook with Jupyter's own executor (nbclient) and the real
kernel, keeping going after errors so every cell's output is recorded.

usage: python run_notebook.py SRC DST KERNEL TIMEOUT_SECONDS
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

src, dst, kernel, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
nb = nbformat.read(src, as_version=4)
client = NotebookClient(
    nb,
    kernel_name=kernel,
    timeout=timeout,
    startup_timeout=120,
    allow_errors=True,
    resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
)
try:
    client.execute()
finally:
    tmp = dst + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, dst)
