using System;

namespace NetGen.Generator.Codegen;

/// <summary>Helpers of a network's kernel class that the kernels of several layers call; each is written once.</summary>
[Flags]
internal enum KernelHelpers
{
    None = 0,
    /// <summary><c>Copy</c> and <c>Clear</c> of float blocks (direct convolutions).</summary>
    BlockCopy = 1,
}

/// <summary>Writes the <see cref="KernelHelpers"/> a network's kernels need, in a fixed order.</summary>
internal static class KernelHelperEmitter
{
    public static void Emit(SourceWriter w, KernelHelpers helpers)
    {
        if ((helpers & KernelHelpers.BlockCopy) != 0)
        {
            w.Line();
            w.Lines("""
                /// <summary>destination[0, count) = source[0, count); a literal count is copied inline.</summary>
                [MethodImpl(MethodImplOptions.AggressiveInlining)]
                private static void Copy(ref float source, ref float destination, int count)
                    => Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref destination), ref Unsafe.As<float, byte>(ref source), (uint)count * 4u);

                /// <summary>destination[0, count) = 0.</summary>
                [MethodImpl(MethodImplOptions.AggressiveInlining)]
                private static void Clear(ref float destination, int count)
                    => Unsafe.InitBlockUnaligned(ref Unsafe.As<float, byte>(ref destination), 0, (uint)count * 4u);
                """);
        }
    }
}
