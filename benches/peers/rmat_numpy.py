"""Graph500-style R-MAT edge list with numpy -- FOR TESTING THE HARNESS ONLY.

The real benchmark reads files written by the Rust generator
(``cargo run --release --example kronecker``), so that Porte-voix and the peers
read the same bytes the project generates. This stand-in exists so that the
harness can be exercised before that example exists; run.py only uses it with
``--kron-generator numpy`` and names its output ``*.rmat-numpy.txt``.

    python rmat_numpy.py SCALE EDGE_FACTOR SEED OUT
"""

import sys

import numpy as np


def rmat(scale: int, edge_factor: int, seed: int):
    rng = np.random.default_rng(seed)
    m = edge_factor << scale
    a, b, c = 0.57, 0.19, 0.19  # Graph500 initiator (d = 0.05)
    src = np.zeros(m, dtype=np.int64)
    dst = np.zeros(m, dtype=np.int64)
    ab = a + b
    c_norm = c / (1.0 - ab)
    a_norm = a / ab
    for bit in range(scale):
        ii = rng.random(m) > ab
        jj = rng.random(m) > np.where(ii, c_norm, a_norm)
        src |= ii.astype(np.int64) << bit
        dst |= jj.astype(np.int64) << bit
    perm = rng.permutation(1 << scale)
    src, dst = perm[src], perm[dst]
    order = rng.permutation(m)
    return src[order], dst[order]


def main(argv):
    scale, ef, seed, out = int(argv[0]), int(argv[1]), int(argv[2]), argv[3]
    src, dst = rmat(scale, ef, seed)
    chunk = 1 << 22
    with open(out, "w") as f:
        for i in range(0, len(src), chunk):
            s = src[i : i + chunk].astype(str)
            d = dst[i : i + chunk].astype(str)
            f.write("\n".join(np.char.add(np.char.add(s, " "), d).tolist()))
            f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
