using TorchSharp;

namespace LsTranslate.Model.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void MatrixProductRunsInsideDotnetTest()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var product = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }
}
