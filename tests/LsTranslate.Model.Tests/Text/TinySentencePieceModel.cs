using System.Text;

namespace LsTranslate.Model.Tests.Text;

/// <summary>
/// Writes a tiny SentencePiece BPE model by hand (protobuf wire format of sentencepiece_model.proto:
/// ModelProto.pieces = 1 {piece = 1, score = 2, type = 3}, trainer_spec = 2 {model_type = 3},
/// normalizer_spec = 3 {name = 1, add_dummy_prefix = 3, remove_extra_whitespaces = 4, escape_whitespaces = 5}),
/// because no SentencePiece trainer is available to the tests.
/// </summary>
internal static class TinySentencePieceModel
{
    private const int Normal = 1, Unknown = 2, Control = 3, Bpe = 2;

    /// <summary>Pieces in id order: 0 &lt;unk&gt;, 1 &lt;s&gt;, 2 &lt;/s&gt;, then these.</summary>
    public static readonly string[] NormalPieces = ["▁", "a", "b", "c", "▁a", "ab", "▁ab", "▁abc"];

    public static byte[] Bytes()
    {
        var model = new MemoryStream();
        Piece(model, "<unk>", 0, Unknown);
        Piece(model, "<s>", 0, Control);
        Piece(model, "</s>", 0, Control);
        for (int i = 0; i < NormalPieces.Length; i++)
            Piece(model, NormalPieces[i], -i, Normal);
        Message(model, 2, trainer => Varint(trainer, 3, Bpe));
        Message(model, 3, normalizer =>
        {
            Text(normalizer, 1, "identity");
            Varint(normalizer, 3, 1);
            Varint(normalizer, 4, 0);
            Varint(normalizer, 5, 1);
        });
        return model.ToArray();
    }

    private static void Piece(Stream model, string piece, float score, int type) =>
        Message(model, 1, message =>
        {
            Text(message, 1, piece);
            Tag(message, 2, wireType: 5);
            message.Write(BitConverter.GetBytes(score));
            Varint(message, 3, type);
        });

    private static void Message(Stream stream, int field, Action<Stream> write)
    {
        var body = new MemoryStream();
        write(body);
        Tag(stream, field, wireType: 2);
        RawVarint(stream, (ulong)body.Length);
        body.WriteTo(stream);
    }

    private static void Text(Stream stream, int field, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Tag(stream, field, wireType: 2);
        RawVarint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void Varint(Stream stream, int field, long value)
    {
        Tag(stream, field, wireType: 0);
        RawVarint(stream, (ulong)value);
    }

    private static void Tag(Stream stream, int field, int wireType) => RawVarint(stream, (ulong)(field << 3 | wireType));

    private static void RawVarint(Stream stream, ulong value)
    {
        for (; value >= 0x80; value >>= 7)
            stream.WriteByte((byte)(value | 0x80));
        stream.WriteByte((byte)value);
    }
}
