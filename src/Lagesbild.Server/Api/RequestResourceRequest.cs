using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resources;

namespace Lagesbild.Server.Api;

/// <summary>A resource begäran; the client names its id (e.g. <c>rb-</c> and a random part), so a retry asks once. Why it is needed is the reason (required).</summary>
public sealed record RequestResourceRequest(
    string? Id,
    string? SafetyPoint,
    ResourceKind? ResourceKind,
    int? Quantity,
    DateTimeOffset? NeedBy,
    string? Resource = null,
    string? Reason = null,
    bool Internal = false) : ICreateRequest
{
    public Command ToCommand() => new RequestResource(SafetyPoint, ResourceKind, Quantity, NeedBy, Resource) { Reason = Reason, Internal = Internal };
}
