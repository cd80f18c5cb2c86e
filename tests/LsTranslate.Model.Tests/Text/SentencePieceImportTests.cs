using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Text;

public sealed class SentencePieceImportTests : IDisposable
{
    private readonly TextTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void ImportedModelShiftsPieceIdsPastOurSpecials()
    {
        var model = _files.Write("tiny.model", TinySentencePieceModel.Bytes());
        var outDir = Path.Combine(_files.Dir, "model");
        var tokenizer = SubwordTokenizers.ImportSentencePiece(model, outDir);

        Assert.Equal(4 + 3 + TinySentencePieceModel.NormalPieces.Length, tokenizer.VocabSize);
        int Id(string piece) => 4 + 3 + Array.IndexOf(TinySentencePieceModel.NormalPieces, piece);
        Assert.Equal([Id("▁abc"), Id("▁ab")], tokenizer.Encode("abc ab"));
        Assert.Equal("abc ab", tokenizer.Decode([SpecialTokens.Bos, .. tokenizer.Encode("abc ab"), SpecialTokens.Eos]));

        Assert.True(File.Exists(Path.Combine(outDir, "sentencepiece.model")));
        Assert.Equal(tokenizer.Encode("ab ca"), SubwordTokenizers.Load(outDir).Encode("ab ca"));
    }

    [Fact]
    public void GarbageModelIsAnInputErrorAndNothingIsCopied()
    {
        var garbage = _files.Write("garbage.model", "this is not a protobuf \u0001\u0002\u00ff");
        var outDir = Path.Combine(_files.Dir, "model");
        var error = Assert.Throws<InputError>(() => SubwordTokenizers.ImportSentencePiece(garbage, outDir));
        Assert.StartsWith($"{garbage}: not a SentencePiece model", error.Message);
        Assert.False(File.Exists(Path.Combine(outDir, "sentencepiece.model")));
    }

    [Fact]
    public void MissingModelIsNamed()
    {
        var missing = Path.Combine(_files.Dir, "missing.model");
        var error = Assert.Throws<InputError>(() => SubwordTokenizers.ImportSentencePiece(missing, _files.Dir));
        Assert.Equal($"{missing}: file not found", error.Message);
    }
}
