#!/usr/bin/python3
"""Build tests/Fixtures/Marian/ deterministically.

Run from the repository root:  /usr/bin/python3 scripts/marian-parity/build-fixtures.py
Needs Debian's python3 (torch 1.13, sentencepiece), /work/marian-src (real
OPUS-MT tokenizer files) and corpora/en-de/dev.tsv.gz.  See README.md.
"""
import gzip
import json
import os
import shutil
import tempfile
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402

torch.set_num_threads(1)
# The real tokenizer files (Westron-AI/translation-en-pt: source.spm, target.spm, vocab.json, and its model.safetensors,
# a Git LFS pointer). Default: the copies already committed in tests/Fixtures/Marian, taken before it is rewritten.
SRC = os.environ.get("MARIAN_SRC")
OUT = os.path.join("tests", "Fixtures", "Marian")
N_ENGLISH = 470
N_GEN = 100
MAX_GEN_SRC = 100
MAX_LEN = 48


def wjson(path, obj, indent=2):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def odd_lines():
    words = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
             "sigma tau upsilon phi chi psi omega").split()
    long_line = " ".join(words[i % len(words)] + ("," if i % 17 == 16 else "") for i in range(1000))
    return [
        "",
        "   ",
        "\t",
        "\tTabbed\tline\twith tabs ",
        "Emoji test \U0001F600\U0001F44D\U0001F3FD and \U0001F1F5\U0001F1F9 flags",
        "\u4e2d\u6587\u53e5\u5b50\u6d4b\u8bd5\uff0c\u8fd8\u6709\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3002",
        "\ud55c\uad6d\uc5b4 \ubb38\uc7a5\uc785\ub2c8\ub2e4.",
        "Cafe\u0301 with combining accents: re\u0301sume\u0301 and nai\u0308ve",
        "Non\u00a0breaking\u00a0spaces\u00a0here and a narrow\u202fone",
        "Call 555-0199 or visit https://example.com/path?q=1&r=2#frag before 2024-12-31.",
        "3.14159 2,718 1e-9 0x1F 100% $5.00 \u20ac7,50 12:30",
        ">>fra<< This sentence asks for French.",
        ">>por<< This sentence asks for Portuguese.",
        ">>por<<Glued code without a space.",
        "In the middle >>por<< of a line.",
        ">>por<< starts with a code and ends with another >>fra<<",
        " >>por<< leading space before the code",
        "Text with a literal </s> in the middle.",
        "Unknown <unk> token and a <pad> literal.",
        "</s>",
        "Adjacent</s><unk>tokens",
        "  Leading and trailing spaces  ",
        "Trailing spaces only   ",
        "   Leading spaces only",
        "ALL CAPS SENTENCE, WITH PUNCTUATION!!!",
        "Quotes \u201ccurly\u201d and 'straight' and \u00abguillemets\u00bb \u2014 dashes \u2013 and \u2026",
        "\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \uff43\uff48\uff41\uff52\uff53 \uff11\uff12\uff13",
        "Zero\u200bwidth\u200bspace and soft\u00adhyphen",
        "\u00dcn\u00efc\u00f6d\u00e9 \u00d1and\u00fa Stra\u00dfe \u00c6sir \u00f8re",
        "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430?",
        "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
        "a",
        ".",
        "I don't think it's what you're looking for , is it ?",
        long_line,
    ]


BAD_CHARS = set("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def build_inputs():
    with gzip.open("corpora/en-de/dev.tsv.gz", "rt", encoding="utf-8") as f:
        eng = []
        for ln in f:
            s = ln.rstrip("\n").split("\t")[0]
            if s and not (set(s) & BAD_CHARS):
                eng.append(s)
            if len(eng) == N_ENGLISH:
                break
    assert len(eng) == N_ENGLISH
    lines = eng[:5] + odd_lines() + eng[5:]
    for s in lines:
        assert not (set(s) & BAD_CHARS), repr(s)
    with open(os.path.join(OUT, "inputs.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    return lines


# ---------------------------------------------------------------------------
def special_tokens_map():
    d = {"content": None, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}
    return {k: dict(d, content=v) for k, v in (("eos_token", "</s>"), ("pad_token", "<pad>"),
                                               ("unk_token", "<unk>"))}


def tokenizer_config(eos, unk, pad, separate, clean_up):
    atd = {}
    for i, c in sorted(((eos, "</s>"), (unk, "<unk>"), (pad, "<pad>"))):
        atd[str(i)] = {"content": c, "lstrip": False, "normalized": False, "rstrip": False,
                       "single_word": False, "special": True}
    tc = {"added_tokens_decoder": atd}
    if clean_up is not None:
        tc["clean_up_tokenization_spaces"] = clean_up
    tc.update({"eos_token": "</s>", "model_max_length": 512, "pad_token": "<pad>",
               "separate_vocabs": separate, "source_lang": "en", "sp_model_kwargs": {},
               "target_lang": "pt", "tokenizer_class": "MarianTokenizer", "unk_token": "<unk>"})
    return tc


def model_config(name, vs, vt, eos, pad, act, scale, share, dtype):
    return {
        "_name_or_path": "lstranslate-fixtures/tiny-marian-" + name,
        "activation_dropout": 0.0, "activation_function": act, "architectures": ["MarianMTModel"],
        "attention_dropout": 0.0, "bad_words_ids": [[pad]], "bos_token_id": 0, "classifier_dropout": 0.0,
        "d_model": 8, "decoder_attention_heads": 2, "decoder_ffn_dim": 16, "decoder_layerdrop": 0.0,
        "decoder_layers": 2, "decoder_start_token_id": pad, "decoder_vocab_size": vt, "dropout": 0.1,
        "encoder_attention_heads": 2, "encoder_ffn_dim": 16, "encoder_layerdrop": 0.0, "encoder_layers": 2,
        "eos_token_id": eos, "forced_eos_token_id": eos, "init_std": 0.02, "is_encoder_decoder": True,
        "max_length": MAX_LEN, "max_position_embeddings": 512, "model_type": "marian",
        "normalize_embedding": False, "num_beams": 4, "num_hidden_layers": 2, "pad_token_id": pad,
        "scale_embedding": scale, "share_encoder_decoder_embeddings": share,
        "static_position_embeddings": True, "torch_dtype": dtype, "transformers_version": "4.47.0",
        "use_cache": True, "vocab_size": vs,
    }


def generation_config(eos, pad, length_penalty=None):
    g = {"bad_words_ids": [[pad]], "bos_token_id": 0, "decoder_start_token_id": pad, "eos_token_id": eos,
         "forced_eos_token_id": eos}
    if length_penalty is not None:
        g["length_penalty"] = length_penalty
    g.update({"max_length": MAX_LEN, "num_beams": 4, "pad_token_id": pad, "renormalize_logits": True,
              "transformers_version": "4.47.0"})
    return g


def random_weights(cfg, seed, eos_boost):
    g = torch.Generator().manual_seed(seed)

    def n(*shape, std=1.0, mean=0.0):
        return torch.randn(*shape, generator=g) * std + mean

    d, f = cfg["d_model"], cfg["encoder_ffn_dim"]
    vs, vt = cfg["vocab_size"], cfg["decoder_vocab_size"]
    sd = {}
    if cfg["share_encoder_decoder_embeddings"]:
        e = n(vs, d)
        sd["model.shared.weight"] = e
        sd["model.encoder.embed_tokens.weight"] = e
        sd["model.decoder.embed_tokens.weight"] = e
        dec = e
    else:
        sd["model.encoder.embed_tokens.weight"] = n(vs, d)
        dec = n(vt, d)
        sd["model.decoder.embed_tokens.weight"] = dec
    pos = R.sinusoidal_table(cfg["max_position_embeddings"], d)
    sd["model.encoder.embed_positions.weight"] = pos
    sd["model.decoder.embed_positions.weight"] = pos

    def lin(p, i, o):
        sd[p + ".weight"] = n(o, i, std=0.3)
        sd[p + ".bias"] = n(o, std=0.1)

    def ln(p):
        sd[p + ".weight"] = n(d, std=0.1, mean=1.0)
        sd[p + ".bias"] = n(d, std=0.1)

    for side, nl in (("encoder", cfg["encoder_layers"]), ("decoder", cfg["decoder_layers"])):
        for i in range(nl):
            p = "model.%s.layers.%d" % (side, i)
            for a in (["self_attn"] + (["encoder_attn"] if side == "decoder" else [])):
                for pr in ("k_proj", "v_proj", "q_proj", "out_proj"):
                    lin(p + "." + a + "." + pr, d, d)
                ln(p + "." + a + "_layer_norm")
            lin(p + ".fc1", d, f)
            lin(p + ".fc2", f, d)
            ln(p + ".final_layer_norm")
    bias = torch.zeros(1, vt)
    bias[0, cfg["eos_token_id"]] = eos_boost
    sd["final_logits_bias"] = bias
    sd["lm_head.weight"] = dec
    return sd


def link_tokenizer(mdir, vocab_files):
    for fn in ("source.spm", "target.spm") + tuple(vocab_files):
        os.symlink(os.path.join("..", "spm", fn), os.path.join(mdir, fn))


def write_vocab_files(spm_dir):
    shutil.copyfile(os.path.join(SRC, "source.spm"), os.path.join(spm_dir, "source.spm"))
    shutil.copyfile(os.path.join(SRC, "target.spm"), os.path.join(spm_dir, "target.spm"))
    shutil.copyfile(os.path.join(SRC, "vocab.json"), os.path.join(spm_dir, "vocab.json"))
    # separate vocabularies the way convert_marian_to_pytorch.add_special_tokens_to_vocab
    # builds them from Marian's *.src.vocab.yml / *.trg.vocab.yml: </s>=0, <unk>=1,
    # then the pieces, and "<pad>" appended at max+1.  The target vocabulary keeps
    # only target.spm ids < 30000 so that the sizes differ (and target pieces
    # outside it map to <unk>).
    import sentencepiece
    out = {}
    for side, spm_name, limit in (("src", "source.spm", 32000), ("tgt", "target.spm", 30000)):
        sp = sentencepiece.SentencePieceProcessor()
        sp.Load(os.path.join(SRC, spm_name))
        v = {"</s>": 0, "<unk>": 1}
        for i in range(min(limit, sp.GetPieceSize())):
            if sp.IsControl(i) or sp.IsUnknown(i):
                continue
            v[sp.IdToPiece(i)] = len(v)
        v["<pad>"] = max(v.values()) + 1
        out[side] = v
    wjson(os.path.join(spm_dir, "sep-vocab.json"), out["src"], indent=None)
    wjson(os.path.join(spm_dir, "sep-target_vocab.json"), out["tgt"], indent=None)
    return out


def main():
    global SRC
    if SRC is None:
        SRC = tempfile.mkdtemp()
        for name, committed in (("source.spm", "spm/source.spm"), ("target.spm", "spm/target.spm"),
                                ("vocab.json", "spm/vocab.json"), ("model.safetensors", "lfs-pointer/model.safetensors")):
            shutil.copyfile(os.path.join(OUT, committed), os.path.join(SRC, name))
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "spm"))
    lines = build_inputs()
    sep = write_vocab_files(os.path.join(OUT, "spm"))
    shared_v = json.load(open(os.path.join(SRC, "vocab.json"), encoding="utf-8"))
    V = len(shared_v)
    s_eos, s_unk, s_pad = shared_v["</s>"], shared_v["<unk>"], shared_v["<pad>"]
    vs, vt = len(sep["src"]), len(sep["tgt"])

    models = [
        # name, config, tokenizer_config, gen, weights format, seed, eos boost, vocab links
        ("shared-swish", model_config("shared-swish", V, V, s_eos, s_pad, "swish", True, True, "float32"),
         tokenizer_config(s_eos, s_unk, s_pad, False, True), generation_config(s_eos, s_pad),
         "bin32", 4321, 10.0, ("vocab.json",)),
        ("separate-swish", model_config("separate-swish", vs, vt, 0, vt - 1, "swish", True, False, "float16"),
         tokenizer_config(0, 1, sep["src"]["<pad>"], True, None), generation_config(0, vt - 1, 0.6),
         "st16", 2345, 8.0, None),
        ("shared-relu", model_config("shared-relu", V, V, s_eos, s_pad, "relu", False, True, "float16"),
         tokenizer_config(s_eos, s_unk, s_pad, False, False), generation_config(s_eos, s_pad),
         "st16-noheadpos", 3456, 10.0, ("vocab.json",)),
    ]
    overall = []
    for name, cfg, tc, gen, fmt, seed, boost, vocab_links in models:
        mdir = os.path.join(OUT, name)
        os.makedirs(mdir)
        wjson(os.path.join(mdir, "config.json"), cfg)
        wjson(os.path.join(mdir, "generation_config.json"), gen)
        wjson(os.path.join(mdir, "tokenizer_config.json"), tc)
        wjson(os.path.join(mdir, "special_tokens_map.json"), special_tokens_map())
        if vocab_links:
            link_tokenizer(mdir, vocab_links)
        else:
            link_tokenizer(mdir, ())
            os.symlink(os.path.join("..", "spm", "sep-vocab.json"), os.path.join(mdir, "vocab.json"))
            os.symlink(os.path.join("..", "spm", "sep-target_vocab.json"), os.path.join(mdir, "target_vocab.json"))
        torch.manual_seed(seed)
        sd = random_weights(cfg, seed, boost)
        if fmt == "bin32":
            torch.save(sd, os.path.join(mdir, "pytorch_model.bin"))
        else:
            keep = {}
            for k, v in sd.items():
                if k == "lm_head.weight":
                    continue  # tied to the decoder embeddings; HF drops it on save
                if k == "model.shared.weight" and not cfg["share_encoder_decoder_embeddings"]:
                    continue
                if fmt == "st16-noheadpos":
                    if "embed_positions" in k or k in ("model.encoder.embed_tokens.weight",
                                                       "model.decoder.embed_tokens.weight"):
                        continue  # tied to model.shared.weight / recomputed
                keep[k] = v.to(torch.float16)
            R.save_safetensors(keep, os.path.join(mdir, "model.safetensors"), metadata={"format": "pt"})
        # reference reads the files back exactly as written
        sd2 = R.load_state_dict(mdir)
        model = R.MarianModelRef(json.load(open(os.path.join(mdir, "config.json"))), sd2)
        tok = R.MarianTokenizerRef(mdir)
        gcfg = json.load(open(os.path.join(mdir, "generation_config.json")))
        src_ids = [tok.encode(s) for s in lines]
        tgt_ids = [tok.encode(s, target=True) for s in lines]
        decoded = [tok.decode(t, skip_special_tokens=True) for t in tgt_ids]
        # logits fixture: 4 lines, teacher-forced on the tokenized target
        logit_lines = [0, lines.index(">>por<< This sentence asks for Portuguese."),
                       lines.index("Text with a literal </s> in the middle."), lines.index("")]
        vt_ = model.lm_head.shape[0]
        cols = sorted(set(range(0, vt_, 97)) | {gcfg["eos_token_id"], tok.unk_token_id if tok.unk_token_id < vt_ else 1,
                                                gcfg["pad_token_id"]})
        logits = []
        with torch.no_grad():
            for li in logit_lines:
                dec_in = [gcfg["decoder_start_token_id"]] + tgt_ids[li][:11]
                lg = model.logits(src_ids[li], dec_in)
                logits.append({"line": li, "decoder_input_ids": dec_in, "columns": cols,
                               "values": [[float(lg[t, c]) for c in cols] for t in range(lg.shape[0])],
                               "logsumexp": [float(x) for x in torch.logsumexp(lg, dim=-1)]})
        R.STATS.reset()
        greedy, beam = [], []
        gen_lines = [i for i, s in enumerate(src_ids) if len(s) <= MAX_GEN_SRC][:N_GEN]
        assert lines.index("") in gen_lines
        for i in gen_lines:
            ids, _ = R.generate_ref(model, src_ids[i], gcfg, num_beams=1, label="%s line %d" % (name, i))
            greedy.append({"line": i, "ids": ids, "text": tok.decode(ids)})
            ids, score = R.generate_ref(model, src_ids[i], gcfg, label="%s line %d" % (name, i))
            beam.append({"line": i, "ids": ids, "score": score, "text": tok.decode(ids)})
        exp = {"reference": R.REFERENCE, "source_ids": src_ids, "target_ids": tgt_ids,
               "decoded_target": decoded, "logits": logits, "greedy": greedy, "beam": beam}
        with open(os.path.join(mdir, "expected.json"), "w", encoding="utf-8", newline="\n") as f:
            json.dump(exp, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        glen = [len(g["ids"]) for g in greedy]
        blen = [len(b["ids"]) for b in beam]
        print("%s: wrote %s; greedy len min/max %d/%d (%d of %d hit max_length), beam len min/max %d/%d (%d hit); "
              "min greedy top-1/top-2 margin %.6g (%s); min beam decision margin %.6g (%s)" % (
                  name, mdir, min(glen), max(glen), sum(1 for x in glen if x >= MAX_LEN - 1), len(glen), min(blen),
                  max(blen), sum(1 for x in blen if x >= MAX_LEN - 1), R.STATS.greedy_min, R.STATS.greedy_where,
                  R.STATS.beam_min, R.STATS.beam_where))
        overall.append((min(R.STATS.greedy_min, R.STATS.beam_min), name))
    # error-case directories
    base = os.path.join(OUT, "shared-swish")
    d = os.path.join(OUT, "lfs-pointer")
    os.makedirs(d)
    shutil.copyfile(os.path.join(base, "config.json"), os.path.join(d, "config.json"))
    shutil.copyfile(os.path.join(SRC, "model.safetensors"), os.path.join(d, "model.safetensors"))
    d = os.path.join(OUT, "no-weights")
    os.makedirs(d)
    for fn in ("config.json", "generation_config.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copyfile(os.path.join(base, fn), os.path.join(d, fn))
    link_tokenizer(d, ("vocab.json",))
    d = os.path.join(OUT, "other-type")
    os.makedirs(d)
    cfg = json.load(open(os.path.join(base, "config.json")))
    cfg["model_type"] = "bart"
    cfg["architectures"] = ["BartForConditionalGeneration"]
    wjson(os.path.join(d, "config.json"), cfg)
    print("inputs: %d lines -> %s" % (len(lines), os.path.join(OUT, "inputs.txt")))
    print("minimum margin over all models: %.6g (%s)" % min(overall))


if __name__ == "__main__":
    main()
