using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>A begäran's reminder is kept in its stored state, not only in a running node's timer.</summary>
public sealed class ReminderRestartTests
{
    [Fact]
    public async Task A_reminder_due_after_a_restart_still_arrives_once_as_a_loggbok_entry()
    {
        // The reminder goes out a minute before the deadline: with the deadline 80 s away it is due 20 s
        // after the request, well after the restart below has begun.
        await using var server = new ServerProcess(settings: new Dictionary<string, string> { ["Lagesbild:Reports:ReminderLeadMinutes"] = "1" });
        await server.StartAsync();
        using var anna = server.CreateClient();
        var id = $"r-omstart-{Guid.NewGuid():N}"[..24];
        var asked = await anna.SendJsonAsync("POST", "api/pictures/live/report-requests", JsonSerializer.Serialize(new
        {
            id,
            title = "Läget inför kvällens möte",
            recipients = new[] { "district-farsta" },
            deadline = DateTimeOffset.UtcNow.AddSeconds(80),
        }));
        Assert.True(asked.IsSuccessStatusCode, await asked.Content.ReadAsStringAsync());

        await server.StopAsync();
        var restarted = DateTimeOffset.UtcNow;
        await server.StartAsync();

        var reminders = await WaitForRemindersAsync(anna, id, TimeSpan.FromSeconds(120));
        var reminder = Assert.Single(reminders);
        // Sent by the node that started again, from the request's stored state.
        Assert.True(reminder.GetProperty("at").GetDateTimeOffset() >= restarted, $"The reminder was sent before the restart: {reminder}");
        Assert.Equal("district-farsta", reminder.GetProperty("change").GetProperty("recipients")[0].GetString());

        // Another restart wakes the request again; it has had its reminder and sends none.
        await server.StopAsync();
        await server.StartAsync();
        var state = await RequestStateAsync(anna, id);
        Assert.Equal(JsonValueKind.String, state.GetProperty("remindedAt").ValueKind);
        Assert.Single(await RemindersAsync(anna, id));
    }

    private static async Task<JsonElement[]> WaitForRemindersAsync(HttpClient http, string id, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var reminders = await RemindersAsync(http, id);
            if (reminders.Length > 0 || DateTime.UtcNow > until)
                return reminders;
            await Task.Delay(250);
        }
    }

    private static async Task<JsonElement[]> RemindersAsync(HttpClient http, string id)
    {
        var log = await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/log?entity=ReportRequest/{id}");
        return [.. Entries(log).Where(e => e.GetProperty("type").GetString() == "ReportRequestReminded")];
    }

    private static IEnumerable<JsonElement> Entries(JsonElement log) =>
        (log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("entries")).EnumerateArray();

    private static async Task<JsonElement> RequestStateAsync(HttpClient http, string id)
    {
        var snapshot = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        return snapshot.GetProperty("entities").EnumerateArray()
            .Single(e => e.GetProperty("kind").GetString() == "ReportRequest" && e.GetProperty("id").GetString() == id)
            .GetProperty("state");
    }
}
