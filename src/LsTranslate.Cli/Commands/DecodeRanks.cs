using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using LsTranslate.Decode.Search;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.IO;

namespace LsTranslate.Cli.Commands;

/// <summary>
/// `mpiexec -np N lstranslate decode`: rank 0 alone reads the input and writes the output; the ranks share the searching.
/// Chunk by chunk (the chunks one process reads), rank 0 broadcasts the chunk's lines, every rank forms the same
/// <see cref="Translator.Plan"/> of it, rank r searches batches r, r+N, r+2N, … of that plan, and rank 0 gathers the
/// others' lines into the chunk's results, which it yields in input order. Every sentence is searched in the batch one
/// process would put it in, at the same --threads, so the output is byte for byte one process's. A null chunk ends the
/// run. Rank 0 also counts every chunk's cropped lines (it plans every chunk), so its report is one process's too.
/// Rank 0 runs <see cref="Translator.Translate"/>'s own loop and broadcasts a chunk once it has planned it, so the other
/// ranks tokenize theirs after rank 0's: tens of milliseconds per chunk against seconds of search.
/// </summary>
/// <remarks>
/// What travels is JSON in our one style (<see cref="Json.Line"/>): the chunk's lines as a string array, each rank's
/// results as <see cref="TranslatedLine"/>s. System.Text.Json writes a double as its shortest round-trip form and reads it
/// back to the same bits (and Json.Line allows ±∞ scores), so scores and piece probabilities print exactly as one
/// process prints them; plain text would need its own escaping of n-best lists and pieces. A few kB per batch against
/// seconds of search: the encoding's cost does not show.
/// </remarks>
static class DecodeRanks
{
    /// <summary>On rank 0: the translations of <paramref name="lines"/> in input order, searched by all ranks.</summary>
    public static IEnumerable<TranslatedLine> Translate(Translator translator, IEnumerable<string> lines, Communicator ranks)
    {
        foreach (var line in translator.Translate(lines, (chunk, plan) =>
                 {
                     ranks.Broadcast<string[]?>(chunk);
                     SearchShare(translator, plan, ranks);
                 }))
            yield return line;
        ranks.Broadcast<string[]?>(null);
    }

    /// <summary>On every other rank: searches its share of each chunk rank 0 sends until it sends none.</summary>
    public static void Serve(Translator translator, Communicator ranks)
    {
        long first = 0;
        while (ranks.Broadcast<string[]?>(null) is { } chunk)
        {
            SearchShare(translator, translator.Plan(chunk, first), ranks);
            first += chunk.Length;
        }
    }

    /// <summary>Searches this rank's batches of the plan; on rank 0 the others' lines are then filled in.</summary>
    static void SearchShare(Translator translator, ChunkPlan plan, Communicator ranks)
    {
        var mine = new List<TranslatedLine>();
        for (int batch = ranks.Rank; batch < plan.Batches.Count; batch += ranks.Size) mine.AddRange(translator.Search(plan, batch));
        var gathered = ranks.Gather(ranks.IsRoot ? [] : JsonSerializer.SerializeToUtf8Bytes(mine, Json.Line));
        foreach (var bytes in gathered.Skip(1))
            foreach (var line in JsonSerializer.Deserialize<List<TranslatedLine>>(bytes, Json.Line)!)
                plan.Results[line.Index - plan.First] = line;
    }

    /// <summary>
    /// Rank 0's stdin, read into memory by a thread of its own from now on. MPICH's launcher forwards stdin to rank 0
    /// without flow control: when a write into rank 0's pipe does not fit, it ends the whole run ("process reading stdin
    /// too slowly; can't keep up"), and a decoding rank reads a chunk only when the last one is done. So the pipe is
    /// widened (to /proc/sys/fs/pipe-max-size, 1 MiB by default) and then kept empty; the lines wait here instead, and
    /// are still translated chunk by chunk as they come. That carries small inputs only: a few MB arriving at pipe speed
    /// outrun any reader (measured: `mpiexec -np 2 wc -c`, and a reader that widens its pipe and does nothing else, both
    /// end that way on 4 MB), which no program under the launcher can change. Large input comes by --input (a file, a
    /// FIFO or &lt;(command)), which rank 0 reads at its own pace, chunk by chunk, without holding it.
    /// </summary>
    public static Stream DrainedStdin()
    {
        TryWidenPipe(0);
        return new DrainedStream(Console.OpenStandardInput());
    }

    static void TryWidenPipe(int fd)
    {
        try
        {
            if (int.TryParse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), out int max)) fcntl(fd, SetPipeSize, max);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            // Not Linux, or stdin no pipe: nothing to widen.
        }
    }

    const int SetPipeSize = 1031; // F_SETPIPE_SZ; fails harmlessly (-1) where fd 0 is no pipe

    [DllImport("libc", SetLastError = true)]
    static extern int fcntl(int fd, int command, int argument);

    /// <summary>A stream whose bytes a background thread reads ahead from another, without limit.</summary>
    sealed class DrainedStream : LsTranslate.Model.IO.ReadOnlyStream
    {
        readonly BlockingCollection<byte[]> blocks = [];
        Exception? failed;
        byte[] current = [];
        int offset;

        public DrainedStream(Stream source)
        {
            new Thread(() =>
            {
                try
                {
                    var buffer = new byte[1 << 16];
                    for (int read; (read = source.Read(buffer, 0, buffer.Length)) > 0;) blocks.Add(buffer[..read]);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException) { failed = e; }
                finally { blocks.CompleteAdding(); }
            }) { IsBackground = true, Name = "stdin" }.Start();
        }

        public override int Read(byte[] buffer, int start, int count)
        {
            while (offset == current.Length)
            {
                if (!blocks.TryTake(out var next, Timeout.Infinite)) return failed is null ? 0 : throw new IOException(failed.Message, failed);
                (current, offset) = (next, 0);
            }
            int n = Math.Min(count, current.Length - offset);
            Array.Copy(current, offset, buffer, start, n);
            offset += n;
            return n;
        }
    }
}
