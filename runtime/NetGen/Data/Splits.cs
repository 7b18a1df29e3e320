using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>One cross-validation fold: the samples to train on and the held-out samples to score.</summary>
/// <param name="Train">Indices of the training samples (ascending).</param>
/// <param name="Validation">Indices of the held-out samples (ascending).</param>
public sealed record Fold(int[] Train, int[] Validation);

/// <summary>A data set cut into disjoint training, validation and test parts.</summary>
public sealed record DatasetSplit(Dataset Train, Dataset Validation, Dataset Test);

/// <summary>
/// Index splits for estimating generalization error: a held-out train/validation/test split, k-fold and stratified
/// k-fold cross-validation, and leave-one-out. Shuffling draws from <see cref="SeededRandom"/>: the same seed gives
/// the same split. Every split is a partition: each sample lands in exactly one part (one validation fold).
/// </summary>
public static class Splits
{
    /// <summary>Shuffles 0..<paramref name="count"/>−1 and cuts it into train, validation and test index sets of
    /// the given fractions (rounded; the training set takes the rest), each in ascending order.</summary>
    public static (int[] Train, int[] Validation, int[] Test) TrainValidationTest(int count, double validationFraction, double testFraction, long seed)
    {
        CheckFractions(validationFraction, testFraction);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int[] order = Permutation(count, seed);
        int test = (int)Math.Round(count * testFraction), validation = (int)Math.Round(count * validationFraction);
        if (test + validation > count)
        {
            validation = count - test;
        }
        return (Sorted(order.AsSpan(test + validation)), Sorted(order.AsSpan(test, validation)), Sorted(order.AsSpan(0, test)));
    }

    /// <summary>Stratified version: each class is split in the given fractions, so every part keeps the class
    /// proportions of <paramref name="labels"/>.</summary>
    public static (int[] Train, int[] Validation, int[] Test) TrainValidationTest(ReadOnlySpan<int> labels, double validationFraction, double testFraction, long seed)
    {
        CheckFractions(validationFraction, testFraction);
        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        var random = new SeededRandom(seed);
        foreach (int[] members in ByClass(labels))
        {
            random.Shuffle(members.AsSpan());
            int t = (int)Math.Round(members.Length * testFraction), v = (int)Math.Round(members.Length * validationFraction);
            if (t + v > members.Length)
            {
                v = members.Length - t;
            }
            test.AddRange(members.AsSpan(0, t));
            validation.AddRange(members.AsSpan(t, v));
            train.AddRange(members.AsSpan(t + v));
        }
        return (Sorted(train), Sorted(validation), Sorted(test));
    }

    /// <summary>Splits <paramref name="data"/> into three new data sets (see the index overloads); stratified by label
    /// when <paramref name="stratify"/>.</summary>
    public static DatasetSplit TrainValidationTest(Dataset data, double validationFraction, double testFraction, long seed, bool stratify = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        (int[] train, int[] validation, int[] test) = stratify
            ? TrainValidationTest(data.Labels, validationFraction, testFraction, seed)
            : TrainValidationTest(data.Count, validationFraction, testFraction, seed);
        return new DatasetSplit(data.Subset(train), data.Subset(validation), data.Subset(test));
    }

    /// <summary>k-fold cross-validation: the (shuffled, when <paramref name="shuffle"/>) samples are cut into
    /// <paramref name="k"/> folds whose sizes differ by at most one; fold i validates on part i and trains on the rest.</summary>
    public static Fold[] KFold(int count, int k, long seed, bool shuffle = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, count);
        int[] order = shuffle ? Permutation(count, seed) : Identity(count);
        int[] foldOf = new int[count];
        for (int position = 0; position < count; position++)
        {
            // Part i holds positions [i·n/k, (i+1)·n/k): sizes ⌊n/k⌋ or ⌈n/k⌉.
            foldOf[order[position]] = (int)((long)position * k / count);
        }
        return FoldsFrom(foldOf, k);
    }

    /// <summary>Stratified k-fold: every class is dealt round-robin over the folds (after a seeded shuffle within the
    /// class), so each fold keeps the class proportions to within one sample per class.</summary>
    public static Fold[] StratifiedKFold(ReadOnlySpan<int> labels, int k, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, labels.Length);
        var random = new SeededRandom(seed);
        int[] foldOf = new int[labels.Length];
        int next = 0; // continue dealing where the previous class stopped, so fold sizes stay balanced too
        foreach (int[] members in ByClass(labels))
        {
            random.Shuffle(members.AsSpan());
            foreach (int sample in members)
            {
                foldOf[sample] = next;
                next = (next + 1) % k;
            }
        }
        return FoldsFrom(foldOf, k);
    }

    /// <summary>Leave-one-out: <paramref name="count"/> folds, fold i validating on sample i alone.</summary>
    public static Fold[] LeaveOneOut(int count) => KFold(count, count, seed: 0, shuffle: false);

    private static Fold[] FoldsFrom(int[] foldOf, int k)
    {
        int[] sizes = new int[k];
        foreach (int f in foldOf)
        {
            sizes[f]++;
        }
        var folds = new Fold[k];
        for (int f = 0; f < k; f++)
        {
            int[] train = new int[foldOf.Length - sizes[f]], validation = new int[sizes[f]];
            int t = 0, v = 0;
            for (int i = 0; i < foldOf.Length; i++)
            {
                if (foldOf[i] == f)
                {
                    validation[v++] = i;
                }
                else
                {
                    train[t++] = i;
                }
            }
            folds[f] = new Fold(train, validation);
        }
        return folds;
    }

    private static List<int[]> ByClass(ReadOnlySpan<int> labels)
    {
        var members = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!members.TryGetValue(labels[i], out List<int>? list))
            {
                members[labels[i]] = list = [];
            }
            list.Add(i);
        }
        var result = new List<int[]>(members.Count);
        foreach (List<int> list in members.Values)
        {
            result.Add(list.ToArray());
        }
        return result;
    }

    private static int[] Permutation(int count, long seed)
    {
        int[] order = Identity(count);
        new SeededRandom(seed).Shuffle(order.AsSpan());
        return order;
    }

    private static int[] Identity(int count)
    {
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        return order;
    }

    private static int[] Sorted(ReadOnlySpan<int> indices)
    {
        int[] result = indices.ToArray();
        Array.Sort(result);
        return result;
    }

    private static int[] Sorted(List<int> indices)
    {
        indices.Sort();
        return indices.ToArray();
    }

    private static void CheckFractions(double validationFraction, double testFraction)
    {
        if (!(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"Fractions {validationFraction} (validation) and {testFraction} (test) must be ≥ 0 and leave some training data.");
        }
    }
}
