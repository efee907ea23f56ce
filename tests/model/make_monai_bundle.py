#!/usr/bin/env python3
"""A MONAI bundle laid out as MONAI writes one, and what MONAI would compute with it.

    /usr/bin/python3 make_monai_bundle.py OUT_DIR

Writes OUT_DIR/bundle (configs/metadata.json, configs/inference.json, models/model.ts) and
OUT_DIR/bundle_refs.pt. MONAI itself is not in Debian, so its semantics are written out here from its
definitions (monai.inferers.sliding_window_inference, monai.data.utils.compute_importance_map,
monai.transforms Orientation / NormalizeIntensity), independently of Voxplain's C++:

  - the study (two modalities, an identity LPS grid, i.e. RAS affine diag(-1, -1, 1)) is reoriented to
    RAS by Orientationd: axes 0 and 1 flipped;
  - NormalizeIntensityd(nonzero=True, channel_wise=True): per channel, over the non-zero voxels,
    (x - mean) / std with the population std; zeros stay zero;
  - SlidingWindowInferer(roi_size=[32]*3, overlap=0.5, mode=gaussian, sigma_scale=0.125,
    sw_batch_size=2): the volume zero-padded symmetrically to the roi where smaller, windows every
    int(roi * (1 - overlap)) voxels with the last one at the border, importance = product of 1D
    Gaussians (not rescaled) clamped below at max(min, 1e-3), blended and divided by the summed
    importance, cropped back;
  - postprocessing Activationsd(softmax) + AsDiscreted(argmax).

References (on the study grid): input [1, 2, X, Y, Z], probabilities [K, X, Y, Z], mask (argmax == 1)
and saliency [2, X, Y, Z] = dS/d(normalised input) of S = sum over the mask of the blended class-1
logit (autograd through the whole blended graph).
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_reference_networks import MonaiStyleNet  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from tensor_container import save_tensors  # noqa: E402

ROI, OVERLAP, SIGMA_SCALE, FLOOR = 32, 0.5, 0.125, 1e-3

INFERENCE = {
    "imports": ["$import torch"],
    "bundle_root": ".",
    "device": "$torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')",
    "network_def": {"_target_": "UNet", "spatial_dims": 3, "in_channels": 2, "out_channels": 3},
    "network": "$@network_def.to(@device)",
    "image_key": "image",
    "roi": [ROI, ROI, ROI],
    "preprocessing": {"_target_": "Compose", "transforms": "@preprocessing_transforms"},
    "preprocessing_transforms": [
        {"_target_": "LoadImaged", "keys": "@image_key"},
        {"_target_": "EnsureChannelFirstd", "keys": "image"},
        {"_target_": "Orientationd", "keys": ["image", "label"], "axcodes": "RAS"},
        {"_target_": "CropForegroundd", "keys": "label", "source_key": "label"},
        {"_target_": "NormalizeIntensityd", "keys": "$@image_key", "nonzero": True, "channel_wise": True},
        {"_target_": "EnsureTyped", "keys": "image"},
    ],
    "inferer": {"_target_": "SlidingWindowInferer", "roi_size": "@roi", "sw_batch_size": 2, "overlap": OVERLAP,
                "mode": "gaussian", "sigma_scale": SIGMA_SCALE},
    "postprocessing": {"_target_": "Compose", "transforms": [
        {"_target_": "Activationsd", "keys": "pred", "softmax": True},
        {"_target_": "Invertd", "keys": "pred", "transform": "@preprocessing", "orig_keys": "image"},
        {"_target_": "AsDiscreted", "keys": "pred", "argmax": True},
        {"_target_": "monai.transforms.KeepLargestConnectedComponentd", "keys": "pred", "applied_labels": [1]},
        {"_target_": "SaveImaged", "keys": "pred", "output_dir": "$@bundle_root + '/eval'"},
    ]},
}

METADATA = {
    "schema": "https://github.com/Project-MONAI/MONAI-extra-test-data/releases/download/0.8.1/meta_schema_20220324.json",
    "version": "0.1.0", "name": "Foreign two-modality lesion segmentation (test bundle)",
    "description": "A MONAI-style residual U-Net with random weights, laid out by Voxplain's tests",
    "network_data_format": {
        "inputs": {"image": {"type": "image", "format": "magnitude", "modality": "MR", "num_channels": 2,
                             "spatial_shape": [ROI, ROI, ROI], "dtype": "float32", "value_range": [],
                             "is_patch_data": True, "channel_def": {"0": "FLAIR", "1": "T1"}}},
        "outputs": {"pred": {"type": "image", "format": "segmentation", "num_channels": 3,
                             "spatial_shape": [ROI, ROI, ROI], "dtype": "float32", "value_range": [0, 1, 2],
                             "is_patch_data": True, "channel_def": {"0": "background", "1": "lesion", "2": "edema"}}},
    },
}


def starts(size):
    if size == ROI:
        return [0]
    step = max(1, int(ROI * (1 - OVERLAP)))
    count = next(d for d in range(math.ceil(size / step)) if d * step + ROI >= size) + 1
    return [d * step - max(d * step + ROI - size, 0) for d in range(count)]


def importance():
    sigma = SIGMA_SCALE * ROI
    x = torch.arange(-(ROI - 1) / 2.0, (ROI - 1) / 2.0 + 1, dtype=torch.float)
    g = torch.exp(x ** 2 / (-2 * sigma ** 2))
    m = g[:, None, None] * g[None, :, None] * g[None, None, :]
    return torch.clamp(m, min=max(m.min().item(), FLOOR))


def sliding_window(net, x):
    shape = x.shape[2:]
    pad = []
    for k in range(len(x.shape) - 1, 1, -1):
        diff = max(ROI - x.shape[k], 0)
        pad += [diff // 2, diff - diff // 2]
    xp = F.pad(x, pad, mode="constant", value=0.0)
    imp = importance()
    out, count = None, torch.zeros(xp.shape[2:])
    for a in starts(xp.shape[2]):
        for b in starts(xp.shape[3]):
            for c in starts(xp.shape[4]):
                y = net(xp[:, :, a:a + ROI, b:b + ROI, c:c + ROI])
                if out is None:
                    out = torch.zeros(1, y.shape[1], *xp.shape[2:])
                placed = torch.zeros_like(out)
                placed[:, :, a:a + ROI, b:b + ROI, c:c + ROI] = y * imp
                out = out + placed
                count[a:a + ROI, b:b + ROI, c:c + ROI] += imp
    out = out / count
    lo = [pad[2 * (2 - d)] for d in range(3)]
    return out[:, :, lo[0]:lo[0] + shape[0], lo[1]:lo[1] + shape[1], lo[2]:lo[2] + shape[2]]


def normalize_nonzero_channel_wise(x):
    out = x.clone()
    for c in range(x.shape[1]):
        v = x[0, c]
        nz = v != 0
        mean, std = v[nz].mean(), v[nz].std(unbiased=False)
        out[0, c][nz] = (v[nz] - mean) / (std if std != 0 else 1.0)
    return out


def main():
    out = sys.argv[1]
    bundle = os.path.join(out, "bundle")
    os.makedirs(os.path.join(bundle, "configs"), exist_ok=True)
    os.makedirs(os.path.join(bundle, "models"), exist_ok=True)
    torch.manual_seed(3)
    net = MonaiStyleNet().eval()
    for p in net.parameters():
        p.requires_grad_(False)
    torch.jit.script(net).save(os.path.join(bundle, "models", "model.ts"))
    with open(os.path.join(bundle, "configs", "inference.json"), "w") as f:
        json.dump(INFERENCE, f, indent=1)
    with open(os.path.join(bundle, "configs", "metadata.json"), "w") as f:
        json.dump(METADATA, f, indent=1)

    g = torch.Generator().manual_seed(11)
    shape = (40, 44, 24)  # x, y: two windows each at overlap 0.5; z: padded to the roi
    x = 3.0 + torch.randn(1, 2, *shape, generator=g)
    x[:, 0, 12:24, 16:30, 6:18] += 4.0
    x[:, 1, 12:24, 16:30, 6:18] -= 2.0
    x[:, :, :5] = 0.0  # background outside the head: excluded from the nonzero statistics
    model_in = normalize_nonzero_channel_wise(torch.flip(x, dims=[2, 3])).requires_grad_(True)
    logits = sliding_window(net, model_in)
    probabilities = torch.softmax(logits, 1)[0]
    mask = (logits.argmax(1)[0] == 1).float()
    if not 0 < int(mask.sum()) < mask.numel():
        raise SystemExit("class 1 is predicted nowhere or everywhere: choose another seed")
    grad = torch.autograd.grad((logits[0, 1] * mask).sum(), model_in)[0][0]
    back = lambda t: torch.flip(t, dims=[-3, -2])  # noqa: E731 (model grid -> study grid)
    save_tensors({"input": x, "probabilities": back(probabilities.detach()), "mask": back(mask), "saliency": back(grad)},
                 os.path.join(out, "bundle_refs.pt"))
    print("MONAI-style bundle written to", bundle, "- class-1 voxels:", int(mask.sum()))


if __name__ == "__main__":
    main()
