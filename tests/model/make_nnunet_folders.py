#!/usr/bin/env python3
"""nnU-Net v2 results folders as nnU-Net writes them, and what nnUNetv2_predict's default inference
computes on a study, written here independently of Voxplain (and of its exporter).

    /usr/bin/python3 make_nnunet_folders.py OUT_DIR

Writes under OUT_DIR:
  Dataset900_Ct/nnUNetTrainer__nnUNetPlans__3d_fullres/      PlainConvUNet, folds 0 and 1, CT + MR
      (CTNormalization + ZScoreNormalization), anisotropic spacing (3 x 0.8 x 0.8 mm, z first)
  Dataset900_Ct/nnUNetTrainer__nnUNetResEncUNetMPlans__3d_fullres/   ResidualEncoderUNet, fold 0
  study/CT.nii.gz, study/T2.nii.gz                            the study, on the plans' spacing
  refs_<name>.pt                                              tensor container (tools/tensor_container)
  nnunet_folders.json                                         the cases

Checkpoints hold what nnU-Net's trainer saves (network_weights, optimizer_state, numpy values in
"logging", init_args, trainer_name, inference_allowed_mirroring_axes), keys named as
dynamic_network_architectures names its modules. The networks here are plain functions over a
dictionary of tensors (F.conv3d, F.instance_norm, ...), so the exporter's module tree must load
these keys strictly to agree.

The reference inference (one function per step of nnUNetPredictor's default path): the SimpleITK
array order [C, Z, Y, X]; cropped to the bounding box of the voxels where any channel is non-zero
(the study has a zero border, as a defaced or skull-stripped export has); each channel normalised by
the plans' scheme on the crop; patch_size windows at nnU-Net's step rule (tile step 0.5); its Gaussian (a delta
filtered with sigma = patch / 8, truncated at 4 sigma, normalised to 1, zeros raised to the smallest
weight); mirroring over inference_allowed_mirroring_axes (every non-empty subset); fold logits
averaged; softmax, argmax. Saliency: autograd of the sum of the class-1 logit over the voxels
predicted as class 1, with respect to the normalised input, through the whole window / mirror /
fold pipeline. Everything in float32 (nnU-Net accumulates the window sums in float16 on the GPU).
"""
import itertools
import json
import math
import os
import sys

import nibabel
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from tensor_container import save_tensors  # noqa: E402

SPACING_ZYX = [3.0, 0.8, 0.8]
SHAPE_ZYX = [12, 40, 36]
PATCH = [8, 24, 24]
CT_PROPS = {"mean": 40.0, "std": 120.0, "percentile_00_5": -300.0, "percentile_99_5": 400.0, "min": -1000.0,
            "max": 1500.0, "median": 35.0}
LABELS = {"background": 0, "organ": 1, "lesion": 2}


# --- the network as functions over a state dict -------------------------------------------------


class Weights:
    """Makes and records tensors under nnU-Net's key names; a module held twice records both names."""

    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)
        self.d = {}

    def conv(self, key, cin, cout, k, bias):
        w = torch.randn(cout, cin, *k, generator=self.g) * math.sqrt(2.0 / (cin * int(np.prod(k))))
        self.d[key + ".weight"] = w
        if bias:
            self.d[key + ".bias"] = torch.randn(cout, generator=self.g) * 0.1
        return key

    def norm(self, key, c):
        self.d[key + ".weight"] = 1.0 + 0.1 * torch.randn(c, generator=self.g)
        self.d[key + ".bias"] = 0.1 * torch.randn(c, generator=self.g)
        return key

    def alias(self, source, target):
        for k in list(self.d):
            if k.startswith(source + "."):
                self.d[target + k[len(source):]] = self.d[k]


def cdn(w, key, cin, cout, k, stride, bias, nonlin=True):
    """ConvDropoutNormReLU: conv, norm, (nonlin); its Sequential repeats the conv and norm keys."""
    w.conv(key + ".conv", cin, cout, k, bias)
    w.norm(key + ".norm", cout)
    w.alias(key + ".conv", key + ".all_modules.0")
    w.alias(key + ".norm", key + ".all_modules.1")
    return {"conv": key + ".conv", "norm": key + ".norm", "stride": stride, "pad": [(i - 1) // 2 for i in k],
            "nonlin": nonlin}


def run_cdn(d, op, x):
    x = F.conv3d(x, d[op["conv"] + ".weight"], d.get(op["conv"] + ".bias"), op["stride"], op["pad"])
    x = F.instance_norm(x, weight=d[op["norm"] + ".weight"], bias=d[op["norm"] + ".bias"], eps=1e-5)
    return F.leaky_relu(x, 0.01) if op["nonlin"] else x


def make_network(kind, channels, classes, seed):
    """(arch dict for the plans, state dict, forward function)."""
    w = Weights(seed)
    features, strides, kernels = [8, 16, 24], [[1, 1, 1], [1, 2, 2], [2, 2, 2]], [[1, 3, 3], [3, 3, 3], [3, 3, 3]]
    enc = []  # per stage: list of ops ("cdn", op) or ("res", {...})
    if kind == "PlainConvUNet":
        cin = channels
        for s in range(3):
            ops = [cdn(w, f"encoder.stages.{s}.0.convs.{i}", cin if i == 0 else features[s], features[s], kernels[s],
                       strides[s] if i == 0 else [1, 1, 1], True) for i in range(2)]
            enc.append([("cdn", op) for op in ops])
            cin = features[s]
        stem = []
    else:
        stem = [cdn(w, "encoder.stem.convs.0", channels, features[0], kernels[0], [1, 1, 1], True)]
        cin = features[0]
        blocks = [1, 2, 2]
        for s in range(3):
            stage = []
            for b in range(blocks[s]):
                key = f"encoder.stages.{s}.blocks.{b}"
                bin_, stride = (cin, strides[s]) if b == 0 else (features[s], [1, 1, 1])
                block = {"conv1": cdn(w, key + ".conv1", bin_, features[s], kernels[s], stride, True),
                         "conv2": cdn(w, key + ".conv2", features[s], features[s], kernels[s], [1, 1, 1], True,
                                      nonlin=False),
                         "pool": stride if any(i != 1 for i in stride) else None, "proj": None}
                if bin_ != features[s]:
                    index = 1 if block["pool"] else 0
                    block["proj"] = cdn(w, f"{key}.skip.{index}", bin_, features[s], [1, 1, 1], [1, 1, 1], False,
                                        nonlin=False)
                stage.append(("res", block))
            enc.append(stage)
            cin = features[s]
    dec = []
    for s in range(1, 3):
        below, skip = features[-s], features[-(s + 1)]
        t = f"decoder.transpconvs.{s - 1}"
        w.d[t + ".weight"] = torch.randn(below, skip, *strides[-s], generator=w.g) * math.sqrt(1.0 / below)
        w.d[t + ".bias"] = torch.randn(skip, generator=w.g) * 0.1
        conv = cdn(w, f"decoder.stages.{s - 1}.convs.0", 2 * skip, skip, kernels[-(s + 1)], [1, 1, 1], True)
        w.conv(f"decoder.seg_layers.{s - 1}", skip, classes, [1, 1, 1], True)
        dec.append({"t": t, "stride": strides[-s], "conv": conv, "seg": f"decoder.seg_layers.{s - 1}"})
    for k in [k for k in w.d if k.startswith("encoder.")]:
        w.d["decoder." + k] = w.d[k]  # the decoder holds the encoder too
    d = w.d

    def forward(x):
        for op in stem:
            x = run_cdn(d, op, x)
        skips = []
        for stage in enc:
            for kind_, op in stage:
                if kind_ == "cdn":
                    x = run_cdn(d, op, x)
                else:
                    residual = x
                    if op["pool"]:
                        residual = F.avg_pool3d(residual, op["pool"], op["pool"])
                    if op["proj"]:
                        residual = run_cdn(d, op["proj"], residual)
                    x = F.leaky_relu(run_cdn(d, op["conv2"], run_cdn(d, op["conv1"], x)) + residual, 0.01)
            skips.append(x)
        x = skips[-1]
        for s, st in enumerate(dec):
            up = F.conv_transpose3d(x, d[st["t"] + ".weight"], d[st["t"] + ".bias"], st["stride"])
            x = run_cdn(d, st["conv"], torch.cat([up, skips[-(s + 2)]], 1))
        return F.conv3d(x, d[dec[-1]["seg"] + ".weight"], d[dec[-1]["seg"] + ".bias"])

    norm = "torch.nn.modules.instancenorm.InstanceNorm3d"
    arch = {"network_class_name": "dynamic_network_architectures.architectures.unet." + kind,
            "arch_kwargs": {"n_stages": 3, "features_per_stage": features, "conv_op": "torch.nn.modules.conv.Conv3d",
                            "kernel_sizes": kernels, "strides": strides, "n_conv_per_stage_decoder": [1, 1],
                            "conv_bias": True, "norm_op": norm, "norm_op_kwargs": {"eps": 1e-05, "affine": True},
                            "dropout_op": None, "dropout_op_kwargs": None,
                            "nonlin": "torch.nn.modules.activation.LeakyReLU", "nonlin_kwargs": {"inplace": True}},
            "_kw_requires_import": ["conv_op", "norm_op", "dropout_op", "nonlin"]}
    if kind == "PlainConvUNet":
        arch["arch_kwargs"]["n_conv_per_stage"] = [2, 2, 2]
    else:
        arch["arch_kwargs"]["n_blocks_per_stage"] = [1, 2, 2]
    return arch, d, forward


# --- the folder ---------------------------------------------------------------------------------


def plans_for(name, arch):
    return {"dataset_name": "Dataset900_Ct", "plans_name": name, "original_median_spacing_after_transp": SPACING_ZYX,
            "original_median_shape_after_transp": SHAPE_ZYX, "image_reader_writer": "SimpleITKIO",
            "transpose_forward": [0, 1, 2], "transpose_backward": [0, 1, 2],
            "configurations": {
                "3d_fullres": {"data_identifier": name + "_3d_fullres", "preprocessor_name": "DefaultPreprocessor",
                               "batch_size": 2, "patch_size": PATCH, "median_image_size_in_voxels": SHAPE_ZYX,
                               "spacing": SPACING_ZYX, "normalization_schemes": ["CTNormalization",
                                                                                 "ZScoreNormalization"],
                               "use_mask_for_norm": [False, False], "resampling_fn_data": "resample_data_or_seg_to_shape",
                               "resampling_fn_seg": "resample_data_or_seg_to_shape",
                               "resampling_fn_data_kwargs": {"is_seg": False, "order": 3, "order_z": 0,
                                                             "force_separate_z": None},
                               "resampling_fn_seg_kwargs": {"is_seg": True, "order": 1, "order_z": 0,
                                                            "force_separate_z": None},
                               "resampling_fn_probabilities": "resample_data_or_seg_to_shape",
                               "resampling_fn_probabilities_kwargs": {"is_seg": False, "order": 1, "order_z": 0,
                                                                      "force_separate_z": None},
                               "architecture": arch, "batch_dice": True},
                "3d_lowres": {"inherits_from": "3d_fullres", "previous_stage": None, "spacing": [6.0, 1.6, 1.6]},
                "3d_cascade_fullres": {"inherits_from": "3d_fullres", "previous_stage": "3d_lowres"}},
            "experiment_planner_used": "ExperimentPlanner", "label_manager": "LabelManager",
            "foreground_intensity_properties_per_channel": {"0": CT_PROPS, "1": {
                "mean": 300.0, "std": 80.0, "percentile_00_5": 50.0, "percentile_99_5": 600.0}}}


def checkpoint(weights, mirror_axes, fold):
    """What nnUNetTrainer.save_checkpoint writes, numpy values in the logging included."""
    return {"network_weights": weights, "optimizer_state": {"state": {}, "param_groups": [{"lr": 0.01}]},
            "grad_scaler_state": None,
            "logging": {"mean_fg_dice": [np.float64(0.5), np.float64(0.6)], "ema_fg_dice": [np.float32(0.55)],
                        "dice_per_class_or_region": [[np.float64(0.4), np.float64(0.7)]],
                        "epoch_start_timestamps": [1.0], "epoch_end_timestamps": [2.0]},
            "_best_ema": np.float64(0.55), "current_epoch": 1000, "init_args": {"fold": fold, "device": "cpu"},
            "trainer_name": "nnUNetTrainer", "inference_allowed_mirroring_axes": tuple(mirror_axes)}


# --- the reference inference --------------------------------------------------------------------


def normalise(image):
    """[C, Z, Y, X] float64 -> float32, CTNormalization on channel 0, ZScoreNormalization on 1."""
    ct = np.clip(image[0], CT_PROPS["percentile_00_5"], CT_PROPS["percentile_99_5"])
    ct = (ct - CT_PROPS["mean"]) / max(CT_PROPS["std"], 1e-8)
    mr = (image[1] - image[1].mean()) / max(image[1].std(), 1e-8)
    return np.stack([ct, mr]).astype(np.float32)


def steps_along(size, patch, tile_step=0.5):
    if size <= patch:
        return [0]
    count = int(np.ceil((size - patch) / (patch * tile_step))) + 1
    actual = (size - patch) / (count - 1)
    return [int(np.round(actual * i)) for i in range(count)]


def gaussian(patch):
    axes = []
    for p in patch:
        sigma = p / 8.0
        radius = int(4.0 * sigma + 0.5)
        d = np.arange(p) - p // 2
        g = np.exp(-d.astype(np.float64) ** 2 / (2 * sigma * sigma))
        g[np.abs(d) > radius] = 0
        axes.append(g)
    m = axes[0][:, None, None] * axes[1][None, :, None] * axes[2][None, None, :]
    m = m / m.max()
    m[m == 0] = m[m > 0].min()
    return torch.tensor(m, dtype=torch.float32)


def predict_logits(forwards, x, mirror_axes):
    """x [1, C, Z, Y, X] normalised (requires_grad allowed): nnUNetPredictor's sliding window with
    mirroring, fold logits averaged."""
    shape = x.shape[2:]
    pad = [max(p - s, 0) for p, s in zip(PATCH, shape)]
    low = [p // 2 for p in pad]
    padding = []
    for d in reversed(range(3)):
        padding += [low[d], pad[d] - low[d]]
    xp = F.pad(x, padding)
    size = xp.shape[2:]
    weight = gaussian(PATCH)
    combos = [list(c) for n in range(1, len(mirror_axes) + 1) for c in itertools.combinations(mirror_axes, n)]
    total = None
    for forward in forwards:
        logits = torch.zeros(1, len(LABELS), *size)
        counts = torch.zeros(*size)
        for z in steps_along(size[0], PATCH[0]):
            for y in steps_along(size[1], PATCH[1]):
                for xx in steps_along(size[2], PATCH[2]):
                    window = xp[:, :, z:z + PATCH[0], y:y + PATCH[1], xx:xx + PATCH[2]]
                    # The window and its mirrored copies as one batch (per-sample operations only,
                    # and this CPU LibTorch runs a batch of 1 several times slower than a batch of 2).
                    flips = [[a + 2 for a in axes] for axes in combos]
                    batch = torch.cat([window] + [torch.flip(window, dims) for dims in flips])
                    outs = forward(batch if batch.shape[0] > 1 else torch.cat([batch, torch.zeros_like(batch)]))
                    out = outs[:1]
                    for i, dims in enumerate(flips):
                        out = out + torch.flip(outs[i + 1:i + 2], dims)
                    out = out / (len(combos) + 1)
                    region = (slice(None), slice(None), slice(z, z + PATCH[0]), slice(y, y + PATCH[1]),
                              slice(xx, xx + PATCH[2]))
                    logits[region] = logits[region] + out * weight
                    counts[region[2:]] += weight
        fold = logits / counts
        total = fold if total is None else total + fold
    total = total / len(forwards)
    return total[:, :, low[0]:low[0] + shape[0], low[1]:low[1] + shape[1], low[2]:low[2] + shape[2]]


def nonzero_box(image):
    """nnU-Net's crop_to_nonzero: the bounding box of the voxels where any channel is non-zero."""
    where = np.argwhere((image != 0).any(0))
    return tuple(slice(lo, hi + 1) for lo, hi in zip(where.min(0), where.max(0)))


def reference(forwards, image, mirror_axes):
    box = nonzero_box(image)
    x = torch.tensor(normalise(image[(slice(None),) + box]))[None].requires_grad_(True)
    logits = predict_logits(forwards, x, mirror_axes)
    labels = logits.argmax(1)[0]
    mask = (labels == 1).float()
    score = (logits[0, 1] * mask).sum()
    grad = torch.autograd.grad(score, x)[0][0]
    # Back on the whole image: background and zero gradient outside the crop.
    full_labels = torch.zeros(image.shape[1:], dtype=torch.int64)
    full_labels[box] = labels
    full_grad = torch.zeros((image.shape[0],) + image.shape[1:])
    full_grad[(slice(None),) + box] = grad
    return {"labels": full_labels, "saliency": full_grad, "box": torch.tensor([[s.start, s.stop] for s in box])}


def write_study(out):
    """CT and T2 NIfTI at the plans' spacing with no zero voxel; returns the SimpleITK-order array."""
    g = np.random.default_rng(5)
    z, y, x = SHAPE_ZYX
    zz, yy, xx = np.meshgrid(np.arange(z), np.arange(y), np.arange(x), indexing="ij")
    organ = ((zz - 6) / 4.0) ** 2 + ((yy - 20) / 12.0) ** 2 + ((xx - 17) / 11.0) ** 2 < 1
    lesion = ((zz - 6) / 2.0) ** 2 + ((yy - 23) / 4.0) ** 2 + ((xx - 20) / 4.0) ** 2 < 1
    ct = -60 + 30 * g.standard_normal((z, y, x)) + 120 * organ + 180 * lesion
    t2 = 200 + 40 * g.standard_normal((z, y, x)) + 100 * organ - 60 * lesion + 1e-3
    # A zero border (both channels): nnU-Net crops it away before anything else.
    for data in (ct, t2):
        data[:1], data[:, :3], data[:, -2:], data[:, :, :4] = 0, 0, 0, 0
    os.makedirs(os.path.join(out, "study"), exist_ok=True)
    affine = np.diag([-SPACING_ZYX[2], -SPACING_ZYX[1], SPACING_ZYX[0], 1.0])  # LPS-aligned grid, written as RAS
    for name, data in (("CT", ct), ("T2", t2)):
        nibabel.save(nibabel.Nifti1Image(data.transpose(2, 1, 0).astype(np.float32), affine),
                     os.path.join(out, "study", f"{name}.nii.gz"))
    # What SimpleITK hands nnU-Net: [Z, Y, X] of the stored float32 values.
    return np.stack([ct, t2]).astype(np.float32).astype(np.float64)


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    torch.set_num_threads(2)
    image = write_study(out)
    dataset = {"channel_names": {"0": "CT", "1": "T2"}, "labels": LABELS, "numTraining": 10, "file_ending": ".nii.gz"}
    cases = []
    for name, kind, plans_name, folds in (("plain", "PlainConvUNet", "nnUNetPlans", [0, 1]),
                                          ("resenc", "ResidualEncoderUNet", "nnUNetResEncUNetMPlans", [0])):
        folder = os.path.join(out, "Dataset900_Ct", f"nnUNetTrainer__{plans_name}__3d_fullres")
        os.makedirs(folder, exist_ok=True)
        forwards = []
        arch = None
        for fold in folds:
            arch, weights, forward = make_network(kind, 2, len(LABELS), seed=10 * len(cases) + fold)
            os.makedirs(os.path.join(folder, f"fold_{fold}"), exist_ok=True)
            torch.save(checkpoint(weights, (0, 1, 2), fold), os.path.join(folder, f"fold_{fold}", "checkpoint_final.pth"))
            forwards.append(forward)
        json.dump(plans_for(plans_name, arch), open(os.path.join(folder, "plans.json"), "w"), indent=1)
        json.dump(dataset, open(os.path.join(folder, "dataset.json"), "w"), indent=1)
        refs = {}
        for mirror, axes in (("mirrored", [0, 1, 2]), ("unmirrored", [])):
            for key, value in reference(forwards, image, axes).items():
                refs[f"{key}_{mirror}"] = value
        refs["fold0_labels_mirrored"] = reference(forwards[:1], image, [0, 1, 2])["labels"]
        save_tensors(refs, os.path.join(out, f"refs_{name}.pt"))
        counts = {int(v): int((refs["labels_mirrored"] == v).sum()) for v in LABELS.values()}
        if min(counts.values()) == 0:
            raise SystemExit(f"{name}: a label is never predicted ({counts}): choose other seeds")
        cases.append({"name": name, "folder": os.path.relpath(folder, out), "folds": folds,
                      "refs": f"refs_{name}.pt", "label_voxels": counts})
    json.dump({"cases": cases, "study": ["study/CT.nii.gz", "study/T2.nii.gz"]},
              open(os.path.join(out, "nnunet_folders.json"), "w"), indent=1)
    print("nnU-Net folders written to", out, "-", ", ".join(f"{c['name']} {c['label_voxels']}" for c in cases))


if __name__ == "__main__":
    main()
