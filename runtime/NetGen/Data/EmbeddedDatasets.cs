using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>Small real data sets shipped inside the NetGen assembly, so samples and tests run with no download.</summary>
public static class EmbeddedDatasets
{
    private const string DigitsResource = "NetGen.Data.digits.csv.gz";

    /// <summary>
    /// The UCI optical-recognition handwritten digits as scikit-learn ships them: 1,797 images of 8×8 pixels with values
    /// 0–16 (returned unscaled) and labels 0–9. Origin and licence: <c>runtime/NetGen/Data/digits.rst</c> and <c>DIGITS-NOTICE.md</c>.
    /// </summary>
    public static Dataset Digits()
    {
        using Stream stream = typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream(DigitsResource)
            ?? throw new InvalidOperationException($"Embedded resource '{DigitsResource}' is missing from the NetGen assembly.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return ParseLabelLast(reader, DigitsResource, featureCount: 64, classCount: 10);
    }

    /// <summary>Parses headerless CSV rows of <paramref name="featureCount"/> numbers followed by an integer label.</summary>
    internal static Dataset ParseLabelLast(TextReader reader, string sourceName, int featureCount, int classCount)
    {
        var features = new System.Collections.Generic.List<float>();
        var labels = new System.Collections.Generic.List<int>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            string[] cells = line.Split(',');
            if (cells.Length != featureCount + 1)
            {
                throw new InvalidDataException($"{sourceName}, line {lineNumber}: expected {featureCount + 1} comma-separated values, found {cells.Length}.");
            }
            for (int c = 0; c < featureCount; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    throw new InvalidDataException($"{sourceName}, line {lineNumber}, column {c + 1}: '{cells[c]}' is not a finite number.");
                }
                features.Add(value);
            }
            if (!int.TryParse(cells[featureCount], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0 || label >= classCount)
            {
                throw new InvalidDataException($"{sourceName}, line {lineNumber}, column {featureCount + 1}: label '{cells[featureCount]}' is not an integer in [0, {classCount}).");
            }
            labels.Add(label);
        }
        return new Dataset(features.ToArray(), labels.ToArray(), featureCount, classCount);
    }
}
