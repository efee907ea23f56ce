#!/usr/bin/env python3
"""check_same_affine.py A.nii[.gz] B.nii[.gz]: exit 0 when both NIfTI-1 files have the same
dimensions and sform/qform (what ITK-SNAP and 3D Slicer use to overlay them); prints the reason."""
import gzip
import struct
import sys


def header(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        h = f.read(348)
    dims = struct.unpack("<8h", h[40:56])[1:4]
    codes = struct.unpack("<2h", h[252:256])
    quatern = struct.unpack("<6f", h[256:280])
    srow = struct.unpack("<12f", h[280:328])
    pixdim = struct.unpack("<8f", h[76:108])[1:4]
    return dims, codes, quatern, srow, pixdim


a, b = header(sys.argv[1]), header(sys.argv[2])
names = ["dims", "qform/sform codes", "quaternion+offset", "sform rows", "pixdim"]
bad = [n for n, x, y in zip(names, a, b) if any(abs(float(p) - float(q)) > 1e-4 for p, q in zip(x, y))]
if bad:
    print("differ:", ", ".join(bad), a, b)
    sys.exit(1)
print("same grid and affine:", a[0], a[3])
