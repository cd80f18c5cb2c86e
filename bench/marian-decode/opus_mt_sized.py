"""A random-weight Hugging Face MarianMT directory of OPUS-MT's size (d 512, ffn 2048, 8 heads, 6+6 layers, swish,
shared 54,776-piece vocabulary from tests/Fixtures/Marian/spm), initialised as transformers does (normal, std 0.02):
what `bench/marian-decode/run.sh` decodes to time an OPUS-MT-sized model. Usage: opus_mt_sized.py OUT_DIR"""
import importlib.util
import json
import os
import shutil
import sys

import torch

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("fixtures", os.path.join(root, "scripts", "marian-parity", "build-fixtures.py"))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

out = sys.argv[1]
spm = os.path.join(root, "tests", "Fixtures", "Marian", "spm")
vocab = json.load(open(os.path.join(spm, "vocab.json"), encoding="utf-8"))
eos, unk, pad = vocab["</s>"], vocab["<unk>"], vocab["<pad>"]
os.makedirs(out, exist_ok=True)
config = fixtures.model_config("opus-mt-sized", len(vocab), len(vocab), eos, pad, "swish", True, True, "float32")
config.update({"d_model": 512, "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048, "encoder_attention_heads": 8,
               "decoder_attention_heads": 8, "encoder_layers": 6, "decoder_layers": 6, "num_hidden_layers": 6, "max_length": 512})
generation = fixtures.generation_config(eos, pad)
generation["max_length"] = 512
torch.manual_seed(1)
d, f, v = 512, 2048, len(vocab)
weights = {"model.shared.weight": torch.randn(v, d) * 0.02, "final_logits_bias": torch.zeros(1, v)}
for side in ("encoder", "decoder"):
    for i in range(6):
        prefix = "model.%s.layers.%d." % (side, i)
        for attention in ["self_attn"] + (["encoder_attn"] if side == "decoder" else []):
            for projection in ("q_proj", "k_proj", "v_proj", "out_proj"):
                weights[prefix + attention + "." + projection + ".weight"] = torch.randn(d, d) * 0.02
                weights[prefix + attention + "." + projection + ".bias"] = torch.zeros(d)
            weights[prefix + attention + "_layer_norm.weight"] = torch.ones(d)
            weights[prefix + attention + "_layer_norm.bias"] = torch.zeros(d)
        weights[prefix + "fc1.weight"], weights[prefix + "fc1.bias"] = torch.randn(f, d) * 0.02, torch.zeros(f)
        weights[prefix + "fc2.weight"], weights[prefix + "fc2.bias"] = torch.randn(d, f) * 0.02, torch.zeros(d)
        weights[prefix + "final_layer_norm.weight"], weights[prefix + "final_layer_norm.bias"] = torch.ones(d), torch.zeros(d)
torch.save(weights, os.path.join(out, "pytorch_model.bin"))
for name, value in (("config.json", config), ("generation_config.json", generation),
                    ("tokenizer_config.json", fixtures.tokenizer_config(eos, unk, pad, False, None))):
    with open(os.path.join(out, name), "w", encoding="utf-8") as file:
        json.dump(value, file, indent=2)
for name in ("source.spm", "target.spm", "vocab.json"):
    shutil.copyfile(os.path.join(spm, name), os.path.join(out, name))
print(sum(t.numel() for t in weights.values()))
