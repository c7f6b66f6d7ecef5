using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resources;

namespace Lagesbild.Server.Api;

/// <summary>A resource to register names its id in the body, since it does not exist yet.</summary>
public sealed record RegisterResourceRequest(
    string? Id,
    ResourceKind? ResourceKind,
    string? Name,
    Depot? Depot,
    string? Reason = null,
    bool Internal = false) : ICreateRequest
{
    public Command ToCommand() => new RegisterResource(ResourceKind, Name, Depot) { Reason = Reason, Internal = Internal };
}
