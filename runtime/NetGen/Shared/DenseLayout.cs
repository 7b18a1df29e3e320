namespace NetGen;

/// <summary>
/// The in-memory order of a dense weight matrix W [outputs, inputs], shared by the generated kernels and
/// <see cref="ParameterTensor"/>. The outputs are cut into panels of <see cref="PanelWidth"/> consecutive outputs; each
/// panel is stored as [inputs][panel width], the panels one after the other, and the last panel holds the
/// <c>outputs % PanelWidth</c> remaining outputs the same way (no padding). So the forward GEMM reads, for one input,
/// the weights of 32 outputs as one contiguous run, and a panel's slice over a block of inputs is one contiguous
/// block that stays in L1 while every row of the batch is multiplied by it. A layer with at most 32 outputs is plain
/// input-major ([inputs, outputs]).
/// </summary>
internal static class DenseLayout
{
    /// <summary>Outputs per panel: two Vector512 or four Vector256 of floats.</summary>
    public const int PanelWidth = 32;

    /// <summary>Index in the stored weights of W[output, input].</summary>
    public static int StoredIndex(int output, int input, int outputs, int inputs, int panelWidth = PanelWidth)
    {
        int panel = output / panelWidth;
        int panelStart = panel * panelWidth;
        int width = outputs - panelStart < panelWidth ? outputs - panelStart : panelWidth;
        return panelStart * inputs + input * width + (output - panelStart);
    }
}
