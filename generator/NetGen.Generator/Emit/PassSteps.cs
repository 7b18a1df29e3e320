using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Emit;

/// <summary>
/// The steps of a forward or backward pass, in execution order. Each step is one piece of code over a range of items —
/// the batch's samples, a layer's channels or weight rows — or over the whole batch at once. The generated passes run the
/// steps one after the other; with several threads each step's range is split over them (<c>WorkerPool</c>), and since
/// every item is computed by the same code whichever range it lands in, results do not depend on the thread count.
/// </summary>
internal sealed class PassSteps
{
    private readonly List<Step> _steps = [];
    private readonly int _firstNumber;

    public PassSteps(int firstNumber) => _firstNumber = firstNumber;

    /// <summary>A step: its number in the network's dispatch, the items (an expression over the batch size
    /// <c>n</c>, or null for a step that runs whole on the calling thread), the grain of its ranges, and the pieces of code
    /// it runs one after the other over its range, each with what it does.</summary>
    internal sealed record Step(int Number, string? Count, int Grain, IReadOnlyList<(string Summary, string Body)> Parts)
    {
        public string Summary => string.Join("; ", Parts.Select(part => part.Summary));

        /// <summary>Estimated FLOPs per sample of a step over the samples (the sum over its parts); 0 for other steps,
        /// which always split. The worker pool keeps a step whose parts would hold too little work on one thread.</summary>
        public long WorkPerItem { get; init; }
    }

    private long _nextWork;
    private long _laterWork;

    /// <summary>The estimated cost of the sample steps that come next: the first carries <paramref name="workPerSample"/>
    /// FLOPs (the layer's product), each later one <paramref name="elementsPerSample"/> (an element-wise pass).</summary>
    public void BeginLayer(long workPerSample, long elementsPerSample) => (_nextWork, _laterWork) = (workPerSample, elementsPerSample);

    public IReadOnlyList<Step> All => _steps;

    public int NextNumber => _firstNumber + _steps.Count;

    /// <summary>
    /// A step over the batch's samples: the body sees <c>start</c>, <c>end</c> and <c>count</c>. It joins the previous step
    /// when that is over the samples too, with the same grain: each thread then gets the same samples in both, and since a
    /// sample step reads and writes only its own samples' rows, the second needs no barrier after the first. A pass of
    /// per-sample layers thus synchronizes its threads only where a step needs the whole batch.
    /// </summary>
    public void Samples(string summary, Action<SourceWriter> body, int grain = 1)
    {
        long work = Math.Max(1, _nextWork);
        _nextWork = _laterWork;
        if (_steps.Count > 0 && _steps[_steps.Count - 1] is { Count: SampleCount } last && last.Grain == grain)
        {
            _steps[_steps.Count - 1] = last with { Parts = [.. last.Parts, (summary, Write(body))], WorkPerItem = last.WorkPerItem + work };
            return;
        }
        Add(SampleCount, grain, summary, body);
        _steps[_steps.Count - 1] = _steps[_steps.Count - 1] with { WorkPerItem = work };
    }

    /// <summary>A step over <paramref name="count"/> items of a layer (channels, weight rows): the body sees
    /// <c>start</c> and <c>end</c>.</summary>
    public void Items(int count, string summary, Action<SourceWriter> body, int grain = 1)
        => Add(NetworkEmitter.Num(count), grain, summary, body);

    /// <summary>A step that runs on the calling thread over the whole batch (random draws, the loss).</summary>
    public void Whole(string summary, Action<SourceWriter> body) => Add(null, 1, summary, body);

    /// <summary>The item count of a step over the samples: the batch size.</summary>
    private const string SampleCount = "n";

    private void Add(string? count, int grain, string summary, Action<SourceWriter> body)
        => _steps.Add(new Step(NextNumber, count, grain, [(summary, Write(body))]));

    private static string Write(Action<SourceWriter> body)
    {
        var w = new SourceWriter();
        body(w);
        return w.ToString();
    }
}
