using System;
using System.ComponentModel;
using System.Linq;
using System.Reflection;
using NetGen.CompilerServices;
using NetGen.Concurrency;
using Xunit;

namespace NetGen.Tests.Concurrency;

/// <summary>What a user sees of a generated network: INetwork with what users call, the trainer's plumbing hidden behind
/// INetworkEngine, disposal of the worker threads, and a thread count that is refused when it makes no sense.</summary>
public sealed class NetworkSurfaceTests
{
    private static readonly string[] Plumbing =
        ["BatchInputs", "BatchTargets", "ForwardBackward", "RunOnThreads", "UsesBatchStatistics", "State", "StateTensors", "Random"];

    [Fact]
    public void INetwork_has_at_most_16_members_and_none_of_the_trainers_plumbing()
    {
        MemberInfo[] members = typeof(INetwork).GetMembers().Where(m => m is not MethodInfo { IsSpecialName: true }).ToArray();
        Assert.InRange(members.Length, 1, 16);
        Assert.DoesNotContain(members, m => Plumbing.Contains(m.Name));
        Assert.Contains(typeof(IDisposable), typeof(INetwork).GetInterfaces());
    }

    [Fact]
    public void The_engine_contract_is_hidden_and_implemented_explicitly()
    {
        EditorBrowsableAttribute? browsable = typeof(INetworkEngine).GetCustomAttribute<EditorBrowsableAttribute>();
        Assert.Equal(EditorBrowsableState.Never, browsable?.State);
        Assert.True(typeof(INetworkEngine).IsAssignableFrom(typeof(LeNetLike)));
        string[] publicMembers = typeof(LeNetLike).GetMembers(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).ToArray();
        Assert.Empty(publicMembers.Intersect(Plumbing));
        Assert.Contains("LayerOutput", publicMembers);
    }

    /// <summary>What generated code calls (the register tiles, the bias kernels, the pass threads) is public only for it:
    /// every public type of the namespace is hidden from IntelliSense.</summary>
    [Fact]
    public void Every_public_type_for_generated_code_is_hidden()
    {
        Type[] types = typeof(INetworkEngine).Assembly.GetExportedTypes().Where(t => t.Namespace == "NetGen.CompilerServices").ToArray();
        Assert.Contains(typeof(RegisterTile), types);
        Assert.Contains(typeof(PassThreads), types);
        Assert.All(types, type => Assert.Equal(EditorBrowsableState.Never, type.GetCustomAttribute<EditorBrowsableAttribute>()?.State));
    }

    [Fact]
    public void Dispose_ends_the_worker_threads_and_the_network_stays_usable()
    {
        var net = new LeNetLike(seed: 1, capacity: 4) { Threads = 2 };
        float[] x = new float[4 * LeNetLike.InputSize], y = new float[4 * LeNetLike.OutputSize];
        net.Forward(x, y, 4);
        net.Dispose();
        Assert.Equal(1, net.Threads);
        net.Forward(x, y, 4);
        net.Dispose();
        Assert.Equal(1, net.Threads);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(WorkerPool.MaxThreads + 1)]
    [InlineData(int.MaxValue)]
    public void A_thread_count_outside_1_to_MaxThreads_is_refused_and_changes_nothing(int threads)
    {
        var net = new LeNetLike(seed: 1, capacity: 4) { Threads = 2 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.Threads = threads);
        Assert.Equal("value", error.ParamName);
        Assert.Contains($"1 to {WorkerPool.MaxThreads} threads", error.Message, StringComparison.Ordinal);
        Assert.Equal(threads, error.ActualValue);
        Assert.Equal(2, net.Threads);
        float[] x = new float[4 * LeNetLike.InputSize], y = new float[4 * LeNetLike.OutputSize];
        net.Forward(x, y, 4);
        net.Dispose();
    }

    [Fact]
    public void The_minimum_work_per_part_belongs_to_each_network_and_survives_a_change_of_threads()
    {
        var split = new LeNetLike(seed: 1, capacity: 4) { Threads = 2 };
        var other = new LeNetLike(seed: 1, capacity: 4);
        split.Engine().MinimumWorkPerPart = 0;
        Assert.Equal(0, split.Engine().MinimumWorkPerPart);
        Assert.Equal(WorkerPool.DefaultMinimumWorkPerPart, other.Engine().MinimumWorkPerPart);
        Assert.Equal(2, split.Threads);
        split.Threads = 3;
        Assert.Equal(0, split.Engine().MinimumWorkPerPart);
        Assert.Throws<ArgumentOutOfRangeException>(() => split.Engine().MinimumWorkPerPart = -1);
        Assert.Equal(0, split.Engine().MinimumWorkPerPart);
        split.Dispose();
    }
}
