"""PyTorch twin of LsTranslate's decoder, to compare our decoding throughput with a peer's on the same machine.

The network is LsTranslate's (config.json's "model"; vocabulary size, widths and depths come from there): pre-norm
transformer, embedding x sqrt(d) plus the sinusoidal table, source padding mask, attention written out as ours is
(two products around a float32 masked softmax; PyTorch 1.13 has no scaled_dot_product_attention), final layer norms,
output projection tied to the embedding, weights from `lstranslate export --format pytorch` under the export's names
(load_state_dict(strict=True) checks every name and shape). Decoding keeps a key/value cache per decoder layer: the
encoder's keys/values are projected once per batch (and made contiguous), the self-attention keys/values of the target
prefix are written one position per step into buffers that grow 16 positions at a time (as ours: LayerCache.cs); a
reorder copies the filled positions into fresh buffers that keep room for the next steps.

The search reproduces ours (src/LsTranslate.Decode/Search) rule for rule, vectorised over the batch with one host read
per step: log-softmax in float32; PAD and BOS never generated; a row at its maximum length a*|x|+b (capped at
max_positions - 1) may only end; beam search takes the 2*beam best (beam, token) extensions in one topk over beam x vocab,
the first `beam` candidates that end with EOS finish (score: summed log-probability / GNMT ((5+|y|)/6)^0.6, |y| counting
EOS), the best `beam` candidates that do not end stay open, and a sentence is done once it has `beam` finished
hypotheses (fairseq's early stop), has no open hypothesis left, or reached its maximum length; the best finished
hypothesis is the output. Greedy is argmax of the same log-probabilities (what our beam-1 search computes), the first
EOS ending a sentence. Finished sentences leave the batch (their cache rows are dropped); with beam > 1 the cache rows
are reordered every step, the encoder's only when sentences leave. What the host needs each step (parent beams, tokens,
ending candidates, best open score) comes back in one `.tolist()` of one packed float64 tensor, as ours (StepReadback.cs).

Sentences are sorted by source length, longest first (stable), and decoded in consecutive batches, as Translator does.
Each configuration is warmed up on the first batch, then timed over all sentences; target tokens are counted as ours
count them (best hypothesis + EOS).

Usage: /usr/bin/python3 pytorch_twin.py INPUTS.json WEIGHTS.pt CONFIG.json [--threads 2] [--searches greedy,beam4]
           [--precisions fp32[,bf16]] [--batch 32] [--sentences N] [--explain]
  INPUTS.json: written by `DecodeThroughput.dll twin-inputs` (sources as token ids, search settings, our outputs).
  bf16: torch.autocast('cpu', dtype=torch.bfloat16) around the network (products in bf16, softmaxes in float32).
  --explain: for each output that differs from ours (fp32), scores both hypotheses with the twin's network.
Prints one JSON object on stdout.
"""
import argparse, json, math, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from transformer_blocks import FeedForward, Residual, Seq2SeqParameters  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("inputs"), parser.add_argument("weights"), parser.add_argument("config")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--searches", default="greedy,beam4")
parser.add_argument("--precisions", default="fp32")
parser.add_argument("--batch", type=int, default=None)
parser.add_argument("--sentences", type=int, default=None)
parser.add_argument("--explain", action="store_true")
args = parser.parse_args()

torch.set_num_threads(args.threads)
inputs = json.load(open(args.inputs))
cfg = json.load(open(args.config))["model"]
D, H, FF, V, P = cfg["model_dim"], cfg["heads"], cfg["feed_forward_dim"], cfg["vocab_size"], cfg["max_positions"]
PRE_NORM = cfg["pre_norm"]
PAD, BOS, EOS = (inputs["special_tokens"][k] for k in ("pad", "bos", "eos"))
HEAD_DIM = D // H
GROW_BY = 16  # cache positions added when a buffer is full (LayerCache.GrowBy)
NEG_INF = float("-inf")
assert inputs["vocab_size"] == V and inputs["max_positions"] == P, "inputs and config.json describe different models"


def split_heads(x):  # [B, T, D] -> [B, H, T, D/H]
    return x.view(x.shape[0], x.shape[1], H, -1).transpose(1, 2)


def attend(q, k, v, mask):
    """softmax(q k^T / sqrt(d), masked) v: products in the type of q, k, v; scores masked and normalised in float32."""
    scores = (q @ k.transpose(-2, -1)).float() * (1.0 / math.sqrt(q.shape[-1]))
    if mask is not None:
        scores = scores.masked_fill(~mask, NEG_INF)
    return scores.softmax(-1).to(v.dtype) @ v


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value, self.output = (nn.Linear(D, D) for _ in range(4))

    def merge(self, context):  # [B, H, T, D/H] -> output projection of [B, T, D]
        merged = context.transpose(1, 2).contiguous()
        return self.output(merged.view(merged.shape[0], merged.shape[1], -1))

    def forward(self, x, memory, mask):
        return self.merge(attend(split_heads(self.query(x)), split_heads(self.key(memory)), split_heads(self.value(memory)), mask))




class LayerCache:
    """One decoder layer's cache: encoder keys/values [rows, H, S, D/H] and the prefix's keys/values in growing buffers."""

    def __init__(self, memory_keys, memory_values):
        self.memory_keys, self.memory_values = memory_keys, memory_values
        self.keys = self.values = None  # [rows, H, capacity, D/H]; positions [0, length) filled
        self.length = 0

    def append(self, k, v):  # k, v: [rows, H, 1, D/H]
        if self.keys is None or self.keys.shape[2] == self.length:
            room = k.new_empty(k.shape[0], k.shape[1], GROW_BY, k.shape[3])
            self.keys = room if self.keys is None else torch.cat([self.keys, room], 2)
            self.values = room.clone() if self.values is None else torch.cat([self.values, room], 2)
        self.keys[:, :, self.length:self.length + 1].copy_(k)
        self.values[:, :, self.length:self.length + 1].copy_(v)
        self.length += 1
        return self.keys[:, :, :self.length], self.values[:, :, :self.length]

    def reorder(self, rows, memory_moves):
        if memory_moves:
            self.memory_keys, self.memory_values = self.memory_keys.index_select(0, rows), self.memory_values.index_select(0, rows)
        if self.keys is not None:
            # The filled positions go straight into fresh buffers with room for the next GROW_BY steps, so beam search,
            # which reorders every step, never grows a buffer (ours keeps min(capacity, length + 1) positions: full
            # again after the next append, so every other step also pays a cat of the whole prefix).
            n, shape = self.length, (rows.shape[0], self.keys.shape[1], self.length + GROW_BY, self.keys.shape[3])
            keys, values = self.keys.new_empty(shape), self.values.new_empty(shape)
            torch.index_select(self.keys[:, :, :n], 0, rows, out=keys[:, :, :n])
            torch.index_select(self.values[:, :, :n], 0, rows, out=values[:, :, :n])
            self.keys, self.values = keys, values


class DecoderState:
    def __init__(self, source_mask, layers):
        self.source_mask, self.layers, self.length = source_mask, layers, 0

    def reorder(self, rows, memory_moves):
        if memory_moves:
            self.source_mask = self.source_mask.index_select(0, rows)
        for layer in self.layers:
            layer.reorder(rows, memory_moves)


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.selfAttention, self.crossAttention, self.feedForward = Attention(), Attention(), FeedForward(D, FF)
        self.selfBlock, self.crossBlock, self.feedForwardBlock = Residual(D, PRE_NORM), Residual(D, PRE_NORM), Residual(D, PRE_NORM)

    def forward(self, y, memory, memory_mask):  # whole target at once (--explain's teacher forcing)
        t = y.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        y = self.selfBlock(y, lambda h: self.selfAttention(h, h, causal))
        y = self.crossBlock(y, lambda h: self.crossAttention(h, memory, memory_mask))
        return self.feedForwardBlock(y, self.feedForward)

    def step(self, x, cache, source_mask):
        def self_attention(h):
            a = self.selfAttention
            keys, values = cache.append(split_heads(a.key(h)), split_heads(a.value(h)))
            return a.merge(attend(split_heads(a.query(h)), keys, values, None))

        def cross_attention(h):
            a = self.crossAttention
            return a.merge(attend(split_heads(a.query(h)), cache.memory_keys, cache.memory_values, source_mask))

        x = self.selfBlock(x, self_attention)
        x = self.crossBlock(x, cross_attention)
        return self.feedForwardBlock(x, self.feedForward)


class Seq2Seq(Seq2SeqParameters):
    def __init__(self):
        super().__init__(cfg, Attention, DecoderLayer, PAD)
        self.scale = math.sqrt(D)

    def embed(self, ids, offset):
        return self.embedding(ids) * self.scale + self.positions[offset:offset + ids.shape[1]]

    def logits(self, x):  # float32, as ours: log-softmax and scores stay float32
        return F.linear(self.decoderNorm(x) if PRE_NORM else x, self.embedding.weight).float()

    def encode(self, source):
        """[B, S] ids (PAD-padded) -> decoder state with every decoder layer's encoder keys/values projected once."""
        source_mask = (source != PAD)[:, None, None, :]
        x = self.embed(source, 0)
        for layer in self.encoderLayers:
            x = layer(x, source_mask)
        memory = self.encoderNorm(x) if PRE_NORM else x
        # Contiguous once here (as fairseq stores them): the per-head view of a [B, S, D] projection is strided, and
        # every step's products would copy it again (greedy reorders only when a sentence ends).
        return DecoderState(source_mask, [LayerCache(split_heads(layer.crossAttention.key(memory)).contiguous(),
                                                     split_heads(layer.crossAttention.value(memory)).contiguous()) for layer in self.decoderLayers])

    def step(self, previous, state):
        """[rows] previous tokens -> [rows, V] float32 logits of the next one."""
        x = self.embed(previous.unsqueeze(1), state.length)
        for layer, cache in zip(self.decoderLayers, state.layers):
            x = layer.step(x, cache, state.source_mask)
        state.length += 1
        return self.logits(x).squeeze(1)

    def forward(self, source, target_in):  # teacher-forced logits [B, T, V]
        state_mask = (source != PAD)[:, None, None, :]
        x = self.embed(source, 0)
        for layer in self.encoderLayers:
            x = layer(x, state_mask)
        memory = self.encoderNorm(x) if PRE_NORM else x
        y = self.embed(target_in, 0)
        for layer in self.decoderLayers:
            y = layer(y, memory, state_mask)
        return self.logits(y)


class Options:
    def __init__(self, s):
        unsupported = {k: s[k] for k, ok in (("length_penalty_style", s["length_penalty_style"] == "gnmt"), ("min_len", s["min_len"] == 0),
                                              ("nbest", s["nbest"] == 1), ("temperature", s["temperature"] == 1), ("no_repeat_ngram", s["no_repeat_ngram"] == 0),
                                              ("early_stop", s["early_stop"]), ("sampling", not s["sampling"])) if not ok}
        assert not unsupported, f"the twin does not reproduce these search settings: {unsupported}"
        self.beam, self.alpha, self.a, self.b = s["beam"], s["length_penalty"], s["max_len_a"], s["max_len_b"]

    def max_length(self, source_length):  # SearchOptions.MaxLength, capped as BeamSearch caps it
        return min(max(0, math.floor(self.a * source_length) + self.b), P - 1)

    def penalty(self, scored_tokens):  # GNMT, |y| counting EOS
        return 1.0 if self.alpha == 0 else ((5.0 + scored_tokens) / 6.0) ** self.alpha


def never_generated_and_max_length(log_probs, at_max):
    """NeverGenerated (PAD, BOS) and EndAtMaximumLength (rows at their maximum length may only end) on [rows, V]."""
    log_probs[:, [PAD, BOS]] = NEG_INF
    if at_max is not None:
        not_eos = torch.ones(V, dtype=torch.bool)
        not_eos[EOS] = False
        log_probs = log_probs.masked_fill(at_max.unsqueeze(1) & not_eos.unsqueeze(0), NEG_INF)
    return log_probs


def padded(sources):
    ids = torch.full((len(sources), max(len(s) for s in sources)), PAD, dtype=torch.long)
    for r, s in enumerate(sources):
        ids[r, :len(s)] = torch.tensor(s, dtype=torch.long)
    return ids


def at_max_rows(active, max_lengths, step, beam):
    flags = [step >= max_lengths[s] for s in active]
    return torch.tensor(flags).repeat_interleave(beam) if any(flags) else None


def greedy(model, sources, options):
    """Batched greedy search; returns (outputs without BOS/EOS, decoder steps)."""
    n = len(sources)
    max_lengths = [options.max_length(len(s)) for s in sources]
    state = model.encode(padded(sources))
    active = list(range(n))
    outputs = [[] for _ in range(n)]
    previous = torch.full((n,), BOS, dtype=torch.long)
    step = 0
    while active:
        log_probs = F.log_softmax(model.step(previous, state), 1)
        log_probs = never_generated_and_max_length(log_probs, at_max_rows(active, max_lengths, step, 1))
        tokens = log_probs.argmax(1)
        host = tokens.tolist()  # the one host read of the step
        keep = []
        for a, token in enumerate(host):
            s = active[a]
            if token != EOS and step < max_lengths[s]:
                outputs[s].append(token)
                keep.append(a)
        step += 1
        if not keep:
            break
        if len(keep) < len(active):
            rows = torch.tensor(keep)
            state.reorder(rows, True)
            tokens = tokens.index_select(0, rows)
            active = [active[a] for a in keep]
        previous = tokens
    return outputs, step


class SentenceSearch:
    """Host record of one sentence (SentenceSearch.cs): back-pointers per step and the best `keep` finished."""
    __slots__ = ("options", "max_length", "keep", "parents", "tokens", "finished")

    def __init__(self, options, max_length):
        self.options, self.max_length, self.keep = options, max_length, options.beam
        self.parents, self.tokens, self.finished = [], [], []  # finished: (score, tokens), best first

    def finish(self, beam, log_prob):
        ids = [0] * len(self.tokens)
        for step in range(len(self.tokens) - 1, -1, -1):
            ids[step] = self.tokens[step][beam]
            beam = self.parents[step][beam]
        score = log_prob / self.options.penalty(len(ids) + 1)
        finished = self.finished
        if len(finished) == self.keep and score <= finished[-1][0]:
            return
        if any(h[1] == ids for h in finished):
            return
        at = next((i for i, h in enumerate(finished) if h[0] < score), len(finished))
        finished.insert(at, (score, ids))
        del finished[self.keep:]

    def is_done(self, step, best_open):
        return best_open == NEG_INF or step >= self.max_length or len(self.finished) >= self.keep


def beam_search(model, sources, options):
    """Batched beam search (BeamSearch.cs); returns (best hypotheses without BOS/EOS, decoder steps)."""
    n, beam = len(sources), options.beam
    sentences = [SentenceSearch(options, options.max_length(len(s))) for s in sources]
    max_lengths = [s.max_length for s in sentences]
    state = model.encode(padded(sources))
    active = list(range(n))
    state.reorder(torch.arange(n).repeat_interleave(beam), True)
    open_scores = torch.tensor([0.0] + [NEG_INF] * (beam - 1)).repeat(n, 1)  # copies of the empty prefix start closed
    previous = torch.full((n * beam,), BOS, dtype=torch.long)
    width = min(2 * beam, beam * V)
    positions = torch.arange(width)
    step = 0
    while True:
        count = len(active)
        log_probs = F.log_softmax(model.step(previous, state), 1)
        log_probs = never_generated_and_max_length(log_probs, at_max_rows(active, max_lengths, step, beam))
        total = (open_scores.unsqueeze(2) + log_probs.view(count, beam, V)).view(count, beam * V)
        scores, flat = total.topk(width, 1)
        beams, tokens = flat.div(V, rounding_mode="floor"), flat.remainder(V)
        # Continuations: the best `beam` candidates that do not end stay open; which of the first `beam` end here.
        ends = tokens.eq(EOS) & scores.isfinite()
        pick = (ends.long() * width + positions).topk(beam, 1, largest=False).indices
        next_tokens = tokens.gather(1, pick)
        next_scores = scores.gather(1, pick).masked_fill(next_tokens.eq(EOS), NEG_INF)
        next_beams = beams.gather(1, pick)
        packed = torch.cat([next_beams.double(), next_tokens.double(), scores[:, :beam].double(), beams[:, :beam].double(),
                            ends[:, :beam].double(), next_scores.max(1, keepdim=True).values.double()], 1)
        host = packed.tolist()  # the one host read of the step
        still = []
        for a in range(count):
            row, sentence = host[a], sentences[active[a]]
            for b in range(beam):
                if row[4 * beam + b]:
                    sentence.finish(int(row[3 * beam + b]), row[2 * beam + b])
            sentence.parents.append([int(x) for x in row[:beam]])
            sentence.tokens.append([int(x) for x in row[beam:2 * beam]])
            if not sentence.is_done(step, row[5 * beam]):
                still.append(a)
        step += 1
        if not still:
            break
        rows = (torch.arange(count) * beam).unsqueeze(1) + next_beams
        dropped = len(still) < count
        if dropped:
            keep = torch.tensor(still)
            rows, next_scores, next_tokens = rows.index_select(0, keep), next_scores.index_select(0, keep), next_tokens.index_select(0, keep)
            active = [active[a] for a in still]
        state.reorder(rows.view(-1), dropped)
        open_scores, previous = next_scores, next_tokens.reshape(-1)
    return [s.finished[0][1] for s in sentences], step


def translate(model, sources, options, batch, precision):
    """All sources, longest first in consecutive batches (Translator); outputs in input order, decoder steps."""
    order = sorted((i for i in range(len(sources)) if sources[i]), key=lambda i: -len(sources[i]))
    outputs, steps = [[] for _ in sources], 0
    search = greedy if options.beam == 1 else beam_search
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
        for start in range(0, len(order), batch):
            ids = order[start:start + batch]
            found, batch_steps = search(model, [sources[i] for i in ids], options)
            steps += batch_steps
            for i, out in zip(ids, found):
                outputs[i] = out
    return outputs, steps


def sequence_scores(model, source, hypotheses, options):
    """Teacher-forced summed log-probabilities (EOS included) and length-normalised scores of hypotheses of one source."""
    with torch.inference_mode():
        src = padded([source]).expand(len(hypotheses), -1)
        width = max(len(h) for h in hypotheses) + 1
        target_in = torch.full((len(hypotheses), width), PAD, dtype=torch.long)
        target_out = torch.full((len(hypotheses), width), PAD, dtype=torch.long)
        for r, h in enumerate(hypotheses):
            target_in[r, :len(h) + 1] = torch.tensor([BOS] + h)
            target_out[r, :len(h) + 1] = torch.tensor(h + [EOS])
        lp = F.log_softmax(model(src, target_in), -1).gather(2, target_out.unsqueeze(2)).squeeze(2)
        sums = [lp[r, :len(h) + 1].sum().item() for r, h in enumerate(hypotheses)]
        steps = [lp[r, :len(h) + 1].tolist() for r, h in enumerate(hypotheses)]
    return sums, [s / options.penalty(len(h) + 1) for s, h in zip(sums, hypotheses)], steps


def explain(model, source, ours, twin, options):
    """Why one output differs: both hypotheses scored by the twin's network; for greedy, the choice where they part."""
    sums, scores, steps = sequence_scores(model, source, [ours, twin], options)
    first = next((i for i, (x, y) in enumerate(zip(ours + [EOS], twin + [EOS])) if x != y), min(len(ours), len(twin)))
    note = {"source_tokens": len(source), "first_difference_at": first, "ours_tokens": len(ours), "twin_tokens": len(twin),
            "ours_score": round(scores[0], 6), "twin_score": round(scores[1], 6)}
    if options.beam == 1:
        # The two log-probabilities of the tokens each side chose at the first difference (same prefix on both).
        note["log_prob_gap_at_first_difference"] = steps[1][first] - steps[0][first]
    return note


model = Seq2Seq()
state_dict = torch.load(args.weights)
assert state_dict["embedding.weight"].shape[0] == V, "the weights' vocabulary is not config.json's"
model.load_state_dict(state_dict, strict=True)
model.eval()

sources = inputs["sources"][:args.sentences] if args.sentences else inputs["sources"]
batch = args.batch or inputs["batch"]
results, comparisons = [], {}
for search in args.searches.split(","):
    options = Options(inputs["search"][search])
    for precision in args.precisions.split(","):
        first_batch = sorted((s for s in sources if s), key=lambda s: -len(s))[:batch]
        translate(model, first_batch, options, batch, precision)  # warm-up (allocator, kernels) on the same path
        cpu_before, clock = time.process_time(), time.perf_counter()
        outputs, steps = translate(model, sources, options, batch, precision)
        seconds, cpu_seconds = time.perf_counter() - clock, time.process_time() - cpu_before
        tokens = sum(len(o) + 1 for o in outputs)  # + EOS, as ours counts (an empty source counts 1 too)
        entry = {"search": search, "batch": batch, "sentences": len(sources), "precision": precision,
                 "seconds": round(seconds, 3), "sentences_per_s": round(len(sources) / seconds, 2),
                 "target_tokens_per_s": round(tokens / seconds, 1), "target_tokens": tokens,
                 "cpu_seconds": round(cpu_seconds, 3), "target_tokens_per_cpu_s": round(tokens / cpu_seconds, 1),
                 "decoder_steps": steps, "ms_per_step": round(1000 * seconds / steps, 2), "outputs": outputs}
        ours = inputs.get("ours", {}).get(search, {}).get(precision)
        if ours is not None:
            n = min(len(ours), len(outputs))
            differ = [i for i in range(n) if ours[i] != outputs[i]]
            comparison = {"sentences": n, "identical": n - len(differ), "identical_share": round((n - len(differ)) / n, 4), "differ": differ}
            if args.explain:
                comparison["why"] = {i: explain(model, sources[i], ours[i], outputs[i], options) for i in differ}
            comparisons[f"{search}_batch{batch}_{precision}"] = comparison
        results.append(entry)

print(json.dumps({
    "twin": "PyTorch " + torch.__version__ + " (bench/decode-throughput/pytorch_twin.py)",
    "threads": torch.get_num_threads(),
    "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    # fp32 products go to the system BLAS (Debian's alternatives: OpenBLAS, whose own threads spin between calls);
    # bf16 ones (autocast) to oneDNN.
    "blas": os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu"),
    "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    "malloc_env": {k: os.environ[k] for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_") if k in os.environ},
    "load_average": open("/proc/loadavg").read().strip(),
    "model": {k: cfg[k] for k in ("vocab_size", "model_dim", "encoder_layers", "decoder_layers", "heads", "feed_forward_dim", "pre_norm", "max_positions")},
    "target_tokens_counted": "output tokens of the best hypothesis + EOS",
    "results": results,
    "identical_to_ours": comparisons,
}))
