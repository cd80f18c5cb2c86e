"""PyTorch twin of the small preset's training step, to compare our tokens/s with a peer on the same machine.

Same network as LsTranslate's `small` preset (pre-norm transformer, 3+3 layers, d 256, 4 heads, ffn 1024 ReLU,
sinusoidal positions, one embedding shared by source, target and output, dropout 0.1, final layer norms),
label-smoothed cross entropy (0.1), Adam (0.9, 0.98, eps 1e-9), gradient clipping at 1, 2 threads unless told; run over
the batch shapes (sentences, source length, target length, real target tokens) that our bare mode measured,
so both sides do the same arithmetic. Attention is written out, as ours is (PyTorch 1.13 has no
scaled_dot_product_attention). As ours, the output projection and loss take only the real target positions
(a batch's first TOKENS rows of the flattened [rows x target] grid: which rows does not change the cost);
unlike ours, they hold the whole logits at once, as a plain PyTorch loop does.
Usage: /usr/bin/python3 pytorch_twin.py BARE.json [fp32|bf16 [THREADS]]   (bf16: torch.autocast on the CPU) -> one JSON object
"""
import json, math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

batches = json.load(open(sys.argv[1]))["batches"]
precision = sys.argv[2] if len(sys.argv) > 2 else "fp32"
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(threads)
V, D, H, FF, LAYERS, PAD = 8000, 256, 4, 1024, 3, 0


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))

    def forward(self, x, memory, mask):
        b, t, s = x.shape[0], x.shape[1], memory.shape[1]
        q = self.q(x).view(b, t, H, -1).transpose(1, 2)
        k = self.k(memory).view(b, s, H, -1).transpose(1, 2)
        v = self.v(memory).view(b, s, H, -1).transpose(1, 2)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(D // H)
        scores = scores.masked_fill(~mask, float("-inf"))
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, D)
        return self.o(context)


class Block(nn.Module):
    def __init__(self, cross):
        super().__init__()
        self.self_attn, self.n1 = Attention(), nn.LayerNorm(D)
        self.cross_attn, self.n2 = (Attention(), nn.LayerNorm(D)) if cross else (None, None)
        self.ffn = nn.Sequential(nn.Linear(D, FF), nn.ReLU(), nn.Dropout(0.1), nn.Linear(FF, D))
        self.n3, self.drop = nn.LayerNorm(D), nn.Dropout(0.1)

    def forward(self, x, self_mask, memory=None, memory_mask=None):
        h = self.n1(x)
        x = x + self.drop(self.self_attn(h, h, self_mask))
        if self.cross_attn is not None:
            x = x + self.drop(self.cross_attn(self.n2(x), memory, memory_mask))
        return x + self.drop(self.ffn(self.n3(x)))


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, D, padding_idx=PAD)
        nn.init.normal_(self.embedding.weight, 0, D ** -0.5)
        self.encoder = nn.ModuleList(Block(False) for _ in range(LAYERS))
        self.decoder = nn.ModuleList(Block(True) for _ in range(LAYERS))
        self.enc_norm, self.dec_norm, self.drop = nn.LayerNorm(D), nn.LayerNorm(D), nn.Dropout(0.1)
        position = torch.arange(1024).unsqueeze(1)
        frequency = torch.exp(torch.arange(0, D, 2) * (-math.log(10000.0) / D))
        table = torch.zeros(1024, D)
        table[:, 0::2], table[:, 1::2] = torch.sin(position * frequency), torch.cos(position * frequency)
        self.register_buffer("positions", table)

    def embed(self, ids):
        return self.drop(self.embedding(ids) * math.sqrt(D) + self.positions[: ids.shape[1]])

    def features(self, src, tgt_in):
        src_mask = (src != PAD)[:, None, None, :]
        causal = torch.ones(tgt_in.shape[1], tgt_in.shape[1], dtype=torch.bool).tril()[None, None]
        x = self.embed(src)
        for layer in self.encoder:
            x = layer(x, src_mask)
        memory = self.enc_norm(x)
        y = self.embed(tgt_in)
        for layer in self.decoder:
            y = layer(y, causal, memory, src_mask)
        return self.dec_norm(y)


torch.manual_seed(1)
model = Seq2Seq().train()
optimizer = torch.optim.Adam(model.parameters(), lr=5e-4, betas=(0.9, 0.98), eps=1e-9)
generator = torch.Generator().manual_seed(1)


def step(rows, source, target, tokens):
    src = torch.randint(4, V, (rows, source), generator=generator)
    tgt = torch.randint(4, V, (rows, target + 1), generator=generator)
    optimizer.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
        real = model.features(src, tgt[:, :-1]).reshape(-1, D)[:tokens]
        logits = F.linear(real, model.embedding.weight)
    loss = F.cross_entropy(logits.float(), tgt[:, 1:].reshape(-1)[:tokens], label_smoothing=0.1)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


step(*batches[0])  # warm-up
start = time.perf_counter()
step_seconds = []
for rows, source, target, tokens in batches:
    began = time.perf_counter()
    step(rows, source, target, tokens)
    step_seconds.append(round(time.perf_counter() - began, 4))
seconds = time.perf_counter() - start
tokens = sum(b[3] for b in batches)
print(json.dumps({
    "mode": "pytorch", "torch": torch.__version__, "precision": precision, "threads": threads,
    "measured_steps": len(batches), "target_tokens": tokens, "seconds": round(seconds, 3),
    "tokens_per_s": round(tokens / seconds, 1), "step_seconds": step_seconds,
    "parameters": sum(p.numel() for p in model.parameters()),
    "dropout": "nn.Dropout 0.1 on embeddings, residual branches and the feed-forward activation",
    "attention": "written out: products in bf16 under autocast (fp32 otherwise), masked softmax as autocast runs it",
    "loss": "F.cross_entropy, label smoothing 0.1, over the real target positions, whole logits in float32",
}))
