"""PyTorch reference for Hugging Face MarianMT (OPUS-MT) checkpoints.

transformers cannot be installed here, so this is a reference written in PyTorch
from Hugging Face's source, line by line (our own code, not a copy).  What each
part follows (repository huggingface/transformers, files as stored in our source
index; each file was stored at a different commit):

* MarianTokenizerRef  -- src/transformers/models/marian/tokenization_marian.py,
  4.4x-era text (typing.List/Dict, `language_code_re = re.compile(">>.+<<")`,
  `_convert_token_to_id` = current_encoder.get(token, unk), `_convert_id_to_token`
  = decoder.get(index, unk), convert_tokens_to_string without the later
  SPIECE_UNDERLINE replace).  Newer stored text (commit 025722be, v5-era) differs:
  remove_language_code uses str.find instead of the regex, unknown pieces fall
  back to spm ids, and convert_tokens_to_string replaces "\u2581" -- NOT followed.
* PreTrainedTokenizer.tokenize / _decode / convert_ids_to_tokens and
  PreTrainedTokenizerBase.clean_up_tokenization and the
  `clean_up_tokenization_spaces` default (False since 4.45) --
  src/transformers/tokenization_utils.py / tokenization_utils_base.py, 4.4x text.
* MarianModelRef -- src/transformers/models/marian/modeling_marian.py (stored at
  00b676f8 / d02747e1): MarianSinusoidalPositionalEmbedding._init_weight,
  MarianAttention, MarianEncoderLayer, MarianDecoderLayer, MarianEncoder,
  MarianDecoder, MarianModel, MarianMTModel.  4.47 scales the query projection
  (`q_proj(h) * scaling`) before q.k; the stored newer text multiplies q.k by
  scaling inside eager_attention_forward.  We follow 4.47 (mathematically equal).
* generate_ref -- src/transformers/generation/utils.py (`_sample` with
  do_sample=False, `_beam_search`, `_get_logits_processor`), logits_process.py
  (NoBadWordsLogitsProcessor via SequenceBiasLogitsProcessor,
  ForcedEOSTokenLogitsProcessor, LogitNormalization), stopping_criteria.py
  (MaxLengthCriteria, EosTokenCriteria) and generation/beam_search.py @
  4e7bd11fa959587a64a649050c30c999afae66c8 (BeamSearchScorer.process/finalize,
  BeamHypotheses.add/is_done with decoder_prompt_len).

Target: transformers 4.47 behaviour.  (__init__.py in the index is stored at an
old commit, 00031785, __version__ "4.3.0.dev0", so the version of each file
cannot be read from it; see README.md.)
"""
import json
import math
import os
import re
import struct

import sentencepiece
import torch
from torch import nn

REFERENCE = ("PyTorch reference written from huggingface/transformers source (target v4.47): "
             "generation/beam_search.py@4e7bd11fa959587a64a649050c30c999afae66c8; "
             "models/marian/modeling_marian.py@00b676f8f0489b88652a31d70751cc540dd06305 (4.47 q-scaling); "
             "models/marian/tokenization_marian.py 4.4x text (language_code_re '>>.+<<'); "
             "tokenization_utils(_base).py 4.4x text; generation/utils.py _sample/_beam_search 4.4x")

SPIECE_UNDERLINE = "\u2581"


# ----------------------------------------------------------------------------
# safetensors (written and read by hand: 8-byte LE header length, JSON header,
# raw little-endian data)
# ----------------------------------------------------------------------------
_ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.int64: "I64"}
_ST_REV = {v: k for k, v in _ST_DTYPES.items()}


def save_safetensors(tensors, path, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = _tensor_bytes(t)
        header[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata is not None:
        header["__metadata__"] = metadata
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)  # pad header so data is 8-aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def _tensor_bytes(t):
    # no numpy here: reinterpret as bytes through uint8 (x86 is little-endian)
    import sys
    assert sys.byteorder == "little"
    return bytes(bytearray(t.reshape(-1).view(torch.uint8).tolist()))


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        dt = _ST_REV[info["dtype"]]
        buf = bytearray(raw[base + a:base + b])
        t = torch.frombuffer(buf, dtype=torch.uint8).view(dt).reshape(info["shape"]).clone()
        out[name] = t
    return out


def load_state_dict(model_dir):
    st = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(st):
        sd = load_safetensors(st)
    else:
        sd = torch.load(os.path.join(model_dir, "pytorch_model.bin"), map_location="cpu")
    # from_pretrained loads into a float32 model (torch_dtype not "auto"): upcast
    return {k: v.float() for k, v in sd.items()}


# ----------------------------------------------------------------------------
# Tokenizer
# ----------------------------------------------------------------------------
class MarianTokenizerRef:
    # MarianTokenizer.language_code_re (class attribute, 4.4x)
    language_code_re = re.compile(">>.+<<")

    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "tokenizer_config.json"), encoding="utf-8") as f:
            tc = json.load(f)
        self.unk_token = tc.get("unk_token", "<unk>")
        self.eos_token = tc.get("eos_token", "</s>")
        self.pad_token = tc.get("pad_token", "<pad>")
        self.separate_vocabs = bool(tc.get("separate_vocabs", False))
        # PreTrainedTokenizerBase.__init__: kwargs.pop("clean_up_tokenization_spaces", False)
        self.clean_up_tokenization_spaces = bool(tc.get("clean_up_tokenization_spaces", False))
        with open(os.path.join(model_dir, "vocab.json"), encoding="utf-8") as f:
            self.encoder = json.load(f)
        if self.unk_token not in self.encoder:
            raise KeyError("<unk> token must be in vocab")
        if self.separate_vocabs:
            with open(os.path.join(model_dir, "target_vocab.json"), encoding="utf-8") as f:
                self.target_encoder = json.load(f)
            self.decoder = {v: k for k, v in self.target_encoder.items()}
        else:
            self.target_encoder = None
            self.decoder = {v: k for k, v in self.encoder.items()}
        self.spm_source = sentencepiece.SentencePieceProcessor()
        self.spm_source.Load(os.path.join(model_dir, "source.spm"))
        self.spm_target = sentencepiece.SentencePieceProcessor()
        self.spm_target.Load(os.path.join(model_dir, "target.spm"))
        self._switch_to_input_mode()
        # SPECIAL_TOKENS_ATTRIBUTES order: bos, eos, unk, sep, pad, cls, mask
        self.all_special_tokens = [self.eos_token, self.unk_token, self.pad_token]
        # PreTrainedTokenizer.__init__: added tokens come from added_tokens_decoder
        # in tokenizer_config.json; special tokens not there are added by
        # _add_tokens(special_tokens=True), taking their id from get_vocab()
        # (= source vocab for Marian), lstrip/rstrip False.
        self.added_tokens_decoder = {}  # id -> (content, lstrip, rstrip)
        for sid, info in (tc.get("added_tokens_decoder") or {}).items():
            self.added_tokens_decoder[int(sid)] = (info["content"], bool(info.get("lstrip", False)),
                                                   bool(info.get("rstrip", False)))
        present = {c for (c, _, _) in self.added_tokens_decoder.values()}
        for tok in self.all_special_tokens:
            if tok not in present:
                self.added_tokens_decoder[self.encoder[tok]] = (tok, False, False)
        self.added_tokens_encoder = {c: i for i, (c, _, _) in self.added_tokens_decoder.items()}
        # convert_tokens_to_ids goes through added_tokens_encoder first, so the
        # special ids are the same in source and target mode.
        self.all_special_ids = [self.convert_token_to_id(t) for t in self.all_special_tokens]
        self.eos_token_id = self.convert_token_to_id(self.eos_token)
        self.unk_token_id = self.convert_token_to_id(self.unk_token)
        self.pad_token_id = self.convert_token_to_id(self.pad_token)

    # MarianTokenizer._switch_to_input_mode / _switch_to_target_mode
    def _switch_to_input_mode(self):
        self.current_spm = self.spm_source
        self.current_encoder = self.encoder

    def _switch_to_target_mode(self):
        self.current_spm = self.spm_target
        if self.separate_vocabs:
            self.current_encoder = self.target_encoder

    # MarianTokenizer.remove_language_code: .match anchors at the start of the
    # chunk, .sub removes EVERY (greedy) match anywhere in the chunk.
    def remove_language_code(self, text):
        match = self.language_code_re.match(text)
        code = [match.group(0)] if match else []
        return code, self.language_code_re.sub("", text)

    # MarianTokenizer._tokenize
    def _tokenize(self, text):
        code, text = self.remove_language_code(text)
        pieces = self.current_spm.encode(text, out_type=str)
        return code + pieces

    def _trie_split(self, text):
        # tokenization_utils.Trie.split for a set of added tokens: leftmost
        # match, longest at that position; text between matches kept verbatim.
        toks = sorted(self.added_tokens_encoder, key=len, reverse=True)
        out, start, i = [], 0, 0
        while i < len(text):
            hit = None
            for t in toks:
                if text.startswith(t, i):
                    hit = t
                    break
            if hit is None:
                i += 1
                continue
            if i > start:
                out.append(text[start:i])
            out.append(hit)
            i += len(hit)
            start = i
        if start < len(text) or not out:
            out.append(text[start:])
        return out

    # PreTrainedTokenizer.tokenize (split_special_tokens False)
    def tokenize(self, text):
        tokens = self._trie_split(text)
        flags = {c: (l, r) for (c, l, r) in self.added_tokens_decoder.values()}
        for i, tok in enumerate(tokens):
            if tok in self.added_tokens_encoder:
                lstrip, rstrip = flags[tok]
                left = tokens[i - 1] if i > 0 else None
                right = tokens[i + 1] if i < len(tokens) - 1 else None
                if rstrip and right:
                    tokens[i + 1] = right.lstrip()
                if lstrip and left:
                    tokens[i - 1] = left.rstrip()
        out = []
        for tok in tokens:
            if not tok:
                continue
            if tok in self.added_tokens_encoder:
                out.append(tok)
            else:
                out.extend(self._tokenize(tok))
        return out

    # PreTrainedTokenizer._convert_token_to_id_with_added_voc + Marian _convert_token_to_id
    def convert_token_to_id(self, token):
        if token in self.added_tokens_encoder:
            return self.added_tokens_encoder[token]
        return self.current_encoder.get(token, self.current_encoder[self.unk_token])

    def encode(self, text, target=False):
        """tokenizer(text)["input_ids"] or tokenizer(text_target=text)["input_ids"]"""
        if target:
            self._switch_to_target_mode()
        try:
            ids = [self.convert_token_to_id(t) for t in self.tokenize(text)]
        finally:
            self._switch_to_input_mode()
        # build_inputs_with_special_tokens: append eos, no bos
        return ids + [self.eos_token_id]

    # PreTrainedTokenizer.convert_ids_to_tokens
    def convert_ids_to_tokens(self, ids, skip_special_tokens=False):
        out = []
        for index in ids:
            index = int(index)
            if skip_special_tokens and index in self.all_special_ids:
                continue
            if index in self.added_tokens_decoder:
                out.append(self.added_tokens_decoder[index][0])
            else:
                out.append(self.decoder.get(index, self.unk_token))
        return out

    # MarianTokenizer.convert_tokens_to_string (target spm; use_source_tokenizer False)
    def convert_tokens_to_string(self, tokens):
        sp_model = self.spm_target
        current, out = [], ""
        for tok in tokens:
            if tok in self.all_special_tokens:
                out += sp_model.decode_pieces(current) + tok + " "
                current = []
            else:
                current.append(tok)
        out += sp_model.decode_pieces(current)
        return out.strip()

    # PreTrainedTokenizerBase.clean_up_tokenization
    @staticmethod
    def clean_up_tokenization(s):
        return (s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re"))

    # PreTrainedTokenizer._decode
    def decode(self, ids, skip_special_tokens=True, clean_up_tokenization_spaces=None):
        filtered = self.convert_ids_to_tokens(ids, skip_special_tokens=skip_special_tokens)
        # legacy added tokens = added tokens that are not special: none here
        current = []
        for tok in filtered:
            if skip_special_tokens and tok in self.all_special_tokens:
                continue
            current.append(tok)
        text = self.convert_tokens_to_string(current) if current else ""
        if clean_up_tokenization_spaces is None:
            clean_up_tokenization_spaces = self.clean_up_tokenization_spaces
        if clean_up_tokenization_spaces:
            text = self.clean_up_tokenization(text)
        return text


# ----------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------
def sinusoidal_table(n_pos, dim):
    """MarianSinusoidalPositionalEmbedding._init_weight: float64 angles
    pos / 10000^(2*(j//2)/dim), sin of even j in the first half, cos of odd j in
    the second half, then cast to float32."""
    ang = torch.empty(n_pos, dim, dtype=torch.float64)
    pos = torch.arange(n_pos, dtype=torch.float64)[:, None]
    for j in range(dim):
        ang[:, j] = pos[:, 0] / (10000.0 ** (2 * (j // 2) / dim))
    out = torch.empty(n_pos, dim, dtype=torch.float32)
    sentinel = dim // 2 if dim % 2 == 0 else dim // 2 + 1
    out[:, :sentinel] = torch.sin(ang[:, 0::2]).float()
    out[:, sentinel:] = torch.cos(ang[:, 1::2]).float()
    return out


_ACT = {"swish": nn.functional.silu, "silu": nn.functional.silu, "relu": nn.functional.relu,
        "gelu": nn.functional.gelu}


class MarianModelRef:
    """MarianMTModel forward, fp32, eval mode (no dropout)."""

    def __init__(self, config, sd):
        self.c = config
        self.d = config["d_model"]
        self.act = _ACT[config.get("activation_function", "gelu")]
        self.embed_scale = math.sqrt(self.d) if config.get("scale_embedding", False) else 1.0
        shared = config.get("share_encoder_decoder_embeddings", True)
        if shared:
            emb = sd.get("model.shared.weight")
            if emb is None:
                emb = sd.get("model.encoder.embed_tokens.weight", sd.get("model.decoder.embed_tokens.weight"))
            self.enc_emb = self.dec_emb = emb
        else:
            self.enc_emb = sd["model.encoder.embed_tokens.weight"]
            self.dec_emb = sd["model.decoder.embed_tokens.weight"]
        # MarianMTModel.tie_weights: lm_head <- decoder input embeddings when
        # tie_word_embeddings (default True); otherwise lm_head.weight from file.
        if config.get("tie_word_embeddings", True) or "lm_head.weight" not in sd:
            self.lm_head = self.dec_emb
        else:
            self.lm_head = sd["lm_head.weight"]
        V = self.lm_head.shape[0]
        self.final_logits_bias = sd.get("final_logits_bias", torch.zeros(1, V))
        # recomputed, never read from the checkpoint
        self.pos = sinusoidal_table(config["max_position_embeddings"], self.d)
        self.sd = sd

    def _ln(self, x, p):
        return nn.functional.layer_norm(x, (self.d,), self.sd[p + ".weight"], self.sd[p + ".bias"], 1e-5)

    def _lin(self, x, p):
        return nn.functional.linear(x, self.sd[p + ".weight"], self.sd[p + ".bias"])

    def _attn(self, x, kv, p, heads, mask):
        # MarianAttention.forward (4.47): q scaled by head_dim**-0.5 after q_proj
        B, T, D = x.shape
        S = kv.shape[1]
        hd = D // heads
        q = self._lin(x, p + ".q_proj") * (hd ** -0.5)
        k = self._lin(kv, p + ".k_proj")
        v = self._lin(kv, p + ".v_proj")
        q = q.view(B, T, heads, hd).transpose(1, 2)
        k = k.view(B, S, heads, hd).transpose(1, 2)
        v = v.view(B, S, heads, hd).transpose(1, 2)
        w = torch.matmul(q, k.transpose(2, 3))
        if mask is not None:
            w = w + mask
        w = torch.softmax(w, dim=-1)
        o = torch.matmul(w, v).transpose(1, 2).reshape(B, T, D)
        return self._lin(o, p + ".out_proj")

    @staticmethod
    def _padding_mask(attn_mask, T):
        # _prepare_4d_attention_mask: (1 - mask) * finfo.min, [B,1,T,S]
        m = attn_mask[:, None, None, :].to(torch.float32).expand(-1, 1, T, -1)
        return (1.0 - m).masked_fill((1.0 - m).bool(), torch.finfo(torch.float32).min)

    def encode(self, input_ids, attention_mask=None):
        input_ids = torch.tensor(input_ids, dtype=torch.long)  # [B, S]
        B, S = input_ids.shape
        if attention_mask is None:
            attention_mask = torch.ones(B, S, dtype=torch.long)
        h = self.enc_emb[input_ids] * self.embed_scale + self.pos[:S]
        mask = self._padding_mask(attention_mask, S)
        for i in range(self.c["encoder_layers"]):
            p = "model.encoder.layers.%d" % i
            r = h
            h = self._attn(h, h, p + ".self_attn", self.c["encoder_attention_heads"], mask)
            h = self._ln(r + h, p + ".self_attn_layer_norm")
            r = h
            h = self._lin(self.act(self._lin(h, p + ".fc1")), p + ".fc2")
            h = self._ln(r + h, p + ".final_layer_norm")
        return h, attention_mask

    def decode(self, dec_ids, enc_out, enc_mask, past_len=0, last_only=False):
        """Decoder over dec_ids [B,T] (positions past_len..past_len+T-1), full
        causal self-attention within dec_ids.  Returns logits [B,T,V] (or [B,V])."""
        B, T = dec_ids.shape
        h = self.dec_emb[dec_ids] * self.embed_scale + self.pos[past_len:past_len + T]
        causal = torch.full((T, T), torch.finfo(torch.float32).min).triu(1)[None, None]
        cross = self._padding_mask(enc_mask, T)
        if enc_out.shape[0] != B:
            enc_out = enc_out.expand(B, -1, -1)
            cross = cross.expand(B, -1, -1, -1)
        for i in range(self.c["decoder_layers"]):
            p = "model.decoder.layers.%d" % i
            heads = self.c["decoder_attention_heads"]
            r = h
            h = self._attn(h, h, p + ".self_attn", heads, causal)
            h = self._ln(r + h, p + ".self_attn_layer_norm")
            r = h
            h = self._attn(h, enc_out, p + ".encoder_attn", heads, cross)
            h = self._ln(r + h, p + ".encoder_attn_layer_norm")
            r = h
            h = self._lin(self.act(self._lin(h, p + ".fc1")), p + ".fc2")
            h = self._ln(r + h, p + ".final_layer_norm")
        if last_only:
            h = h[:, -1, :]
        # MarianMTModel.forward: lm_logits = lm_head(h) + final_logits_bias
        return nn.functional.linear(h, self.lm_head) + self.final_logits_bias[0]

    def logits(self, source_ids, decoder_input_ids):
        enc, m = self.encode([list(source_ids)])
        return self.decode(torch.tensor([list(decoder_input_ids)]), enc, m)[0]


# ----------------------------------------------------------------------------
# Generation
# ----------------------------------------------------------------------------
class _Stats:
    def reset(self):
        self.greedy_min = self.beam_min = float("inf")
        self.greedy_where = self.beam_where = None


STATS = _Stats()
STATS.reset()


def _note_margin(sorted_vals, label, greedy=False):
    for a, b in zip(sorted_vals[:-1], sorted_vals[1:]):
        if math.isfinite(a) and math.isfinite(b) and a > -1e8 and b > -1e8:
            g = a - b
            if greedy and g < STATS.greedy_min:
                STATS.greedy_min, STATS.greedy_where = g, label
            if not greedy and g < STATS.beam_min:
                STATS.beam_min, STATS.beam_where = g, label


def _process_logits(scores, cur_len, gen):
    """_get_logits_processor order (4.47) for the settings Marian uses:
    NoBadWordsLogitsProcessor, ForcedEOSTokenLogitsProcessor, then
    LogitNormalization last when renormalize_logits."""
    eos = gen["eos_token_id"]
    bad = [b for b in (gen.get("bad_words_ids") or []) if b != [eos]]
    for seq in bad:
        if len(seq) == 1:  # single-token bad words: static bias of -inf
            scores = scores.clone()
            scores[:, seq[0]] = scores[:, seq[0]] + float("-inf")
        else:
            raise NotImplementedError("multi-token bad_words_ids")
    if gen.get("forced_eos_token_id") is not None and cur_len == gen["max_length"] - 1:
        scores = torch.full_like(scores, float("-inf"))
        scores[:, gen["forced_eos_token_id"]] = 0
    if gen.get("renormalize_logits"):
        scores = torch.log_softmax(scores, dim=-1)
    return scores


def generate_ref(model, source_ids, gen, num_beams=None, length_penalty=None, max_length=None, label=""):
    """One sentence.  Returns (generated ids without the start token, with EOS if
    produced, sequence score or None for greedy)."""
    gen = dict(gen)
    if max_length is not None:
        gen["max_length"] = max_length
    num_beams = gen.get("num_beams", 1) if num_beams is None else num_beams
    lp = gen.get("length_penalty", 1.0) if length_penalty is None else length_penalty
    eos = gen["eos_token_id"]
    start = gen["decoder_start_token_id"]
    L = gen["max_length"]
    with torch.no_grad():
        enc, m = model.encode([list(source_ids)])
        if num_beams == 1:
            return _greedy(model, enc, m, gen, start, eos, L, label), None
        return _beam(model, enc, m, gen, start, eos, L, num_beams, lp, label)


def _greedy(model, enc, m, gen, start, eos, L, label):
    # GenerationMixin._sample, do_sample=False
    ids = torch.tensor([[start]])
    while True:
        logits = model.decode(ids, enc, m, last_only=True).float()
        scores = _process_logits(logits, ids.shape[-1], gen)
        top = torch.topk(scores[0], 2).values.tolist()
        _note_margin(top, label + " greedy step %d" % ids.shape[-1], greedy=True)
        nxt = torch.argmax(scores, dim=-1)
        ids = torch.cat([ids, nxt[:, None]], dim=-1)
        # stopping criteria: MaxLengthCriteria, EosTokenCriteria
        if ids.shape[-1] >= L or int(nxt[0]) == eos:
            break
    return ids[0, 1:].tolist()


class BeamHypothesesRef:
    # beam_search.py BeamHypotheses (early_stopping=False)
    def __init__(self, num_beams, length_penalty):
        self.num_beams = num_beams
        self.length_penalty = length_penalty
        self.beams = []
        self.worst_score = 1e9

    def __len__(self):
        return len(self.beams)

    def add(self, hyp, sum_logprobs, generated_len):
        score = sum_logprobs / (generated_len ** self.length_penalty)
        if len(self) < self.num_beams or score > self.worst_score:
            self.beams.append((score, hyp))
            if len(self) > self.num_beams:
                ranked = sorted([(s, idx) for idx, (s, _) in enumerate(self.beams)])
                del self.beams[ranked[0][1]]
                self.worst_score = ranked[1][0]
            else:
                self.worst_score = min(score, self.worst_score)

    def is_done(self, best_sum_logprobs, cur_len, decoder_prompt_len):
        if len(self) < self.num_beams:
            return False
        highest = best_sum_logprobs / (cur_len - decoder_prompt_len) ** self.length_penalty
        return self.worst_score >= highest


def _beam(model, enc, m, gen, start, eos, L, num_beams, lp, label):
    # GenerationMixin._beam_search with BeamSearchScorer (batch 1, 1 group)
    ids = torch.full((num_beams, 1), start, dtype=torch.long)
    decoder_prompt_len = ids.shape[-1]
    hyps = BeamHypothesesRef(num_beams, lp)
    done = False
    beam_scores = torch.zeros(num_beams, dtype=torch.float32)
    beam_scores[1:] = -1e9
    while True:
        logits = model.decode(ids, enc, m, last_only=True).float()
        scores = torch.log_softmax(logits, dim=-1)
        scores = _process_logits(scores, ids.shape[-1], gen)
        scores = scores + beam_scores[:, None].expand_as(scores)
        V = scores.shape[-1]
        flat = scores.view(1, num_beams * V)
        n_keep = max(2, 1 + 1) * num_beams
        top_s, top_t = torch.topk(flat, n_keep + 1, dim=1, largest=True, sorted=True)
        full_s, full_tok = top_s[0].tolist(), (top_t[0] % scores.shape[-1]).tolist()
        top_s, top_t = top_s[:, :n_keep], top_t[:, :n_keep]
        next_indices = torch.div(top_t, V, rounding_mode="floor")
        next_tokens = top_t % V
        # BeamSearchScorer.process
        cur_len = ids.shape[-1] + 1
        nb_scores = torch.zeros(num_beams, dtype=top_s.dtype)
        nb_tokens = torch.zeros(num_beams, dtype=torch.long)
        nb_indices = torch.zeros(num_beams, dtype=torch.long)
        if done:
            nb_tokens[:] = gen["pad_token_id"]
        else:
            bi = 0
            for rank, (tok, sc, idx) in enumerate(zip(next_tokens[0], top_s[0], next_indices[0])):
                if int(tok) == eos:
                    if rank >= num_beams:
                        continue
                    hyps.add(ids[int(idx)].clone(), sc.item(), generated_len=cur_len - decoder_prompt_len)
                else:
                    nb_scores[bi] = sc
                    nb_tokens[bi] = tok
                    nb_indices[bi] = idx
                    bi += 1
                if bi == num_beams:
                    break
            # decision margins (diagnostic only): the boundary of the chosen set
            # and every EOS/non-EOS ordering up to it
            last = rank
            _note_margin(full_s[last:last + 2], label + " beam step %d" % ids.shape[-1])
            for r in range(last + 1):
                if full_tok[r] == eos or full_tok[r + 1] == eos:
                    _note_margin(full_s[r:r + 2], label + " beam step %d (eos order)" % ids.shape[-1])
            done = done or hyps.is_done(top_s[0].max().item(), cur_len, decoder_prompt_len)
        beam_scores = nb_scores
        ids = torch.cat([ids[nb_indices, :], nb_tokens[:, None]], dim=-1)
        if done or ids.shape[-1] >= L:
            break
    # BeamSearchScorer.finalize
    if not done:
        for b in range(num_beams):
            hyps.add(ids[b], beam_scores[b].item(), generated_len=ids[b].shape[-1] - decoder_prompt_len)
    best_score, best = sorted(hyps.beams, key=lambda x: x[0])[-1]
    seq = best.tolist()
    if len(seq) < L:  # sent_max_len = min(len+1, max_length): eos appended if it fits
        seq = seq + [eos]
    score32 = torch.tensor(best_score, dtype=torch.float32).item()
    return seq[1:], score32
