using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Codegen;

namespace NetGen.Generator.Passes;

/// <summary>What a step of a pass computes, as far as a sharded backward pass needs to know (<see cref="ShardedBackward"/>).</summary>
internal enum StepKind
{
    /// <summary>Over the batch's samples, each sample's rows alone.</summary>
    Samples,
    /// <summary>Over a layer's items (channels, rows), reading the whole batch.</summary>
    Items,
    /// <summary>On the calling thread, over the whole batch.</summary>
    Whole,
    /// <summary>The loss and the gradient of the output.</summary>
    Loss,
    /// <summary>A dense layer's weight and bias gradients per output panel: reads the whole batch's input and ∂z, writes
    /// only the layer's gradients.</summary>
    WeightPanels,
    /// <summary>A layer's weight and bias gradients per fixed shard of the batch, each into its own shard buffer.</summary>
    WeightShards,
    /// <summary>A layer's gradients += its shards, in shard order.</summary>
    ShardSum,
}

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

        /// <summary>What the step computes, as far as a sharded backward pass needs to know (<see cref="ShardedBackward"/>).</summary>
        public StepKind Kind { get; init; }

        /// <summary>The number of items (output panels or shards) of a weight-gradient step (0 for other steps).</summary>
        public int ItemCount { get; init; }

        /// <summary>Estimated FLOPs per sample of the batch of a weight-gradient step or a shard sum (all its items together).</summary>
        public long WorkPerSample { get; init; }

        /// <summary>For the loss: an expression for the same computation over the samples <c>shardFirst</c> to
        /// <c>shardLast</c> of the batch, whose value is their summed loss (a sharded backward pass runs it per shard).</summary>
        public string? ShardBody { get; init; }

        /// <summary>The indices of the layers whose code the step runs: a backward step writes the parameter gradients of
        /// these layers only (<see cref="FinalGradients"/> relies on it).</summary>
        public IReadOnlyList<int> Layers { get; init; } = [];
    }

    /// <summary>Two steps that run in one split: thread by thread, a slice of <paramref name="Items"/>'s items and the same
    /// slice of the samples of <paramref name="Samples"/>, which neither reads what the other writes. It saves a barrier,
    /// and neither waits for the other's slowest thread.</summary>
    internal sealed record Pair(int Number, Step Items, Step Samples, long ItemsWorkPerSample)
    {
        /// <summary>Estimated FLOPs per sample of both steps together, which decides how many threads share them.</summary>
        public long WorkPerSample => ItemsWorkPerSample + Samples.WorkPerItem;
    }

    private readonly List<Step> _deferred = [];
    private readonly List<Pair> _pairs = [];
    /// <summary>The estimated FLOPs per sample of the last step added, when it may pair with a sample step after it.</summary>
    private long? _pairableWork;
    private long _nextWork;
    private long _laterWork;

    /// <summary>The estimated cost of the sample steps that come next: the first carries <paramref name="workPerSample"/>
    /// FLOPs (the layer's product), each later one <paramref name="elementsPerSample"/> (an element-wise pass).</summary>
    public void BeginLayer(long workPerSample, long elementsPerSample) => (_nextWork, _laterWork) = (workPerSample, elementsPerSample);

    /// <summary>The index of the layer whose steps are added now (0: none, as for the loss); each step records it.</summary>
    public int Layer { get; set; }

    public IReadOnlyList<Step> All => _steps;

    /// <summary>The pairs of steps run as one split, numbered after <see cref="All"/> (see <see cref="Finish"/>).</summary>
    public IReadOnlyList<Pair> Pairs => _pairs;

    public int NextNumber => _firstNumber + _steps.Count;

    /// <summary>The pair a step belongs to, if any.</summary>
    public Pair? PairOf(Step step) => _pairs.FirstOrDefault(pair => pair.Items.Number == step.Number || pair.Samples.Number == step.Number);

    /// <summary>Appends the steps deferred to the end of the pass, then numbers the pairs after all steps.</summary>
    public void Finish()
    {
        foreach (Step step in _deferred)
        {
            _steps.Add(step with { Number = NextNumber });
        }
        _deferred.Clear();
        _pairableWork = null;
        for (int i = 0; i < _pairs.Count; i++)
        {
            // The samples step may have grown since it was paired (later sample steps join it): take its final form.
            Step samples = _steps.First(step => step.Number == _pairs[i].Samples.Number);
            _pairs[i] = _pairs[i] with { Number = NextNumber + i, Samples = samples };
        }
    }

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
            _steps[_steps.Count - 1] = last with
            {
                Parts = [.. last.Parts, (summary, Write(body))],
                WorkPerItem = last.WorkPerItem + work,
                Layers = Layer == 0 || last.Layers.Contains(Layer) ? last.Layers : [.. last.Layers, Layer],
            };
            return;
        }
        long? itemsWork = _pairableWork;
        Add(SampleCount, grain, summary, body, StepKind.Samples);
        _steps[_steps.Count - 1] = _steps[_steps.Count - 1] with { WorkPerItem = work };
        if (itemsWork is { } itemsWorkPerSample && grain == 1)
        {
            _pairs.Add(new Pair(0, _steps[_steps.Count - 2], _steps[_steps.Count - 1], itemsWorkPerSample));
        }
    }

    /// <summary>A step over <paramref name="count"/> items of a layer (channels, weight rows): the body sees
    /// <c>start</c> and <c>end</c>.</summary>
    public void Items(int count, string summary, Action<SourceWriter> body, int grain = 1)
        => Add(Literals.Num(count), grain, summary, body, StepKind.Items);

    /// <summary>
    /// As <see cref="Items"/> for a step that writes only what no later step of the pass reads (a layer's parameter
    /// gradients or its own shards of them) and reads nothing a sample step after it writes: the sample step that comes
    /// next, if nothing else comes first, runs with it in one split (<see cref="Pair"/>).
    /// <paramref name="workPerSample"/> is its estimated FLOPs per sample of the batch; <paramref name="kind"/> says
    /// whether it runs per output panel or per shard of the batch.
    /// </summary>
    public void ItemsBeforeIndependentSamples(int count, string summary, Action<SourceWriter> body, long workPerSample, StepKind kind)
    {
        Add(Literals.Num(count), 1, summary, body, kind);
        _steps[_steps.Count - 1] = _steps[_steps.Count - 1] with { ItemCount = count, WorkPerSample = workPerSample };
        _pairableWork = workPerSample;
    }

    /// <summary>A step that runs on the calling thread over the whole batch (random draws).</summary>
    public void Whole(string summary, Action<SourceWriter> body) => Add(null, 1, summary, body, StepKind.Whole);

    /// <summary>The loss and the gradient of the output, on the calling thread; <paramref name="shardBody"/> writes the
    /// same as an expression over the samples <c>shardFirst</c> to <c>shardLast</c> (<see cref="Step.ShardBody"/>).</summary>
    public void Loss(string summary, Action<SourceWriter> body, Action<SourceWriter> shardBody)
    {
        Add(null, 1, summary, body, StepKind.Loss);
        _steps[_steps.Count - 1] = _steps[_steps.Count - 1] with { ShardBody = Write(shardBody) };
    }

    /// <summary>A <see cref="Whole"/> step that reads only what the steps before it wrote and that nothing in the pass reads
    /// (the sum of a layer's gradient shards, <paramref name="workPerSample"/> FLOPs per sample of a batch of
    /// <see cref="ShardedBackward.NominalBatch"/>): it runs at the end of the pass, where it stands between no two steps
    /// that could otherwise have joined.</summary>
    public void AtEnd(string summary, Action<SourceWriter> body, long workPerSample)
        => _deferred.Add(new Step(-1, null, 1, [(summary, Write(body))]) { Kind = StepKind.ShardSum, WorkPerSample = workPerSample, Layers = CurrentLayers });

    private IReadOnlyList<int> CurrentLayers => Layer == 0 ? [] : [Layer];

    /// <summary>The item count of a step over the samples: the batch size.</summary>
    private const string SampleCount = "n";

    private void Add(string? count, int grain, string summary, Action<SourceWriter> body, StepKind kind)
    {
        _pairableWork = null;
        _steps.Add(new Step(NextNumber, count, grain, [(summary, Write(body))]) { Kind = kind, Layers = CurrentLayers });
    }

    private static string Write(Action<SourceWriter> body)
    {
        var w = new SourceWriter();
        body(w);
        return w.ToString();
    }
}
