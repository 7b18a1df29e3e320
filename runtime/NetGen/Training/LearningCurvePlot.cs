using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using NetGen.IO;

namespace NetGen.Training;

/// <summary>
/// Draws a <see cref="TrainingHistory"/> as a self-contained SVG: the loss panel (every mini-batch's loss faint, the epoch
/// mean and the validation loss per epoch) and, when the data has labels, an accuracy panel (training and validation, %).
/// The x axis counts epochs; batch losses sit at fractional epochs. A dashed line marks the best epoch: the lowest
/// validation loss, or training loss without validation. The loss axis is linear from 0, or logarithmic by decades.
/// </summary>
public static class LearningCurvePlot
{
    private const double PanelWidth = 460, Height = 320, Left = 58, Right = 16, Top = 36, Bottom = 46;
    private const string TrainColor = "#1f77b4", ValidationColor = "#ff7f0e", BatchColor = "#9ecae1";

    /// <summary>Writes the plot to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, TrainingHistory history, string title, bool logScaleLoss = false)
        => AtomicFile.WriteAllText(path, ToSvg(history, title, logScaleLoss));

    /// <summary>The plot as SVG text; with <paramref name="logScaleLoss"/> the loss axis is logarithmic (decades), which
    /// keeps a loss that falls by orders of magnitude (a regression) readable after the first epochs.</summary>
    public static string ToSvg(TrainingHistory history, string title, bool logScaleLoss = false)
    {
        ArgumentNullException.ThrowIfNull(history);
        IReadOnlyList<EpochRecord> epochs = history.Epochs;
        bool accuracy = epochs.Any(e => !double.IsNaN(e.TrainAccuracy) || !double.IsNaN(e.ValidationAccuracy));
        double width = accuracy ? 2 * PanelWidth : PanelWidth;
        double xMax = Math.Max(1, epochs.Count);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{Height}\" viewBox=\"0 0 {width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{Height}\" fill=\"white\"/>\n"));

        var batch = new List<(double X, double Y)>();
        int perEpoch = Math.Max(1, history.BatchesPerEpoch);
        for (int i = 0; i < history.BatchLosses.Count; i++)
        {
            batch.Add(((i + 1.0) / perEpoch, history.BatchLosses[i]));
        }
        var trainLoss = epochs.Select(e => ((double)e.Epoch, e.TrainLoss)).ToList();
        var validationLoss = epochs.Where(e => !double.IsNaN(e.ValidationLoss)).Select(e => ((double)e.Epoch, e.ValidationLoss)).ToList();
        double lossMax = trainLoss.Concat(validationLoss).Select(p => p.Item2).DefaultIfEmpty(1).Max();
        if (batch.Count > 0)
        {
            // Early batches can be far above everything else; scale to the 95th percentile and clip the rest.
            double[] sorted = batch.Select(p => p.Y).Where(double.IsFinite).OrderBy(y => y).ToArray();
            if (sorted.Length > 0)
            {
                lossMax = Math.Max(lossMax, sorted[(int)(0.95 * (sorted.Length - 1))]);
            }
        }
        double? bestEpoch = null;
        double bestLoss = double.PositiveInfinity;
        foreach ((double epoch, double loss) in validationLoss.Count > 0 ? validationLoss : trainLoss)
        {
            if (loss < bestLoss)
            {
                (bestEpoch, bestLoss) = (epoch, loss);
            }
        }
        Axis lossAxis = logScaleLoss
            ? LogAxis(trainLoss.Concat(validationLoss).Select(p => p.Item2).Concat(batch.Select(p => p.Y)), lossMax)
            : new Axis(0, NiceMax(lossMax), Log: false);
        Panel(svg, 0, $"{title}: loss", xMax, lossAxis, legendAtBottom: false, bestEpoch, [
            ("batch", BatchColor, batch, 1.0, false),
            ("train", TrainColor, trainLoss, 2.0, true),
            ("validation", ValidationColor, validationLoss, 2.0, true)]);
        if (accuracy)
        {
            var trainAccuracy = epochs.Where(e => !double.IsNaN(e.TrainAccuracy)).Select(e => ((double)e.Epoch, 100 * e.TrainAccuracy)).ToList();
            var validationAccuracy = epochs.Where(e => !double.IsNaN(e.ValidationAccuracy)).Select(e => ((double)e.Epoch, 100 * e.ValidationAccuracy)).ToList();
            Panel(svg, PanelWidth, $"{title}: accuracy (%)", xMax, new Axis(0, 100, Log: false), legendAtBottom: true, bestEpoch: null, [
                ("train", TrainColor, trainAccuracy, 2.0, true),
                ("validation", ValidationColor, validationAccuracy, 2.0, true)]);
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>A y axis from <see cref="Min"/> to <see cref="Max"/>, linear or logarithmic (then both are powers of 10).</summary>
    private readonly record struct Axis(double Min, double Max, bool Log)
    {
        /// <summary>Where <paramref name="y"/> lies on the axis, 0 at the bottom and 1 at the top (clipped).</summary>
        public double Fraction(double y) => Log
            ? (Math.Log10(Math.Clamp(y, Min, Max)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (Math.Clamp(y, Min, Max) - Min) / (Max - Min);

        /// <summary>The gridlines and their labels: every power of 10 of a log axis, nice steps of a linear one.</summary>
        public IEnumerable<(double Y, string Label)> Ticks()
        {
            if (Log)
            {
                for (double y = Min; y <= Max * (1 + 1e-9); y *= 10)
                {
                    yield return (y, y.ToString("G3", CultureInfo.InvariantCulture));
                }
                yield break;
            }
            double step = NiceStep((Max - Min) / 5);
            for (double y = Min; y <= Max + 1e-9 * Max; y += step)
            {
                yield return (y, FormatTick(y, step));
            }
        }
    }

    /// <summary>A log axis over the decades of the positive finite <paramref name="values"/>, up to <paramref name="max"/>
    /// (the linear plot's top, which already leaves out the highest batch spikes).</summary>
    private static Axis LogAxis(IEnumerable<double> values, double max)
    {
        double[] positive = [.. values.Where(v => v > 0 && double.IsFinite(v)).Order()];
        if (positive.Length == 0 || !(max > 0))
        {
            return new Axis(0.1, 10, Log: true);
        }
        // The lowest batch losses are as noisy as the highest: start at the 1st percentile's decade.
        double low = Math.Pow(10, Math.Floor(Math.Log10(positive[(int)(0.01 * (positive.Length - 1))])));
        double high = Math.Pow(10, Math.Ceiling(Math.Log10(max)));
        return new Axis(low, Math.Max(high, 10 * low), Log: true);
    }

    private static void Panel(StringBuilder svg, double x0, string title, double xMax, Axis axis, bool legendAtBottom, double? bestEpoch,
        (string Name, string Color, List<(double X, double Y)> Points, double Stroke, bool Markers)[] series)
    {
        double plotLeft = x0 + Left, plotRight = x0 + PanelWidth - Right, plotTop = Top, plotBottom = Height - Bottom;
        double Px(double x) => plotLeft + (plotRight - plotLeft) * x / xMax;
        double Py(double y) => plotBottom - (plotBottom - plotTop) * axis.Fraction(y);

        svg.Append(Invariant($"<text x=\"{x0 + PanelWidth / 2:F1}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>\n"));
        foreach ((double y, string label) in axis.Ticks())
        {
            svg.Append(Invariant($"<line x1=\"{plotLeft:F1}\" y1=\"{Py(y):F1}\" x2=\"{plotRight:F1}\" y2=\"{Py(y):F1}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Invariant($"<text x=\"{plotLeft - 6:F1}\" y=\"{Py(y) + 4:F1}\" text-anchor=\"end\">{label}</text>\n"));
        }
        if (bestEpoch is { } best)
        {
            svg.Append(Invariant($"<line x1=\"{Px(best):F1}\" y1=\"{plotTop:F1}\" x2=\"{Px(best):F1}\" y2=\"{plotBottom:F1}\" stroke=\"#2ca02c\" stroke-dasharray=\"4 3\"/>"));
            svg.Append(Invariant($"<text x=\"{Px(best) + 3:F1}\" y=\"{plotBottom - 6:F1}\" fill=\"#2ca02c\">best {best:0}</text>\n"));
        }
        double xStep = Math.Max(1, NiceStep(xMax / 8));
        for (double x = 0; x <= xMax + 1e-9; x += xStep)
        {
            svg.Append(Invariant($"<line x1=\"{Px(x):F1}\" y1=\"{plotBottom:F1}\" x2=\"{Px(x):F1}\" y2=\"{plotBottom + 4:F1}\" stroke=\"#333\"/>"));
            svg.Append(Invariant($"<text x=\"{Px(x):F1}\" y=\"{plotBottom + 17:F1}\" text-anchor=\"middle\">{x:0}</text>\n"));
        }
        svg.Append(Invariant($"<rect x=\"{plotLeft:F1}\" y=\"{plotTop:F1}\" width=\"{plotRight - plotLeft:F1}\" height=\"{plotBottom - plotTop:F1}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(Invariant($"<text x=\"{(plotLeft + plotRight) / 2:F1}\" y=\"{Height - 10:F1}\" text-anchor=\"middle\">epoch</text>\n"));

        int entries = series.Count(s => s.Points.Count > 0);
        double legendX = plotRight - 110, legendTop = legendAtBottom ? plotBottom - 8 - 16 * entries : plotTop + 4;
        double legendY = legendTop + 12;
        var legend = new StringBuilder();
        legend.Append(Invariant($"<rect x=\"{legendX - 6:F1}\" y=\"{legendTop:F1}\" width=\"108\" height=\"{16 * entries + 2:F1}\" fill=\"white\" fill-opacity=\"0.85\"/>\n"));
        foreach ((string name, string color, List<(double X, double Y)> points, double stroke, bool markers) in series)
        {
            if (points.Count == 0)
            {
                continue;
            }
            var path = new StringBuilder();
            foreach ((double x, double y) in points)
            {
                if (double.IsFinite(y))
                {
                    path.Append(Invariant($"{Px(x):F1},{Py(y):F1} "));
                }
            }
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"{stroke}\" stroke-linejoin=\"round\" points=\"{path.ToString().TrimEnd()}\"/>\n"));
            if (markers && points.Count <= 60)
            {
                foreach ((double x, double y) in points)
                {
                    if (double.IsFinite(y))
                    {
                        svg.Append(Invariant($"<circle cx=\"{Px(x):F1}\" cy=\"{Py(y):F1}\" r=\"2.5\" fill=\"{color}\"/>"));
                    }
                }
                svg.Append('\n');
            }
            legend.Append(Invariant($"<line x1=\"{legendX:F1}\" y1=\"{legendY - 4:F1}\" x2=\"{legendX + 22:F1}\" y2=\"{legendY - 4:F1}\" stroke=\"{color}\" stroke-width=\"{Math.Max(stroke, 2)}\"/>"));
            legend.Append(Invariant($"<text x=\"{legendX + 28:F1}\" y=\"{legendY:F1}\">{name}</text>\n"));
            legendY += 16;
        }
        if (entries > 0)
        {
            svg.Append(legend);
        }
    }

    private static double NiceMax(double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            return 1;
        }
        double step = NiceStep(value / 5);
        return Math.Ceiling(value / step) * step;
    }

    private static double NiceStep(double raw)
    {
        if (!(raw > 0))
        {
            return 1;
        }
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    private static string FormatTick(double value, double step)
    {
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
