using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Lagesbild.Server.Tests;

/// <summary>
/// The served OpenAPI document is the contract: it passes the linter's recommended rules, the
/// page's types are generated from a copy that must equal it, and a client generated from it
/// by a standard generator changes the picture without knowing anything else about the server.
/// </summary>
public sealed class OpenApiContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static string ContractDirectory => Path.Combine(RepoPaths.Root, "src", "Lagesbild.Web", "contract");
    private static string CheckedIn => Path.Combine(ContractDirectory, "openapi.json");

    [Fact]
    public async Task The_served_document_has_no_errors_under_the_linters_recommended_rules()
    {
        var file = Path.Combine(fixture.Server.DataDirectory, "served-openapi.json");
        await File.WriteAllTextAsync(file, await ServedDocumentAsync());

        var (exitCode, output) = await RunAsync(Path.Combine(ContractDirectory, "node_modules", ".bin", "redocly"),
            ["lint", "--config", "redocly.yaml", "--format", "stylish", file], ContractDirectory);

        Assert.True(exitCode == 0, $"redocly lint found errors in /openapi/v1.json:\n{output}");
    }

    [Fact]
    public async Task The_document_the_page_is_built_from_is_the_one_the_server_serves()
    {
        var served = Normalized(await ServedDocumentAsync());
        // Refreshing is a deliberate step, so that a change of the contract shows in review.
        if (Environment.GetEnvironmentVariable("LAGESBILD_UPDATE_CONTRACT") == "1")
            await File.WriteAllTextAsync(CheckedIn, served);

        var checkedIn = Normalized(await File.ReadAllTextAsync(CheckedIn));
        Assert.True(served == checkedIn,
            "src/Lagesbild.Web/contract/openapi.json differs from the served /openapi/v1.json. Refresh it with " +
            "LAGESBILD_UPDATE_CONTRACT=1 dotnet test tests/Lagesbild.Server.Tests --filter OpenApiContractTests, review the diff and rebuild.");
    }

    [Fact]
    public async Task An_outside_system_opens_a_point_and_reports_visitors_through_a_client_generated_from_the_document()
    {
        var client = GenerateClient(await ServedDocumentAsync(), out var assembly);
        dynamic anonymous = client(new HttpClient { BaseAddress = fixture.Server.BaseAddress });

        dynamic signIn = New(assembly, "DevSignInRequest");
        signIn.User = "anna";
        dynamic token = await anonymous.PostDevSignInAsync(signIn);
        var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", (string)token.Token);
        dynamic api = client(http);

        const string point = "farsta-storforsplan";
        foreach (var status in new[] { "Activating", "Open" })
        {
            var change = New(assembly, "ChangeSafetyPointStatus");
            change.GetType().GetProperty("Status")!.SetValue(change, Enum.Parse(assembly.GetType("Integrator.SafetyPointStatus")!, status));
            await api.ChangeSafetyPointStatusAsync("live", point, (dynamic)change);
        }
        dynamic visitors = New(assembly, "ReportSafetyPointVisitors");
        visitors.Visitors = 37;
        dynamic accepted = await api.ReportSafetyPointVisitorsAsync("live", point, visitors);

        dynamic snapshot = await api.GetPicturesSnapshotAsync("live");
        var entities = JsonSerializer.SerializeToElement((object)snapshot.Entities);
        var record = entities.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "SafetyPoint" && e.GetProperty("id").GetString() == point);
        Assert.Equal(37, record.GetProperty("state").GetProperty("visitors").GetInt32());
        Assert.Equal("Open", record.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal((long)accepted.Seq, record.GetProperty("seq").GetInt64());
    }

    private async Task<string> ServedDocumentAsync()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        return await http.GetStringAsync("openapi/v1.json");
    }

    /// <summary>The document without the address it was served from, as the checked-in copy keeps it.</summary>
    private static string Normalized(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document["servers"] = new JsonArray(new JsonObject { ["url"] = "/" });
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>NSwag's C# client for the document, compiled; returns a factory taking the HttpClient to call with.</summary>
    private static Func<HttpClient, object> GenerateClient(string json, out Assembly assembly)
    {
        var document = NSwag.OpenApiDocument.FromJsonAsync(json).GetAwaiter().GetResult();
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "LagesbildClient",
            UseBaseUrl = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = "Integrator";
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        var code = new CSharpClientGenerator(document, settings).GenerateFile();

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(path => MetadataReference.CreateFromFile(path));
        // The one setting an integrator adds: enums are strings everywhere, also as dictionary values
        // (NSwag puts the converter on enum properties only).
        const string enumsAsStrings = """
            namespace Integrator;
            public partial class LagesbildClient
            {
                static partial void UpdateJsonSerializerSettings(System.Text.Json.JsonSerializerOptions settings) =>
                    settings.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            }
            """;
        var compilation = CSharpCompilation.Create("Integrator", [CSharpSyntaxTree.ParseText(code), CSharpSyntaxTree.ParseText(enumsAsStrings)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "The generated client does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var loaded = Assembly.Load(image.ToArray());
        assembly = loaded;
        var type = loaded.GetType("Integrator.LagesbildClient")!;
        return http => Activator.CreateInstance(type, http)!;
    }

    private static object New(Assembly assembly, string type) => Activator.CreateInstance(assembly.GetType("Integrator." + type)!)!;

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string directory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
