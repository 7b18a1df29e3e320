using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Data;

/// <summary>
/// One-hot encoding of a categorical feature (text such as "red" or codes such as "1" and "2"): fitted on the training
/// values, one input per category in ordinal order; a missing value (null) or a category the training values did not have
/// encodes as all zeros. (Class labels are one-hot encoded by <see cref="OneHotEncoding"/>.)
/// </summary>
public sealed class CategoryEncoder
{
    private readonly Dictionary<string, int> _index;

    private CategoryEncoder(string[] categories, string? mostFrequent)
    {
        Categories = categories;
        MostFrequent = mostFrequent;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < categories.Length; k++)
        {
            _index.Add(categories[k], k);
        }
    }

    /// <summary>The categories, in ordinal order: input k of the encoding stands for category k.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The most frequent training category (the first in ordinal order among ties): what a missing value is
    /// imputed with. Null for an encoder made from its categories alone.</summary>
    public string? MostFrequent { get; }

    /// <summary>Fits the categories on <paramref name="trainingValues"/>; nulls (missing values) are skipped.</summary>
    /// <exception cref="ArgumentException">No value is present.</exception>
    public static CategoryEncoder Fit(IEnumerable<string?> trainingValues)
    {
        ArgumentNullException.ThrowIfNull(trainingValues);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string? value in trainingValues)
        {
            if (value is not null)
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
        }
        if (counts.Count == 0)
        {
            throw new ArgumentException("A category encoder is fitted on at least one value; all were missing (null).", nameof(trainingValues));
        }
        string[] categories = [.. counts.Keys.Order(StringComparer.Ordinal)];
        return new CategoryEncoder(categories, categories.OrderByDescending(c => counts[c]).First());
    }

    /// <summary>An encoder of the given categories, in the given order (e.g. read back from a weights file's metadata);
    /// <paramref name="mostFrequent"/>, when given, must be one of them.</summary>
    public static CategoryEncoder FromCategories(IReadOnlyList<string> categories, string? mostFrequent = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count == 0 || categories.Distinct(StringComparer.Ordinal).Count() != categories.Count
            || mostFrequent is not null && !categories.Contains(mostFrequent, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The categories ({string.Join(", ", categories)}) must be distinct and at least one{(mostFrequent is null ? "" : $", and include '{mostFrequent}'")}.", nameof(categories));
        }
        return new CategoryEncoder([.. categories], mostFrequent);
    }

    /// <summary>The input of <paramref name="value"/>, or −1 for a missing or unknown one.</summary>
    public int IndexOf(string? value) => value is not null && _index.TryGetValue(value, out int index) ? index : -1;

    /// <summary>Writes the one-hot row of <paramref name="value"/> (<see cref="Categories"/>.Count values) into
    /// <paramref name="destination"/>; allocates nothing.</summary>
    public void Encode(string? value, Span<float> destination)
    {
        if (destination.Length != Categories.Count)
        {
            throw new ArgumentException($"{Categories.Count} categories need {Categories.Count} values; the destination holds {destination.Length}.", nameof(destination));
        }
        destination.Clear();
        int index = IndexOf(value);
        if (index >= 0)
        {
            destination[index] = 1f;
        }
    }

    /// <summary>The one-hot rows of <paramref name="values"/>: <paramref name="values"/>.Count rows of
    /// <see cref="Categories"/>.Count.</summary>
    public float[] Encode(IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int width = Categories.Count;
        float[] rows = new float[values.Count * width];
        for (int i = 0; i < values.Count; i++)
        {
            Encode(values[i], rows.AsSpan(i * width, width));
        }
        return rows;
    }
}
