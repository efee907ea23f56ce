"""Saving reference tensors where LibTorch can read them: buffers of a scripted module
(torch::jit::load(path).attr(name).toTensor() in C++). Used by the test-reference scripts."""
import torch
from torch import nn


class _Tensors(nn.Module):
    def __init__(self, tensors):
        super().__init__()
        for k, v in tensors.items():
            self.register_buffer(k, v.contiguous())

    def forward(self, x):
        return x


def save_tensors(tensors, path):
    torch.jit.script(_Tensors(tensors)).save(path)
