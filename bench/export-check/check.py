"""Reproduces LsTranslate's fp32 logits in PyTorch from `lstranslate export` files, to show the weights mean the same there.

The network is written from LsTranslate's architecture (config.json's "model"): pre-norm (or post-norm) transformer,
sinusoidal positions, one embedding shared by source, target and output projection (scaled by sqrt(d) on input),
ReLU feed-forward, final layer norms with pre-norm. Parameter names are the export's, so load_state_dict(strict=True)
checks every name and shape. The safetensors file is parsed by hand (Debian 12 has no python3-safetensors).
Usage: /usr/bin/python3 check.py CONFIG.json EXPORT.pt EXPORT.safetensors LOGITS.json  -> one JSON object
"""
import json, math, os, struct, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from transformer_blocks import FeedForward, Residual, Seq2SeqParameters  # noqa: E402

config_path, pytorch_path, safetensors_path, logits_path = sys.argv[1:5]
cfg = json.load(open(config_path))["model"]
D, H, FF, V, P = cfg["model_dim"], cfg["heads"], cfg["feed_forward_dim"], cfg["vocab_size"], cfg["max_positions"]
PRE_NORM, PAD = cfg["pre_norm"], 0


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value, self.output = (nn.Linear(D, D) for _ in range(4))

    def forward(self, x, memory, mask):
        b, t, s = x.shape[0], x.shape[1], memory.shape[1]
        q = self.query(x).view(b, t, H, -1).transpose(1, 2)
        k = self.key(memory).view(b, s, H, -1).transpose(1, 2)
        v = self.value(memory).view(b, s, H, -1).transpose(1, 2)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(D // H)
        scores = scores.masked_fill(~mask, float("-inf"))
        return self.output((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, D))




class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.selfAttention, self.crossAttention, self.feedForward = Attention(), Attention(), FeedForward(D, FF)
        self.selfBlock, self.crossBlock, self.feedForwardBlock = Residual(D, PRE_NORM), Residual(D, PRE_NORM), Residual(D, PRE_NORM)

    def forward(self, y, causal, memory, memory_mask):
        y = self.selfBlock(y, lambda h: self.selfAttention(h, h, causal))
        y = self.crossBlock(y, lambda h: self.crossAttention(h, memory, memory_mask))
        return self.feedForwardBlock(y, self.feedForward)


class Seq2Seq(Seq2SeqParameters):
    def __init__(self):
        super().__init__(cfg, Attention, DecoderLayer, PAD)

    def embed(self, ids):
        return self.embedding(ids) * math.sqrt(D) + self.positions[: ids.shape[1]]

    def forward(self, src, tgt_in):
        src_mask = (src != PAD)[:, None, None, :]
        causal = torch.ones(tgt_in.shape[1], tgt_in.shape[1], dtype=torch.bool).tril()[None, None]
        x = self.embed(src)
        for layer in self.encoderLayers:
            x = layer(x, src_mask)
        memory = self.encoderNorm(x) if PRE_NORM else x
        y = self.embed(tgt_in)
        for layer in self.decoderLayers:
            y = layer(y, causal, memory, src_mask)
        return F.linear(self.decoderNorm(y) if PRE_NORM else y, self.embedding.weight)


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{name}: {entry['dtype']}, expected F32"
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return tensors


reference = json.load(open(logits_path))["sentences"]
result = {"sentences": len(reference), "tokens": sum(len(s["target_in"]) for s in reference)}
ours = [torch.tensor(s["logits"], dtype=torch.float64) for s in reference]
result["largest_abs_logit"] = max(o.abs().max().item() for o in ours)


def worst_difference(state, dtype):
    model = Seq2Seq().to(dtype)
    model.load_state_dict({k: v.to(dtype) for k, v in state.items()}, strict=True)
    model.eval()
    with torch.no_grad():
        return max((model(torch.tensor([s["source"]]), torch.tensor([s["target_in"]]))[0].double() - o).abs().max().item()
                   for s, o in zip(reference, ours))


states = {"pytorch": torch.load(pytorch_path), "safetensors": read_safetensors(safetensors_path)}
assert all(torch.equal(states["pytorch"][k], states["safetensors"][k]) for k in states["pytorch"]), "the two exports differ"
for fmt, state in states.items():
    result[f"{fmt}_max_abs_diff"] = worst_difference(state, torch.float32)
# The same weights in float64: how far our float32 logits are from exact arithmetic (PyTorch's float32 is as far).
result["ours_vs_float64_max_abs_diff"] = worst_difference(states["pytorch"], torch.float64)
result["float32_within_1e-5"] = max(result["pytorch_max_abs_diff"], result["safetensors_max_abs_diff"]) <= 1e-5
result["float64_within_1e-5"] = result["ours_vs_float64_max_abs_diff"] <= 1e-5
print(json.dumps(result))
