"""Minimal NIfTI-1 reader for build/test tools (standard library + numpy; no nibabel in Debian's
minimal set). Returns the voxels as a numpy array indexed [x, y, z(, t)] with scl_slope applied."""
import gzip
import struct

import numpy as np

_DTYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8,
           512: np.uint16, 768: np.uint32}


def read_nifti(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if struct.unpack("<i", raw[:4])[0] != 348:
        raise ValueError(f"{path}: not a little-endian NIfTI-1 file")
    dim = struct.unpack("<8h", raw[40:56])
    datatype = struct.unpack("<h", raw[70:72])[0]
    vox_offset = int(struct.unpack("<f", raw[108:112])[0])
    slope, inter = struct.unpack("<2f", raw[112:120])
    shape = dim[1:dim[0] + 1]
    count = int(np.prod(shape))
    data = np.frombuffer(raw, dtype=_DTYPES[datatype], count=count, offset=vox_offset)
    data = data.reshape(shape[::-1]).transpose(tuple(range(len(shape) - 1, -1, -1)))
    if slope not in (0.0, 1.0) or inter != 0.0:
        data = data * (slope if slope else 1.0) + inter
    return np.ascontiguousarray(data)
