using System.Threading;

namespace NetGen.Tests.Concurrency;

/// <summary>
/// The runtime allocates on a thread's first blocking wait (64 to about 2,000 bytes on .NET 10, once). A thread that
/// hands work to other threads blocks only when it finishes first, which the warm-up of an allocation test may never
/// see; a test that counts the bytes its thread allocates blocks it once beforehand, so that one-time allocation cannot
/// land in the measured window.
/// </summary>
internal static class FirstWait
{
    /// <summary>Blocks this thread once in a wait that another thread ends.</summary>
    public static void BlockThisThreadOnce()
    {
        using var gate = new SemaphoreSlim(0);
        var releaser = new Thread(() =>
        {
            Thread.Sleep(20);
            gate.Release();
        });
        releaser.Start();
        gate.Wait();
        releaser.Join();
    }
}
