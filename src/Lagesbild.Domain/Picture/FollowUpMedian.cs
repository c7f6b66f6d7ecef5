namespace Lagesbild.Domain.Picture;

/// <summary>The median the follow-up figures show (minutes to acknowledge, to finish, to commit), to a tenth.</summary>
public static class FollowUpMedian
{
    /// <summary>The middle value, or the mean of the two middle ones; null when there is none.</summary>
    public static double? Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return null;
        var middle = sorted.Length / 2;
        return Math.Round(sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, 1);
    }
}
