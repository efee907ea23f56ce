#!/usr/bin/env python3
"""Independent PyTorch references for Voxplain's gradient methods on whole volumes.

    /usr/bin/python3 make_attribution_references.py DEMO_MODEL.pt OUT_DIR

A volume larger than one patch is run through a sliding window written here from MONAI's
definition (patches with 25% overlap, last patch aligned to the border, Gaussian importance with
sigma = 0.125 x patch, blended logits divided by the summed importance). The score is the sum of
the class-1 blended logit over voxels predicted as class 1, and autograd differentiates the whole
blended graph at once - unlike Voxplain, which accumulates patch gradients. Saves input, mask,
Saliency, Input x Gradient and Integrated Gradients (zero baseline, 4 Riemann midpoints) as
buffers of a scripted module (attribution_refs.pt).
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from tensor_container import save_tensors  # noqa: E402

PATCH = 48
OVERLAP = 0.25


def starts(size, patch):
    if patch >= size:
        return [0]
    step = max(1, int(patch * (1 - OVERLAP)))
    count = math.ceil((size - patch) / step) + 1
    return [min(i * step, size - patch) for i in range(count)]


def importance(patch):
    sigma = 0.125 * patch
    x = torch.arange(patch, dtype=torch.float64) - (patch - 1) / 2
    g = torch.exp(-(x * x) / (2 * sigma * sigma))
    m = g[:, None, None] * g[None, :, None] * g[None, None, :]
    m = m / m.max()
    return m.clamp(min=m[m > 0].min()).float()


def blended_logits(model, x):
    _, _, X, Y, Z = x.shape
    imp = importance(PATCH)
    out, weight = None, torch.zeros(X, Y, Z)
    for a in starts(X, PATCH):
        for b in starts(Y, PATCH):
            for c in starts(Z, PATCH):
                y = model(x[:, :, a:a + PATCH, b:b + PATCH, c:c + PATCH])
                if out is None:
                    out = torch.zeros(1, y.shape[1], X, Y, Z)
                pad = torch.zeros_like(out)
                pad[:, :, a:a + PATCH, b:b + PATCH, c:c + PATCH] = y * imp
                out = out + pad
                weight[a:a + PATCH, b:b + PATCH, c:c + PATCH] += imp
    return out / weight


def gradient(model, x, mask):
    x = x.clone().requires_grad_(True)
    score = (blended_logits(model, x)[0, 1] * mask).sum()
    return torch.autograd.grad(score, x)[0], score.item()


def grad_cam(model, x, layer_names, plus_plus):
    """Grad-CAM / Grad-CAM++ on one patch with forward hooks (eager model), each layer map
    upsampled trilinearly (align_corners=False) to the input, normalised to max 1, averaged."""
    modules = dict(model.named_modules())
    acts = {}
    handles = [modules[n].register_forward_hook(lambda m, i, o, n=n: acts.__setitem__(n, o)) for n in layer_names]
    x = x.clone().requires_grad_(True)
    logits = model(x)
    for h in handles:
        h.remove()
    mask = (logits.argmax(1) == 1).float()
    score = (logits[:, 1] * mask).sum()
    grads = torch.autograd.grad(score, [acts[n] for n in layer_names])
    combined = torch.zeros(x.shape[2:])
    for n, g in zip(layer_names, grads):
        a, g = acts[n][0].detach(), g[0]
        if plus_plus:
            g2, g3 = g * g, g * g * g
            den = 2 * g2 + (a * g3).sum(dim=(1, 2, 3), keepdim=True)
            alpha = torch.where(den != 0, g2 / torch.where(den != 0, den, torch.ones_like(den)), torch.zeros_like(g2))
            w = (alpha * torch.relu(g)).sum(dim=(1, 2, 3))
        else:
            w = g.mean(dim=(1, 2, 3))
        cam = torch.relu((w[:, None, None, None] * a).sum(0))
        cam = torch.nn.functional.interpolate(cam[None, None], size=x.shape[2:], mode="trilinear", align_corners=False)[0, 0]
        combined += cam / cam.max() if cam.max() > 0 else cam
    return combined / len(layer_names), mask[0]


def main():
    model = torch.jit.load(sys.argv[1]).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    torch.manual_seed(1)
    x = torch.randn(1, 2, 60, 52, 50)
    x[:, 0, 20:30, 20:30, 15:25] += 3.0  # a lesion-like blob: bright in channel 0, dark in 1
    x[:, 1, 20:30, 20:30, 15:25] -= 3.0
    with torch.no_grad():
        mask = (blended_logits(model, x).argmax(1)[0] == 1).float()
    saliency, score = gradient(model, x, mask)
    steps = 4
    integral = torch.zeros_like(x)
    for i in range(steps):
        alpha = (i + 0.5) / steps
        integral += gradient(model, alpha * x, mask)[0] / steps
    refs = {"input": x, "mask": mask, "saliency": saliency, "input_x_gradient": x * saliency,
            "integrated_gradients": x * integral, "score": torch.tensor(score)}
    # CAM on one 48^3 patch (the whole volume), for a single layer and a layer set.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "demo"))
    from demo_unet import DemoUNet
    eager = DemoUNet()
    eager.load_state_dict(model.state_dict())
    eager.eval()
    x48 = x[:, :, 6:54, 2:50, 1:49].contiguous()
    refs["cam_input"] = x48
    refs["gradcam_dec2"], refs["cam_mask"] = grad_cam(eager, x48, ["dec2"], False)
    refs["gradcampp_dec2"], _ = grad_cam(eager, x48, ["dec2"], True)
    refs["gradcam_enc2_dec1"], _ = grad_cam(eager, x48, ["enc2", "dec1"], False)
    save_tensors(refs, sys.argv[2] + "/attribution_refs.pt")
    print("mask voxels", int(mask.sum()), "score", score)


if __name__ == "__main__":
    main()
