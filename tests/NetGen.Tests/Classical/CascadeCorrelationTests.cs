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
        // 5-bit parity needs more than one unit from this start; unit 0 must not change when later units are added.
        const int bits = 5, count = 1 << bits;
        var x = new double[count, bits];
        var y = new double[count, 1];
        for (int i = 0; i < count; i++)
        {
            int parity = 0;
            for (int b = 0; b < bits; b++)
            {
                x[i, b] = (i >> b) & 1;
                parity ^= (i >> b) & 1;
            }
            y[i, 0] = parity;
        }
        CascadeCorrelationResult one = CascadeCorrelation.Train(x, y, new CascadeCorrelationOptions(MaxHiddenUnits: 1));
        CascadeCorrelationResult more = CascadeCorrelation.Train(x, y, new CascadeCorrelationOptions(MaxHiddenUnits: 12));
        Assert.True(more.Solved);
        Assert.True(more.Network.HiddenUnits >= 2, $"grew {more.Network.HiddenUnits} unit(s); the freeze check needs two");
        Assert.Equal(one.Network.HiddenWeights(0).ToArray(), more.Network.HiddenWeights(0).ToArray());
        for (int k = 1; k < more.Network.HiddenUnits; k++)
        {
            Assert.Equal(bits + 1 + k, more.Network.HiddenWeights(k).Length);
        }
        Assert.Equal(0.5, one.Stages[0].Accuracy);
    }
}
