using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Grains.Assignments;

/// <summary>One uppdrag of a given list and its place in the loggbok.</summary>
public sealed record TaskListAssignment(string Id, string District, long Seq);

/// <summary>
/// Sends a planned task list (<see cref="TaskListRules.Plan"/>) as ordinary uppdrag, one by one through the
/// <see cref="CommandBus"/>. Each uppdrag's command id comes from the list's and the uppdrag's own id, so a list
/// cut off halfway (a failed store, a lost answer) and sent again with the same Idempotency-Key gives only the
/// uppdrag still missing: those already given are recognised by the store and answered as before, never given twice.
/// </summary>
public static class TaskListIssue
{
    public static async Task<(IReadOnlyList<TaskListAssignment> Sent, Refusal? Stopped)> SendAsync(
        CommandBus bus, string picture, IReadOnlyList<(string Id, SendAssignment Command)> tasks, Actor actor, Guid? listCommand)
    {
        var sent = new List<TaskListAssignment>(tasks.Count);
        foreach (var (id, command) in tasks)
        {
            var result = await bus.SendAsync(picture, id, command, actor, listCommand is { } key ? CommandIdOf(key, id) : null);
            if (result.Refusal is { } stopped)
                return (sent, stopped);
            sent.Add(new TaskListAssignment(id, command.To!.Id!, result.Seq));
        }
        return (sent, null);
    }

    /// <summary>
    /// The list's uppdrag (<see cref="TaskListRules.Plan"/>); sent again under the same key, with the deadlines it was
    /// first given with, so each uppdrag is the same request as before and the store recognises the ones already given.
    /// </summary>
    public static async Task<(IReadOnlyList<(string Id, SendAssignment Command)> Tasks, Refusal? Refusal)> PlanAsync(
        PictureStore store, string picture, IssueTaskList issue, IReadOnlyDictionary<string, IReadOnlyList<TaskTemplate>> lists,
        IAreas areas, DateTimeOffset now, Guid? listCommand)
    {
        var (tasks, refusal) = TaskListRules.Plan(issue, lists, areas, now);
        if (refusal is not null || listCommand is not { } key)
            return (tasks, refusal);
        var shift = await ShiftToFirstIssueAsync(store, picture, tasks[0], key);
        return shift == TimeSpan.Zero ? (tasks, null) : TaskListRules.Plan(issue, lists, areas, now + shift);
    }

    /// <summary>
    /// How far a resent list's deadlines must move to be the ones first given: deadlines count from when the list
    /// was first given, so its first uppdrag, stored under this key, tells the shift (zero when none is stored yet).
    /// Without it a resend minutes later would be a different request under the same key, and refused.
    /// </summary>
    private static async Task<TimeSpan> ShiftToFirstIssueAsync(PictureStore store, string picture, (string Id, SendAssignment Command) first, Guid listCommand)
    {
        var keys = new PictureKeys(picture);
        var entity = new EntityRef(EntityKind.Assignment, first.Id);
        var (applied, _) = await store.CheckAsync(keys, entity, CommandIdOf(listCommand, first.Id));
        if (applied is null || await store.ReadRecordAsync(keys, entity) is not { } record)
            return TimeSpan.Zero;
        using var document = JsonDocument.Parse(record);
        var state = document.RootElement.GetProperty("state").Deserialize<AssignmentState>(DomainJson.Options)!;
        return state.Due - first.Command.Due!.Value;
    }

    public static Guid CommandIdOf(Guid listCommand, string taskId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{listCommand:N}\n{taskId}")).AsSpan(0, 16));
}
