using System.Text.Json.Serialization;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Picture;

/// <summary>
/// What a first start seeds and every change writes is read and written from the compile-time
/// description (DomainJsonContext): a type left out of it is built by reflection at run time, the
/// start-up cost the description exists to avoid.
/// </summary>
public sealed class DomainJsonContextTests
{
    public static TheoryData<Type> DomainTypes()
    {
        var types = typeof(Command).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && (t.IsSubclassOf(typeof(Command)) || t.IsSubclassOf(typeof(Change)) || IsEntityState(t)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        return [.. types];
    }

    // An entity's state is a record named …State; SourcedState is not one (it carries any state as object).
    private static bool IsEntityState(Type type) =>
        type.Name.EndsWith("State", StringComparison.Ordinal) && type != typeof(Domain.Reports.SourcedState) && type.GetMethod("<Clone>$") is not null;

    [Theory]
    [MemberData(nameof(DomainTypes))]
    public void Every_command_change_and_state_is_described_at_compile_time(Type type) =>
        Assert.IsAssignableFrom<JsonSerializerContext>(DomainJson.Options.GetTypeInfo(type).OriginatingResolver);

    [Fact]
    public void There_are_commands_changes_and_states_to_check() =>
        Assert.True(DomainTypes().Count > 100, $"only {DomainTypes().Count} types found");
}
