"""The demo 3D U-Net: named encoder / bottleneck / decoder blocks, transposed convolutions and
skip concatenations, so that every Voxplain method (taps, CAM layer groups, Guided Backprop via
nn.ReLU) has something real to act on. Tensor layout [N, C, X, Y, Z] (X = NIfTI's fastest index).

BatchNorm, not InstanceNorm: in eval mode BatchNorm is affine, while InstanceNorm makes the network
almost invariant to the input's scale, so that along Integrated Gradients' straight path from a
zero baseline nearly all of the change happens at alpha < 0.01 and a 64-step Riemann sum misses it
(measured on an InstanceNorm version: completeness gap 100%; README of the attribution engine).
"""
import torch
from torch import nn


class ConvBlock(nn.Module):
    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.conv1 = nn.Conv3d(cin, cout, 3, padding=1)
        self.norm1 = nn.BatchNorm3d(cout)
        self.act1 = nn.ReLU()
        self.conv2 = nn.Conv3d(cout, cout, 3, padding=1)
        self.norm2 = nn.BatchNorm3d(cout)
        self.act2 = nn.ReLU()

    def forward(self, x):
        x = self.act1(self.norm1(self.conv1(x)))
        return self.act2(self.norm2(self.conv2(x)))


class DemoUNet(nn.Module):
    def __init__(self, in_channels: int = 2, classes: int = 2, width: int = 8):
        super().__init__()
        w = width
        self.enc1 = ConvBlock(in_channels, w)
        self.pool1 = nn.MaxPool3d(2)
        self.enc2 = ConvBlock(w, 2 * w)
        self.pool2 = nn.MaxPool3d(2)
        self.bottleneck = ConvBlock(2 * w, 4 * w)
        self.up2 = nn.ConvTranspose3d(4 * w, 2 * w, 2, stride=2)
        self.dec2 = ConvBlock(4 * w, 2 * w)
        self.up1 = nn.ConvTranspose3d(2 * w, w, 2, stride=2)
        self.dec1 = ConvBlock(2 * w, w)
        self.head = nn.Conv3d(w, classes, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool1(e1))
        b = self.bottleneck(self.pool2(e2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], dim=1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], dim=1))
        return self.head(d1)
