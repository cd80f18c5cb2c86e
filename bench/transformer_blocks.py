"""The transformer blocks LsTranslate's PyTorch scripts share (bench/export-check/check.py, the decode twin), with
LsTranslate's parameter names, so an export loads with load_state_dict(strict=True). Each script brings its own
attention: that is where they differ (one whole-sequence, one with a key/value cache)."""
import torch.nn as nn
import torch.nn.functional as F


class FeedForward(nn.Module):
    def __init__(self, d, ff):
        super().__init__()
        self.inner, self.outer = nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x):
        return self.outer(F.relu(self.inner(x)))


class Residual(nn.Module):
    def __init__(self, d, pre_norm):
        super().__init__()
        self.norm, self.pre_norm = nn.LayerNorm(d), pre_norm

    def forward(self, x, sublayer):
        return x + sublayer(self.norm(x)) if self.pre_norm else self.norm(x + sublayer(x))


class EncoderLayer(nn.Module):
    def __init__(self, attention, d, ff, pre_norm):
        super().__init__()
        self.selfAttention, self.feedForward = attention, FeedForward(d, ff)
        self.attentionBlock, self.feedForwardBlock = Residual(d, pre_norm), Residual(d, pre_norm)

    def forward(self, x, mask):
        x = self.attentionBlock(x, lambda h: self.selfAttention(h, h, mask))
        return self.feedForwardBlock(x, self.feedForward)
