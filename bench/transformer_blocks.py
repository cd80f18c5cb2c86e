"""The transformer blocks LsTranslate's PyTorch scripts share (bench/export-check/check.py, the decode twin), with
LsTranslate's parameter names, so an export loads with load_state_dict(strict=True). Each script brings its own
attention: that is where they differ (one whole-sequence, one with a key/value cache)."""
import math
import torch
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


class Seq2SeqParameters(nn.Module):
    """LsTranslate's network as an export names it: the shared embedding, the layers (the script's attention and decoder
    layer), final norms with pre-norm, and the sinusoidal position table (not a parameter). Each script adds its forward."""

    def __init__(self, cfg, attention, decoder_layer, pad):
        super().__init__()
        d, ff, pre_norm, positions = cfg["model_dim"], cfg["feed_forward_dim"], cfg["pre_norm"], cfg["max_positions"]
        self.embedding = nn.Embedding(cfg["vocab_size"], d, padding_idx=pad)
        self.encoderLayers = nn.ModuleList(EncoderLayer(attention(), d, ff, pre_norm) for _ in range(cfg["encoder_layers"]))
        self.decoderLayers = nn.ModuleList(decoder_layer() for _ in range(cfg["decoder_layers"]))
        if pre_norm:
            self.encoderNorm, self.decoderNorm = nn.LayerNorm(d), nn.LayerNorm(d)
        position = torch.arange(positions, dtype=torch.float32).unsqueeze(1)
        frequency = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
        table = torch.zeros(positions, d)
        table[:, 0::2], table[:, 1::2] = torch.sin(position * frequency), torch.cos(position * frequency)
        self.register_buffer("positions", table, persistent=False)
