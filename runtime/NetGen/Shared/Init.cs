namespace NetGen;

/// <summary>How a layer's weights are initialized. Fan-in J is the number of inputs of one unit, fan-out I the number of units.</summary>
public enum Init
{
    /// <summary>He for ReLU and Leaky ReLU, LeCun normal for SELU, Glorot uniform otherwise.</summary>
    Default = 0,
    /// <summary>All weights equal to <c>InitScale</c> (0 unless set). Symmetric: hidden units stay identical.</summary>
    Constant = 1,
    /// <summary>All weights zero.</summary>
    Zeros = 2,
    /// <summary>U(−s, s) with s = <c>InitScale</c> (0.01 unless set).</summary>
    Uniform = 3,
    /// <summary>N(0, s²) with s = <c>InitScale</c> (0.01 unless set).</summary>
    Normal = 4,
    /// <summary>LeCun normal N(0, 1/J).</summary>
    LeCunNormal = 5,
    /// <summary>LeCun uniform U(±√(3/J)).</summary>
    LeCunUniform = 6,
    /// <summary>Glorot (Xavier) normal N(0, 2/(I + J)).</summary>
    GlorotNormal = 7,
    /// <summary>Glorot (Xavier) uniform U(±√(6/(I + J))).</summary>
    GlorotUniform = 8,
    /// <summary>He (Kaiming) normal N(0, 2/J).</summary>
    HeNormal = 9,
    /// <summary>He (Kaiming) uniform U(±√(6/J)).</summary>
    HeUniform = 10,
}
