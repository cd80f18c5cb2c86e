// Our fp32 teacher-forced logits on the first N pairs of a TSV, for check.py to reproduce in PyTorch from the export:
//   ExportCheck MODEL_DIR CHECKPOINT PAIRS.tsv N OUT.json
// OUT.json: per sentence the source ids, the target input ids (BOS + target) and the logits [T][V], as Forward gives them.
using System.Text.Json;
using LsTranslate.Model.Training;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

if (args.Length != 5) throw new ArgumentException("usage: MODEL_DIR CHECKPOINT PAIRS.tsv N OUT.json");
using var loaded = new ModelDirectory(args[0]).Load(args[1]);
var pairs = ParallelCorpus.Read(CorpusSource.FromTsv(args[2])).Take(int.Parse(args[3])).ToList();
var sentences = new List<object>();
using (no_grad())
    foreach (var pair in pairs)
    {
        using var scope = NewDisposeScope();
        var source = loaded.Tokenizer.Encode(pair.Source).Select(i => (long)i).ToArray();
        long[] targetIn = [SpecialTokens.Bos, .. loaded.Tokenizer.Encode(pair.Target).Select(i => (long)i)];
        var logits = loaded.Model.Forward(tensor(source).unsqueeze(0), tensor(targetIn).unsqueeze(0)).squeeze(0);
        var values = logits.data<float>().ToArray();
        int vocab = (int)logits.shape[1];
        sentences.Add(new { source, target_in = targetIn, logits = Enumerable.Range(0, targetIn.Length).Select(t => values.AsSpan(t * vocab, vocab).ToArray()) });
    }
File.WriteAllText(args[4], JsonSerializer.Serialize(new { checkpoint = args[1], sentences }));
