using System.Text.Json;
using System.Text.Json.Serialization;

namespace LsTranslate.Decode.Evaluation;

/// <summary>A confidence interval [Low, High]; JSON writes it as the pair [low, high], the way results files name a `*_ci`.</summary>
[JsonConverter(typeof(IntervalJson))]
public readonly record struct Interval(double Low, double High)
{
    public bool Contains(double value) => Low <= value && value <= High;

    public sealed class IntervalJson : JsonConverter<Interval>
    {
        public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var pair = JsonSerializer.Deserialize<double[]>(ref reader, options);
            return pair is [var low, var high] ? new Interval(low, high) : throw new JsonException("an interval is a pair [low, high]");
        }

        public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new[] { value.Low, value.High }, options);
    }
}
