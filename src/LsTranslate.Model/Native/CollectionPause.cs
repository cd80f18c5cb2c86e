using System.Runtime;

namespace LsTranslate.Model.Native;

/// <summary>
/// Keeps the .NET garbage collector from starting while a training update runs in libtorch.
/// TorchSharp 0.107 passes scalars to libtorch through temporary Scalar objects (every <c>x + y</c> carries an
/// alpha of 1, every <c>mul_(0.5)</c> its factor) that it never disposes: once the native call has their handle
/// they are garbage, and a collection that another thread (the finalizer's, a background collection) starts while
/// the main thread is inside libtorch can finalize one mid-call. libtorch then reads a freed scalar and the
/// process dies ("Expected false to be true" from c10's Scalar.h; seen once in ~1,500 updates of two pilot runs).
/// Inside this scope the runtime promises no collection for the first <see cref="Budget"/> bytes allocated, so the
/// temporaries of one update are collected between updates, when nothing native uses them. Should an update ever
/// allocate more, a collection happens as before and the scope ends quietly.
/// </summary>
public sealed class CollectionPause : IDisposable
{
    /// <summary>Managed bytes an update may allocate without a collection (one update allocates a few MB of wrappers).</summary>
    public const long Budget = 64L << 20;

    readonly bool started;

    CollectionPause(bool started) => this.started = started;

    public static CollectionPause Begin()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new CollectionPause(false);
        try
        {
            return new CollectionPause(GC.TryStartNoGCRegion(Budget));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return new CollectionPause(false);
        }
    }

    public void Dispose()
    {
        if (!started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The budget ran out and a collection already ended the region.
        }
    }
}
