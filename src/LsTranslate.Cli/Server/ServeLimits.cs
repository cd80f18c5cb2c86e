namespace LsTranslate.Cli.Server;

/// <summary>What one request may ask for, and how much waiting the server accepts; each is a `serve` option.</summary>
public sealed record ServeLimits
{
    public int MaxLines { get; init; } = 64;
    public int MaxBytes { get; init; } = 256 * 1024;
    public int MaxBeam { get; init; } = 16;
    public int MaxLenB { get; init; } = 512;
    /// <summary>Requests waiting for one model beyond this are answered 503 with Retry-After.</summary>
    public int MaxQueue { get; init; } = 32;
    /// <summary>A request not answered within this long gets 503.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Lines translated together, from all the requests that share the search options; 1: every request alone.</summary>
    public int MaxBatch { get; init; } = 64;
    /// <summary>How long the first request of a batch waits for others to join it.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(10);
}
