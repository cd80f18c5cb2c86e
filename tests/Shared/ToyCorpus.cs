namespace LsTranslate.Tests;

/// <summary>A word-for-word EN-DE toy corpus (TSV) that a tiny model learns in a few updates, written once per path.</summary>
static class ToyCorpus
{
    static readonly string[] English = ["house", "cat", "green", "run", "file", "open", "the", "window", "small", "record"];
    static readonly string[] German = ["Haus", "Katze", "grün", "laufen", "Datei", "öffnen", "das", "Fenster", "klein", "Eintrag"];

    /// <summary>Writes <paramref name="pairs"/> pairs of 2 to <paramref name="maxWords"/> words from <paramref name="seed"/> (unless the file exists) and returns the path.</summary>
    public static string Write(string path, int pairs, int seed, int maxWords = 5)
    {
        if (File.Exists(path)) return path;
        var random = new Random(seed);
        File.WriteAllLines(path, Enumerable.Range(0, pairs).Select(_ =>
        {
            var picks = Enumerable.Range(0, random.Next(2, maxWords + 1)).Select(_ => random.Next(English.Length)).ToArray();
            return string.Join(' ', picks.Select(i => English[i])) + "\t" + string.Join(' ', picks.Select(i => German[i]));
        }));
        return path;
    }
}
