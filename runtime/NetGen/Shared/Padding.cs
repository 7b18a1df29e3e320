namespace NetGen;

/// <summary>How a convolution pads its input, when not given as a number.</summary>
public enum Padding
{
    /// <summary>Use the numeric <c>Padding</c> argument (0 unless set).</summary>
    Explicit = 0,
    /// <summary>No padding: only windows that fit entirely inside the input.</summary>
    Valid = 1,
    /// <summary>Output size equals input size: p = d(k − 1)/2; needs stride 1 and an odd effective kernel.</summary>
    Same = 2,
    /// <summary>Every window that overlaps the input by at least one pixel: p = d(k − 1).</summary>
    Full = 3,
}
