using Xunit;

// Packing and publishing both build runtime/NetGen in Release; two builds of one project at once would race.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
