using NetGen.Classical;
using Xunit;

namespace NetGen.Tests.Classical;

public sealed class CascadeCorrelationTests
{
    private static readonly double[,] s_inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };

    [Fact]
    public void Cascade_correlation_solves_XOR_by_growing_hidden_units()
    {
        CascadeCorrelationResult result = CascadeCorrelation.Train(s_inputs, new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
        Assert.True(result.Solved);
        Assert.True(result.Stages[0].Accuracy < 1, "without hidden units the outputs cannot represent XOR");
        Assert.Equal(0, result.Stages[0].HiddenUnits);
        Assert.True(result.Network.HiddenUnits >= 1);
        Assert.Equal(result.Network.HiddenUnits, result.Stages[^1].HiddenUnits);
        Assert.True(result.Stages[1].Correlation > 0);
        double[] expected = [0, 1, 1, 0];
        for (int i = 0; i < 4; i++)
        {
            double output = result.Network.Predict([s_inputs[i, 0], s_inputs[i, 1]])[0];
            Assert.True(output > 0.5 == expected[i] > 0.5, $"XOR({s_inputs[i, 0]}, {s_inputs[i, 1]}) gave {output}");
        }
    }

    [Fact]
    public void Installed_units_stay_frozen_while_the_network_keeps_growing()
    {
        // 3-bit parity needs more than one unit from this start; unit 0 must not change when unit 1 is added.
        var x = new double[8, 3];
        var y = new double[8, 1];
        for (int i = 0; i < 8; i++)
        {
            (x[i, 0], x[i, 1], x[i, 2]) = (i & 1, (i >> 1) & 1, (i >> 2) & 1);
            y[i, 0] = ((i & 1) ^ ((i >> 1) & 1) ^ ((i >> 2) & 1)) == 1 ? 1 : 0;
        }
        CascadeCorrelationResult one = CascadeCorrelation.Train(x, y, new CascadeCorrelationOptions(MaxHiddenUnits: 1));
        CascadeCorrelationResult more = CascadeCorrelation.Train(x, y, new CascadeCorrelationOptions(MaxHiddenUnits: 6));
        Assert.True(more.Solved);
        Assert.True(more.Network.HiddenUnits >= 1);
        Assert.Equal(one.Network.HiddenWeights(0).ToArray(), more.Network.HiddenWeights(0).ToArray());
        for (int k = 1; k < more.Network.HiddenUnits; k++)
        {
            Assert.Equal(3 + 1 + k, more.Network.HiddenWeights(k).Length);
        }
        Assert.Equal(0.5, one.Stages[0].Accuracy);
    }
}
