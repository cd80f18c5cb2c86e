using LsTranslate.Model.IO;
namespace LsTranslate.Model.Tokenizers;

/// <summary>Learning, importing and loading the tokenizer kept in a model directory.</summary>
public static class SubwordTokenizers
{
    /// <summary>
    /// Learns a joint byte-level BPE of at most <paramref name="vocabSize"/> tokens (fewer when no pair
    /// occurs twice any more), writes vocab.json and merges.txt into <paramref name="outDir"/> and loads it.
    /// </summary>
    public static ISubwordTokenizer LearnBpe(IEnumerable<string> texts, int vocabSize, string outDir)
    {
        BpeModelFiles.Write(BpeLearner.Learn(texts, vocabSize), outDir);
        return Load(outDir);
    }

    /// <summary>Copies a SentencePiece .model into <paramref name="outDir"/> and loads it (ids shifted, see <see cref="SentencePieceSubwordTokenizer"/>).</summary>
    public static ISubwordTokenizer ImportSentencePiece(string spmModelPath, string outDir)
    {
        if (!File.Exists(spmModelPath))
            throw InputError.At(spmModelPath, 0, "file not found");
        var tokenizer = new SentencePieceSubwordTokenizer(spmModelPath); // fail before copying a bad file
        AtomicFile.CreateDirectory(outDir);
        AtomicFile.Copy(spmModelPath, Path.Combine(outDir, SentencePieceSubwordTokenizer.ModelFile));
        return tokenizer;
    }

    /// <summary>The files a tokenizer may be stored in inside a model directory (BPE or SentencePiece).</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        new[] { BpeModelFiles.VocabFile, BpeModelFiles.MergesFile, SentencePieceSubwordTokenizer.ModelFile }.Concat(Marian.MarianTokenizer.FileNames).Distinct().ToArray();

    /// <summary>The paths of the tokenizer files <paramref name="dir"/> holds (of <see cref="FileNames"/>).</summary>
    public static IReadOnlyList<string> FilesIn(string dir) => FileNames.Select(name => Path.Combine(dir, name)).Where(File.Exists).ToList();

    /// <summary>Whether two model directories hold the same tokenizer, byte for byte (what an ensemble needs).</summary>
    public static bool SameIn(string modelDir, string otherDir) => FileNames.All(name =>
    {
        string a = Path.Combine(modelDir, name), b = Path.Combine(otherDir, name);
        return File.Exists(a) == File.Exists(b) && (!File.Exists(a) || File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)));
    });

    public static ISubwordTokenizer Load(string modelDir)
    {
        if (BpeModelFiles.ArePresentIn(modelDir))
            return new ByteLevelBpeTokenizer(modelDir);
        if (Marian.MarianTokenizer.IsIn(modelDir))
            return new Marian.MarianTokenizer(modelDir);
        var spm = Path.Combine(modelDir, SentencePieceSubwordTokenizer.ModelFile);
        if (File.Exists(spm))
            return new SentencePieceSubwordTokenizer(spm);
        throw InputError.At(modelDir, 0,
            $"no tokenizer here: expected {BpeModelFiles.VocabFile} + {BpeModelFiles.MergesFile} (BPE), {SentencePieceSubwordTokenizer.ModelFile}, or Marian's {Marian.MarianTokenizer.SourceModelFile} + {Marian.MarianTokenizer.VocabFile}");
    }
}
