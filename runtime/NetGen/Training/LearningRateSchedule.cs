using System;
using System.IO;

namespace NetGen.Training;

/// <summary>
/// Sets the optimizer's learning rate before every step from the base rate η₀ (the optimizer's rate when training starts),
/// the 0-based global step and the steps per epoch. Epoch-based schedules use the completed epochs ⌊step / stepsPerEpoch⌋,
/// so the rate changes at epoch boundaries; <see cref="CosineAnnealing"/> and <see cref="LinearWarmup"/> change every step.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (0-based).</summary>
    public abstract float Rate(float baseRate, long step, int stepsPerEpoch);

    /// <summary>Called after each epoch with the monitored loss (validation loss when there is validation data, else the
    /// training loss). Only <see cref="ReduceOnPlateau"/> listens.</summary>
    public virtual void EpochEnded(int epoch, double monitoredLoss)
    {
    }

    /// <summary>Writes mutable state for checkpoints (none by default).</summary>
    public virtual void WriteState(BinaryWriter writer)
    {
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote. A state that cannot be this schedule's should be an
    /// <see cref="InvalidDataException"/>; a trainer's <c>Resume</c> puts the previous state back after any failure.</summary>
    public virtual void ReadState(BinaryReader reader)
    {
    }

    /// <summary>η = η₀ throughout.</summary>
    public static LearningRateSchedule Constant() => new ConstantSchedule();

    /// <summary>η = η₀·γ^⌊epoch / <paramref name="stepEpochs"/>⌋: the notes' "divide by 10 every N epochs" with the default γ = 0.1.</summary>
    public static LearningRateSchedule Step(int stepEpochs, float gamma = 0.1f) => new StepSchedule(stepEpochs, gamma);

    /// <summary>η = η₀·γ^epoch (per completed epoch). Default γ = 0.95.</summary>
    public static LearningRateSchedule Exponential(float gamma = 0.95f) => new ExponentialSchedule(gamma);

    /// <summary>η = ηmin + ½(η₀ − ηmin)(1 + cos(π·min(e, T)/T)), with e the fractional epoch step/stepsPerEpoch and
    /// T = <paramref name="periodEpochs"/>; stays at ηmin after T. Default ηmin = 0.</summary>
    public static LearningRateSchedule CosineAnnealing(int periodEpochs, float minRate = 0f) => new CosineSchedule(periodEpochs, minRate);

    /// <summary>Linear warm-up over the first <paramref name="warmupSteps"/> steps, η = η₀·(step + 1)/warmupSteps, then
    /// <paramref name="after"/> (constant if null), which sees the same global step.</summary>
    public static LearningRateSchedule LinearWarmup(int warmupSteps, LearningRateSchedule? after = null) => new WarmupSchedule(warmupSteps, after ?? Constant());

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        public override float Rate(float baseRate, long step, int stepsPerEpoch) => baseRate;
    }

    private sealed class StepSchedule : LearningRateSchedule
    {
        private readonly int _stepEpochs;
        private readonly float _gamma;

        public StepSchedule(int stepEpochs, float gamma)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepEpochs);
            _stepEpochs = stepEpochs;
            _gamma = gamma;
        }

        public override float Rate(float baseRate, long step, int stepsPerEpoch) =>
            (float)(baseRate * Math.Pow(_gamma, step / stepsPerEpoch / _stepEpochs));
    }

    private sealed class ExponentialSchedule(float gamma) : LearningRateSchedule
    {
        public override float Rate(float baseRate, long step, int stepsPerEpoch) => (float)(baseRate * Math.Pow(gamma, step / stepsPerEpoch));
    }

    private sealed class CosineSchedule : LearningRateSchedule
    {
        private readonly int _period;
        private readonly float _min;

        public CosineSchedule(int periodEpochs, float minRate)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodEpochs);
            _period = periodEpochs;
            _min = minRate;
        }

        public override float Rate(float baseRate, long step, int stepsPerEpoch)
        {
            double epoch = Math.Min((double)step / stepsPerEpoch, _period);
            return (float)(_min + 0.5 * (baseRate - _min) * (1 + Math.Cos(Math.PI * epoch / _period)));
        }
    }

    private sealed class WarmupSchedule : LearningRateSchedule
    {
        private readonly int _warmup;
        private readonly LearningRateSchedule _after;

        public WarmupSchedule(int warmupSteps, LearningRateSchedule after)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmupSteps);
            _warmup = warmupSteps;
            _after = after;
        }

        public override float Rate(float baseRate, long step, int stepsPerEpoch) =>
            step < _warmup ? baseRate * (step + 1) / _warmup : _after.Rate(baseRate, step, stepsPerEpoch);

        public override void EpochEnded(int epoch, double monitoredLoss) => _after.EpochEnded(epoch, monitoredLoss);

        // The trainer checks only the outer type; the schedule after the warm-up is named here, so a checkpoint of a
        // warm-up into another schedule is refused instead of read as that schedule's state.
        public override void WriteState(BinaryWriter writer)
        {
            writer.Write(_after.GetType().FullName!);
            _after.WriteState(writer);
        }

        public override void ReadState(BinaryReader reader)
        {
            string written = reader.ReadString();
            if (written != _after.GetType().FullName)
            {
                throw new InvalidDataException($"written with {written} after the warm-up; this schedule has {_after.GetType().FullName}.");
            }
            _after.ReadState(reader);
        }
    }
}

/// <summary>
/// Multiplies the rate by <see cref="Factor"/> when the monitored loss has not improved for more than <see cref="Patience"/>
/// epochs, as Keras' and PyTorch's <c>ReduceLROnPlateau</c> (mode min, relative threshold). An epoch improves when its loss
/// is below best·(1 − <see cref="Threshold"/>). After a reduction the count restarts; the rate never drops below
/// <see cref="MinRate"/>. Defaults: factor 0.1, patience 10, threshold 1e−4, minimum rate 0.
/// </summary>
public sealed class ReduceOnPlateau(float factor = 0.1f, int patience = 10, double threshold = 1e-4, float minRate = 0f) : LearningRateSchedule
{
    private double _best = double.PositiveInfinity;
    private int _badEpochs;
    private double _scale = 1.0;

    /// <summary>The factor applied on each reduction.</summary>
    public float Factor { get; } = factor;

    /// <summary>Epochs without improvement tolerated before a reduction.</summary>
    public int Patience { get; } = patience;

    /// <summary>Relative improvement that counts.</summary>
    public double Threshold { get; } = threshold;

    /// <summary>The smallest rate.</summary>
    public float MinRate { get; } = minRate;

    /// <summary>How many reductions have happened (the rate is η₀·Factor^Reductions, floored at <see cref="MinRate"/>).</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc/>
    public override float Rate(float baseRate, long step, int stepsPerEpoch) => (float)Math.Max(baseRate * _scale, MinRate);

    /// <inheritdoc/>
    public override void EpochEnded(int epoch, double monitoredLoss)
    {
        if (monitoredLoss < _best * (1 - Threshold) || double.IsPositiveInfinity(_best))
        {
            _best = monitoredLoss;
            _badEpochs = 0;
            return;
        }
        if (++_badEpochs > Patience)
        {
            _scale *= Factor;
            Reductions++;
            _badEpochs = 0;
        }
    }

    /// <inheritdoc/>
    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_best);
        writer.Write(_badEpochs);
        writer.Write(_scale);
        writer.Write(Reductions);
    }

    /// <inheritdoc/>
    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        double best = reader.ReadDouble();
        int badEpochs = reader.ReadInt32();
        double scale = reader.ReadDouble();
        int reductions = reader.ReadInt32();
        if (badEpochs < 0 || !(scale >= 0) || reductions < 0)
        {
            throw new InvalidDataException($"ReduceOnPlateau: best loss {best}, {badEpochs} epochs without improvement, scale {scale} after {reductions} reductions.");
        }
        (_best, _badEpochs, _scale, Reductions) = (best, badEpochs, scale, reductions);
    }
}
