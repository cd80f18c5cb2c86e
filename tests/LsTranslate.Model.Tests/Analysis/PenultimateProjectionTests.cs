using LsTranslate.Model.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Analysis;

public class PenultimateProjectionTests
{
    [Fact]
    public void PointsInThePlaneMapToTheirExactCoordinates()
    {
        // Templates in 5-D: origin t0, then t0 + 3·u and t0 + 2·u + 4·v with u, v orthonormal.
        var u = new[] { 0.6, 0.8, 0, 0, 0 };
        var v = new[] { 0, 0, 0, 1.0, 0 };
        var t0 = new[] { 1.0, -2, 0.5, 3, 7 };
        double[] At(double a, double b) => t0.Select((x, i) => x + a * u[i] + b * v[i]).ToArray();
        using var templates = tensor(At(0, 0).Concat(At(3, 0)).Concat(At(2, 4)).ToArray()).reshape(3, 5);
        using var projection = new PenultimateProjection(templates);

        using var points = tensor(At(-1.5, 2).Concat(At(10, -3)).ToArray()).reshape(2, 5);
        using var coordinates = projection.Project(points);
        Assert.True(coordinates.allclose(tensor(new[,] { { -1.5, 2 }, { 10, -3 } }), atol: 1e-12));

        // Moving off the plane along its normal does not change the projection.
        using var offPlane = points + tensor(new double[] { 0, 0, 5, 0, 0 });
        using var projected = projection.Project(offPlane);
        Assert.True(projected.allclose(coordinates, atol: 1e-12));
    }

    [Fact]
    public void CollinearTemplatesAreRejected()
    {
        using var templates = tensor(new double[,] { { 0, 0 }, { 1, 1 }, { 2, 2 } });
        Assert.Throws<ArgumentException>(() => new PenultimateProjection(templates));
    }

    [Fact]
    public void TightnessIsSpreadOverCentroidDistance()
    {
        // Two classes, centroids (0,0) and (4,0) at distance 4; every point 1 from its centroid → 1/4.
        using var points = tensor(new double[,] { { 1, 0 }, { -1, 0 }, { 4, 1 }, { 4, -1 } });
        using var classes = tensor(new long[] { 2, 2, 7, 7 });
        Assert.Equal(0.25, PenultimateProjection.Tightness(points, classes), 12);
    }
}
