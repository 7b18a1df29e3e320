namespace NetGen;

/// <summary>Initialization rules shared by the generator (which prints the resolved choice) and the runtime.</summary>
internal static class InitRules
{
    /// <summary>The initializer <see cref="Init.Default"/> stands for: He for rectifiers, LeCun normal for SELU
    /// (self-normalizing nets need it), Glorot uniform for everything else.</summary>
    public static Init Resolve(Init init, Activation activation) => init != Init.Default ? init : activation switch
    {
        Activation.ReLU or Activation.LeakyReLU => Init.HeNormal,
        Activation.SELU => Init.LeCunNormal,
        _ => Init.GlorotUniform,
    };

    /// <summary>The scale used by <see cref="Init.Constant"/>, <see cref="Init.Uniform"/> and <see cref="Init.Normal"/> when none is set.</summary>
    public static float DefaultScale(Init init) => init == Init.Constant ? 0f : 0.01f;

    /// <summary>The α used by Leaky ReLU (0.01) and ELU (1) when none is set; other activations ignore α.</summary>
    public static float DefaultAlpha(Activation activation) => activation == Activation.LeakyReLU ? 0.01f : 1f;
}
