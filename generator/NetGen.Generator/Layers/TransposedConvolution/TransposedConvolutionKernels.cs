using NetGen.Generator.Codegen;
using NetGen.Generator.Layers.Convolution;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Layers.TransposedConvolution;

/// <summary>
/// Kernels of transposed convolutions: the runtime's <c>Im2ColConvolution</c> with input and output swapped (forward:
/// col2im of Wᵀ·x; weight gradient: x·im2col(dz)ᵀ; input gradient: W·im2col(dz)), forwarded to as a convolution's are.
/// </summary>
internal static class TransposedConvolutionKernels
{
    public static void EmitTransposedConvolution(SourceWriter w, LayerPlan layer, bool trainable, bool needsInputGradient)
        => ConvolutionKernels.EmitRuntimeKernels(w, layer, trainable, needsInputGradient,
            $"col2im from {Num(TransposedConvolutionFamily.ColumnRows(layer))}×{Num(TransposedConvolutionFamily.ColumnCount(layer))} columns",
            "Im2ColConvolution", ConvolutionKernels.Im2ColArguments(layer, ConvolutionalFamily.Options(layer), transposed: true));
}
