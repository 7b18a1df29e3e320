using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>The numeric tests are only as good as the SIMD path they ran on. This checks that the path is the one the CPU
/// and the runtime's switches select, so a run meant for the Vector256 or scalar kernels cannot quietly test another.</summary>
public sealed class SimdPathTests
{
    /// <summary>The widest vector type the generated kernels take in this process: "512", "256" or "scalar".</summary>
    private static string CurrentPath
        => Vector512.IsHardwareAccelerated ? "512" : Vector256.IsHardwareAccelerated ? "256" : "scalar";

    [Fact]
    public void The_simd_path_is_the_one_the_cpu_and_the_runtime_switches_select()
    {
        string path = CurrentPath;

        // A switch set to 0 turns its instruction sets off; the path must not use them.
        if (SwitchedOff("DOTNET_EnableHWIntrinsic") || SwitchedOff("DOTNET_EnableAVX2"))
        {
            Assert.Equal("scalar", path);
        }
        if (SwitchedOff("DOTNET_EnableAVX512"))
        {
            Assert.NotEqual("512", path);
        }

        // The path follows the instruction sets the runtime reports: Vector256 exactly when AVX2 is on, and Vector512
        // only with AVX-512 (the runtime may keep Vector512 off on CPUs that slow down under it).
        Assert.Equal(Avx2.IsSupported, Vector256.IsHardwareAccelerated);
        Assert.True(!Vector512.IsHardwareAccelerated || Avx512F.IsSupported, "Vector512 is accelerated without AVX-512F.");

        // CI runs the numeric suite once per width and names the width each run must have, which also catches a switch
        // that did not take at all; a run outside CI names none.
        string? expected = Environment.GetEnvironmentVariable("NETGEN_EXPECT_SIMD");
        if (expected is not null)
        {
            Assert.Equal(expected, path);
        }
    }

    private static bool SwitchedOff(string variable) => Environment.GetEnvironmentVariable(variable) is "0";
}
