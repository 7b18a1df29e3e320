namespace NetGen.Generator.Model;

/// <summary>What a layer family adds to a layer beyond its kind, name, shapes and activation: each family derives a
/// sealed record of its own (<c>Layers/&lt;Family&gt;/</c>), which holds the arguments as written in a
/// <see cref="LayerSpec"/> and resolved (defaults filled in) in a <see cref="LayerPlan"/>.</summary>
internal abstract record LayerOptions;
