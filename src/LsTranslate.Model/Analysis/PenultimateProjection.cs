using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// The paper's Figure 1 view: the plane through three class templates (last-layer weight rows) in
/// penultimate space, with an orthonormal basis (Gram–Schmidt on t1 − t0, t2 − t0) and the first
/// template as origin. Activations are projected onto that plane as 2-D coordinates.
/// </summary>
public sealed class PenultimateProjection : IDisposable
{
    readonly Tensor origin; // [D]
    readonly Tensor basis;  // [2,D], orthonormal rows

    /// <param name="templates">[3,D]: the three chosen classes' templates, not collinear.</param>
    public PenultimateProjection(Tensor templates)
    {
        if (templates.dim() != 2 || templates.shape[0] != 3) throw new ArgumentException("need exactly three templates [3,D]");
        using var scope = NewDisposeScope();
        var t = templates.detach().to(float64).cpu();
        var first = t[1] - t[0];
        var second = t[2] - t[0];
        var e1 = first / first.norm();
        var orthogonal = second - e1 * second.dot(e1);
        double length = orthogonal.norm().item<double>();
        if (length < 1e-9 * second.norm().item<double>()) throw new ArgumentException("the three templates are collinear: they span no plane");
        var e2 = orthogonal / length;
        origin = t[0].MoveToOuterDisposeScope();
        basis = stack([e1, e2]).MoveToOuterDisposeScope();
    }

    /// <summary>Coordinates [N,2] (float64) of activations [N,D] in the plane's basis.</summary>
    public Tensor Project(Tensor activations)
    {
        using var scope = NewDisposeScope();
        return (activations.detach().to(float64).cpu() - origin).matmul(basis.t()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cluster tightness in the projection: mean distance of points to their class centroid divided by the
    /// mean distance between class centroids. Smaller means tighter, better separated clusters.
    /// </summary>
    public static double Tightness(Tensor points, Tensor classes)
    {
        using var scope = NewDisposeScope();
        var p = points.to(float64);
        var ids = classes.unique().Item1;
        var centroids = stack(Enumerable.Range(0, (int)ids.shape[0])
            .Select(i => p[classes.eq(ids[i])].mean([0L])).ToArray());
        var own = centroids.index_select(0, searchsorted(ids, classes));
        double spread = (p - own).norm(1).mean().item<double>();
        long k = centroids.shape[0];
        if (k < 2) throw new ArgumentException("tightness needs at least two classes");
        double between = cdist(centroids, centroids).sum().item<double>() / (k * (k - 1));
        return spread / between;
    }

    public void Dispose()
    {
        origin.Dispose();
        basis.Dispose();
    }
}
