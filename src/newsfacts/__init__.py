"""newsfacts: Russian business and diplomatic news turned into a sourced database of facts."""

import os

# natasha's models multiply small matrices: BLAS thread pools only add contention
# (6x slower on a busy 2-core machine). newsfacts scales with processes (ingest
# --workers, Ray actors) instead. Set before numpy is first imported; an explicit
# setting in the environment wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
