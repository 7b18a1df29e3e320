namespace NetGen.Generator;

/// <summary>Names of the pipeline steps, for incremental-caching tests and generator performance traces.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Infer = nameof(Infer);
    public const string Plan = nameof(Plan);
    public const string Diagnostics = nameof(Diagnostics);
}
